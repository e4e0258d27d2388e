import { describe, expect, it } from 'vitest';
import { ops, type Sym } from '@keras-ts/spec';
import { Dense, Input, KerasTensor, Layer, Model, Sequential, Tensor, backend as K, type CallContext } from '../../src/index.js';
import { expectClose, randn } from '../engine/helpers.js';

/** Logs the mean of its input as 'act_mean' (Keras 2's add_metric inside call), passing the input through. */
class ActivationMean extends Layer {
  static override readonly className = 'ActivationMean';
  override call(x: Sym | Sym[], _ctx: CallContext): Sym {
    this.addMetric(ops.mean(x as Sym), { name: 'act_mean', aggregation: 'mean' });
    return x as Sym;
  }
}

describe('addMetric (Keras 2 add_metric)', () => {
  it('a KerasTensor metric on a functional model is logged by fit and evaluate (running mean over batches)', async () => {
    const inp = Input({ shape: [3] });
    const h = new Dense({ units: 2, kernelInitializer: 'ones', name: 'h' }).apply(inp);
    const model = new Model(inp, h);
    model.addMetric(K.mean(h), { name: 'h_mean', aggregation: 'mean' });
    model.compile({ optimizer: { class_name: 'SGD', config: { learning_rate: 0 } }, loss: 'mse' });
    const x = randn([8, 3], 3);
    const y = randn([8, 2], 4);
    const hist = await model.fit(x, y, { epochs: 1, batchSize: 4, verbose: 0, validationData: [x, y] });
    // With a zero learning rate the output is fixed: the metric is the mean of the predictions.
    const p = await model.predict(x);
    const mean = Array.from(p.data).reduce((a, v) => a + v, 0) / p.size;
    expectClose(hist.history.h_mean, [mean], 1e-5);
    expectClose(hist.history.val_h_mean, [mean], 1e-5);
    const logs = await model.evaluate(x, y, { batchSize: 8, returnDict: true });
    expectClose([logs.h_mean], [mean], 1e-5);
    expect(model.metricsNames).toEqual(['loss', 'h_mean']);
    // predict does not touch it.
    await model.predict(x);
  });

  it('a metric added inside a layer call is logged too', async () => {
    const m = new Sequential([new Dense({ units: 2, inputShape: [3], kernelInitializer: 'ones' }), new ActivationMean()]);
    m.compile('sgd', 'mse');
    const x = randn([6, 3], 5);
    const logs = await m.evaluate(x, randn([6, 2], 6), { batchSize: 6, returnDict: true });
    const p = await m.predict(x);
    expectClose([logs.act_mean], [Array.from(p.data).reduce((a, v) => a + v, 0) / p.size], 1e-5);
  });

  it('needs a name and takes only mean or null aggregation', () => {
    const inp = Input({ shape: [3] });
    const model = new Model(inp, new Dense({ units: 1 }).apply(inp));
    expect(() => model.addMetric(K.mean(inp), { name: '' })).toThrow(/needs a name/);
    // @ts-expect-error -- aggregation = 'sum' is not an allowed value, to check the runtime error
    expect(() => model.addMetric(K.mean(inp), { name: 'a', aggregation: 'sum' })).toThrow(/'mean' or null/);
  });
});
