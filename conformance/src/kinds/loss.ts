import { Tensor, deserializeLoss, type Reduction } from '@keras-ts/keras';
import { compare, fromGolden, type GoldenTensor } from '../compare.js';
import type { KindRunner } from './context.js';

/** `loss`: evaluate the loss with each reduction (None = per-sample values). */
export const runLossCase: KindRunner = async (c, ctx) => {
  const loss = deserializeLoss(c.loss);
  const yTrue = Tensor.from(fromGolden(c.y_true as GoldenTensor));
  const yPred = Tensor.from(fromGolden(c.y_pred as GoldenTensor));
  const sw = c.sample_weight ? Tensor.from(fromGolden(c.sample_weight as GoldenTensor)) : null;
  for (const [red, golden] of Object.entries(c.outputs_by_reduction as Record<string, GoldenTensor>)) {
    const reduction = (red === 'None' ? 'none' : red) as Reduction;
    const out = await loss.evaluate(yTrue, yPred, sw, reduction);
    compare(`reduction ${red}`, out, golden, ctx.tolerance, ctx.errors);
  }
};
