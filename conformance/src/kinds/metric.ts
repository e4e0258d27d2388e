import { Tensor, deserializeMetric } from '@keras-ts/keras';
import { compare, fromGolden, type GoldenTensor } from '../compare.js';
import type { KindRunner } from './context.js';

interface Batch {
  y_true: GoldenTensor;
  y_pred: GoldenTensor;
  sample_weight?: GoldenTensor;
}

/** `metric`: a fresh metric updated with each batch; result compared after every batch. */
export const runMetricCase: KindRunner = async (c, ctx) => {
  const metric = deserializeMetric(c.metric);
  const results = c.result_after_each_batch as GoldenTensor[];
  const batches = c.batches as Batch[];
  for (let i = 0; i < batches.length; i++) {
    const b = batches[i];
    const sw = b.sample_weight ? Tensor.from(fromGolden(b.sample_weight)) : null;
    await metric.update(Tensor.from(fromGolden(b.y_true)), Tensor.from(fromGolden(b.y_pred)), sw);
    compare(`result after batch ${i + 1}`, await metric.resultValue(), results[i], ctx.tolerance, ctx.errors);
  }
};
