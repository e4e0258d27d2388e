import { Tensor, Variable, deserializeOptimizer } from '@keras-ts/keras';
import { compare, fromGolden, type GoldenTensor } from '../compare.js';
import type { KindRunner } from './context.js';

/** `optimizer`: one variable, each gradient applied in turn, compared after every step. */
export const runOptimizerCase: KindRunner = async (c, ctx) => {
  const opt = deserializeOptimizer(c.optimizer);
  const v = new Variable('v', Tensor.from(fromGolden(c.initial as GoldenTensor)));
  const grads = c.gradients as GoldenTensor[];
  const after = c.after_each_step as GoldenTensor[];
  for (let i = 0; i < grads.length; i++) {
    await opt.applyGradientsTo([Tensor.from(fromGolden(grads[i]))], [v]);
    compare(`variable after step ${i + 1}`, v.value, after[i], ctx.tolerance, ctx.errors);
  }
};
