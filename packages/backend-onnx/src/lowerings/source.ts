import { constantData } from '@keras-ts/spec';
import { elemType } from '../builder.js';
import type { LoweringFamily } from '../lowering.js';
import { randomNormal, randomUniform } from './random.js';

/**
 * The source ops (spec/src/ops/source.ts) but placeholders, which are the model's inputs (or
 * baked weights, see pipeline/inputs.ts). A constant is an initializer; a fill is emitted where
 * a tensor of it is first needed (see pipeline/fill-scalars.ts).
 */


export const sourceLowerings: LoweringFamily = (reg) => {
  reg.add('constant', (b, node) => b.init(constantData(node), node.shape, elemType(node.dtype)));
  reg.add('fill', (b, node) => b.full(node.shape, node.attrs.value, node.dtype));
  reg.add('identity', (b, _n, ins) => b.node('Identity', ins));
  reg.add('stop_gradient', (b, _n, ins) => b.node('Identity', ins));
  reg.add('random_uniform', randomUniform);
  reg.add('random_normal', randomNormal);
};
