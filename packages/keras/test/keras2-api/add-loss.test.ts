import { describe, expect, it } from 'vitest';
import { ops, type Sym } from '@keras-ts/spec';
import { Dense, Input, Layer, Model, Sequential, Tensor, backend as K, onlyLoss, type CallContext } from '../../src/index.js';
import { expectClose, randn } from '../engine/helpers.js';

/** Adds `rate * mean(x^2)` of its input as a loss, passes the input through (Keras' activity-loss layer). */
class ActivityLoss extends Layer {
  static override readonly className = 'ActivityLoss';
  constructor(private readonly rate: number) {
    super({});
  }
  override call(x: Sym | Sym[], _ctx: CallContext): Sym {
    this.addLoss(ops.mul(ops.mean(ops.square(x as Sym)), this.rate));
    return x as Sym;
  }
}

describe('addLoss (Keras 2 add_loss)', () => {
  it('a functional model trained only by a symbolic loss: compile without a loss, fit(x, null)', async () => {
    const inp = Input({ shape: [4] });
    const h = new Dense({ units: 4, name: 'enc' }).apply(inp);
    const model = new Model(inp, h);
    // Reconstruction: mean squared difference between the output and the input.
    model.addLoss(K.mean(K.square(K.subtract(h, inp))));
    model.compile({ optimizer: 'adam' });
    const x = randn([64, 4], 11);
    const hist = await model.fit(x, null, { epochs: 8, batchSize: 16, verbose: 0, validationData: [x, null] });
    const loss = hist.history.loss;
    expect(loss[7]).toBeLessThan(loss[0]);
    expect(hist.history).toHaveProperty('val_loss');
    // The logged loss is the added loss (mean over batches weighted by size), as Keras 2 logs it.
    const pred = await model.predict(x);
    let s = 0;
    for (let i = 0; i < x.size; i++) s += (pred.data[i] - x.data[i]) ** 2;
    const evaluated = onlyLoss(await model.evaluate(x, null, { batchSize: 64 }));
    expectClose([evaluated], [s / x.size], 1e-4);
  });

  it('a loss added inside a layer call joins the compiled loss', async () => {
    const x = randn([8, 3], 2);
    const y = randn([8, 1], 3);
    const make = (withLoss: boolean) => {
      const m = new Sequential([new Dense({ units: 1, inputShape: [3], kernelInitializer: 'ones' }), ...(withLoss ? [new ActivityLoss(0.5)] : [])]);
      m.compile('sgd', 'mse');
      return m;
    };
    const plain = onlyLoss(await make(false).evaluate(x, y, { batchSize: 8 }));
    const withLoss = make(true);
    const total = onlyLoss(await withLoss.evaluate(x, y, { batchSize: 8 }));
    const p = await withLoss.predict(x);
    const act = Array.from(p.data).reduce((a, v) => a + v * v, 0) / p.size;
    expectClose([total], [plain + 0.5 * act], 1e-5);
  });

  it('a function loss is called at every step (a weight penalty)', async () => {
    const dense = new Dense({ units: 2, inputShape: [2], kernelInitializer: 'ones', useBias: false });
    const m = new Sequential([dense]);
    m.addLoss(() => ops.mul(ops.sum(ops.abs(dense.weights[0].read())), 0.1));
    m.compile('sgd', 'mse');
    const x = randn([4, 2], 5);
    const zeros = new Tensor([4, 2], 'float32', new Float32Array(8));
    const p = await m.predict(x);
    const mse = Array.from(p.data).reduce((a, v) => a + v * v, 0) / p.size;
    expectClose([onlyLoss(await m.evaluate(x, zeros, { batchSize: 4 }))], [mse + 0.1 * 4], 1e-5);
  });

  it('refuses what it cannot add, and a model with neither a loss nor added losses', async () => {
    const m = new Sequential([new Dense({ units: 1, inputShape: [2] })]);
    // @ts-expect-error -- null is not a loss, on purpose
    expect(() => m.addLoss(null)).toThrow(/addLoss takes/);
    m.compile({ optimizer: 'sgd' });
    await expect(m.fit(randn([4, 2]), null, { verbose: 0 })).rejects.toThrow(/without a loss/);
  });
});
