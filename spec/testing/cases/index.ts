import type { OpCase } from '../case';
import { binaryCases } from './binary';
import { convCases } from './conv';
import { dimsCases } from './dims';
import { elementwiseCases } from './elementwise';
import { indexingCases } from './indexing';
import { layoutCases } from './layout';
import { matmulCases } from './matmul';
import { nnCases } from './nn';
import { poolCases } from './pool';
import { reduceCases } from './reduce';
import { resizeCases } from './resize';
import { slicingCases } from './slicing';
import { sourceCases } from './source';
import { unaryCases } from './unary';

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
  pool: poolCases,
  resize: resizeCases,
};
