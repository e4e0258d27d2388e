import { getOp } from '@keras-ts/spec';
import { LoweringRegistry, type LoweringFamily } from '../lowering.js';
import { binaryLowerings } from './binary.js';
import { convLowerings } from './conv.js';
import { elementwiseLowerings } from './elementwise.js';
import { fusedLowerings } from './fused.js';
import { indexingLowerings } from './indexing.js';
import { matmulLowerings } from './matmul.js';
import { nnLowerings } from './nn.js';
import { poolLowerings } from './pool.js';
import { reduceLowerings } from './reduce.js';
import { resizeLowerings } from './resize.js';
import { shapeLowerings } from './shape.js';
import { slicingLowerings } from './slicing.js';
import { sourceLowerings } from './source.js';
import { unaryLowerings } from './unary.js';

/** The op families, one file each, as in spec/src/ops. */
const FAMILIES: readonly LoweringFamily[] = [
  sourceLowerings,
  unaryLowerings,
  binaryLowerings,
  elementwiseLowerings,
  reduceLowerings,
  shapeLowerings,
  matmulLowerings,
  slicingLowerings,
  indexingLowerings,
  nnLowerings,
  convLowerings,
  fusedLowerings,
  poolLowerings,
  resizeLowerings,
];

/** A registry of every backend-onnx lowering (fails at load on a duplicate or unknown op). */
export function onnxLowerings(): LoweringRegistry {
  const reg = new LoweringRegistry();
  for (const family of FAMILIES) family(reg);
  return reg;
}

/** The lowerings every compiled graph uses. */
export const LOWERINGS: LoweringRegistry = onnxLowerings();

/**
 * Composite ops lowered to ONNX operators of their own instead of their decomposition: the
 * composites that have a lowering.
 */
export const NATIVE_COMPOSITES: readonly string[] = LOWERINGS.names().filter((op) => getOp(op).kind === 'composite');
