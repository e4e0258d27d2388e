import type { OpCase } from '../case.js';
import { binaryCases } from './binary.js';
import { convCases } from './conv.js';
import { dimsCases } from './dims.js';
import { elementwiseCases } from './elementwise.js';
import { fusedCases } from './fused.js';
import { indexingCases } from './indexing.js';
import { layoutCases } from './layout.js';
import { matmulCases } from './matmul.js';
import { nnCases } from './nn.js';
import { poolCases } from './pool.js';
import { reduceCases } from './reduce.js';
import { resizeCases } from './resize.js';
import { slicingCases } from './slicing.js';
import { sourceCases } from './source.js';
import { unaryCases } from './unary.js';

/** Every case of the shared op suite, by op family. */
export const ALL_CASES: Readonly<Record<string, readonly OpCase[]>> = {
  source: sourceCases,
  unary: unaryCases,
  binary: binaryCases,
  elementwise: elementwiseCases,
  reduce: reduceCases,
  layout: layoutCases,
  matmul: matmulCases,
  dims: dimsCases,
  slicing: slicingCases,
  indexing: indexingCases,
  nn: nnCases,
  conv: convCases,
  fused: fusedCases,
  pool: poolCases,
  resize: resizeCases,
};
