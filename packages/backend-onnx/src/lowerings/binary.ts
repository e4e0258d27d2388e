import { TensorType, type GraphBuilder } from '../builder.js';
import type { LoweringFamily } from '../lowering.js';

/** The binary elementwise ops (spec/src/ops/binary.ts). */

/** Ops that are one ONNX operator of the same meaning. */
const SIMPLE_BINARY: Readonly<Record<string, string>> = {
  add: 'Add',
  sub: 'Sub',
  mul: 'Mul',
  pow: 'Pow',
  maximum: 'Max',
  minimum: 'Min',
  equal: 'Equal',
  less: 'Less',
  less_equal: 'LessOrEqual',
  greater: 'Greater',
  greater_equal: 'GreaterOrEqual',
  logical_and: 'And',
  logical_or: 'Or',
};

/** Floor division of int32s as backend-ts: floor(a / b) in float64, 0 where b == 0. */
function intDiv(b: GraphBuilder, x: string, y: string): string {
  const q = b.node('Floor', [b.node('Div', [b.cast(x, TensorType.DOUBLE), b.cast(y, TensorType.DOUBLE)])]);
  const safe = b.node('Where', [b.node('Equal', [y, b.scalar(0, 'int32')]), b.f64(0), q]);
  // Wrap to int32 as a typed-array store does (only 2^31 from -2^31 / -1 is out of range).
  const wrapped = b.node('Where', [b.node('GreaterOrEqual', [safe, b.f64(2 ** 31)]), b.node('Sub', [safe, b.f64(2 ** 32)]), safe]);
  return b.cast(wrapped, TensorType.INT32);
}

export const binaryLowerings: LoweringFamily = (reg) => {
  for (const [op, onnx] of Object.entries(SIMPLE_BINARY)) reg.add(op, (b, _n, ins) => b.node(onnx, ins));
  reg.add('div', (b, node, [x, y]) => (node.dtype === 'int32' ? intDiv(b, x, y) : b.node('Div', [x, y])));
  reg.add('not_equal', (b, _n, ins) => b.node('Not', [b.node('Equal', ins)]));
};
