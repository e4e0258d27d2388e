import type { LoweringFamily } from '../lowering.js';

/** softmax and log_softmax (spec/src/ops/nn.ts), composites lowered to one ONNX operator each. */


export const nnLowerings: LoweringFamily = (reg) => {
  reg.add('softmax', (b, node, [x]) => b.node('Softmax', [x], { axis: node.attrs.axis }));
  reg.add('log_softmax', (b, node, [x]) => b.node('LogSoftmax', [x], { axis: node.attrs.axis }));
};
