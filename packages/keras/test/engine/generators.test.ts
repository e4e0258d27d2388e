import { describe, expect, it, vi } from 'vitest';
import { Dense, LambdaCallback, SGD, Sequential, Tensor, scoreList } from '../../src/index.js';
import { copyWeights, expectClose, linearData, mlp, randn, t } from './helpers.js';

function batchesOf(x: Tensor, y: Tensor, size: number): [Tensor, Tensor][] {
  const out: [Tensor, Tensor][] = [];
  for (let s = 0; s < x.shape[0]; s += size) out.push([x.sliceRows(s, Math.min(s + size, x.shape[0])), y.sliceRows(s, Math.min(s + size, y.shape[0]))]);
  return out;
}

/** Two MLPs with the same weights, compiled alike. */
function pair() {
  const a = mlp();
  const b = mlp();
  copyWeights(a, b);
  for (const m of [a, b]) m.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse', metrics: ['mae'] });
  return [a, b] as const;
}

describe('fitGenerator', () => {
  it('over an array of [x, y] batches: restarts each epoch, and equals fit without shuffling', async () => {
    const { x, y } = linearData(12, 4);
    const [a, b] = pair();
    const h1 = await a.fitGenerator(batchesOf(x, y, 4), { epochs: 3, verbose: 0 });
    const h2 = await b.fit(x, y, { epochs: 3, batchSize: 4, shuffle: false, verbose: 0 });
    expect(h1.epoch).toEqual([0, 1, 2]);
    expect(Object.keys(h1.history)).toEqual(['loss', 'mae']);
    a.getWeights().forEach((w, i) => expectClose(w, b.getWeights()[i].data, 1e-6));
    h1.history.loss.forEach((l, e) => expect(l).toBeCloseTo(h2.history.loss[e], 6));
  });

  it('over a generator function: an endless iterator continues across epochs (steps_per_epoch)', async () => {
    const { x, y } = linearData(12, 4);
    const drawn: number[] = [];
    function* endless() {
      for (let i = 0; ; i++) {
        drawn.push(i);
        const s = (i % 3) * 4;
        yield [x.sliceRows(s, s + 4), y.sliceRows(s, s + 4)] as const;
      }
    }
    const [a, b] = pair();
    const h = await a.fitGenerator(endless(), { stepsPerEpoch: 2, epochs: 3, verbose: 0 });
    expect(h.epoch).toEqual([0, 1, 2]);
    expect(drawn).toEqual([0, 1, 2, 3, 4, 5]);
    // Same as training on batches 0,1 | 2,0 | 1,2 in order.
    for (const i of [0, 1, 2, 3, 4, 5]) {
      const s = (i % 3) * 4;
      await b.trainOnBatch(x.sliceRows(s, s + 4), y.sliceRows(s, s + 4));
    }
    a.getWeights().forEach((w, i) => expectClose(w, b.getWeights()[i].data, 1e-5));
  });

  it('over an async generator', async () => {
    const { x, y } = linearData(12, 4);
    async function* batches() {
      for (const [bx, by] of batchesOf(x, y, 6)) {
        await new Promise((r) => setTimeout(r, 1));
        yield [bx, by] as const;
      }
    }
    const [a, b] = pair();
    const h = await a.fitGenerator(batches(), { epochs: 1, verbose: 0 });
    await b.fit(x, y, { epochs: 1, batchSize: 6, shuffle: false, verbose: 0 });
    expect(h.history.loss.length).toBe(1);
    a.getWeights().forEach((w, i) => expectClose(w, b.getWeights()[i].data, 1e-6));
  });

  it('reads {x, y, sampleWeight} and [x, y, sampleWeight] items as fit reads sample weights', async () => {
    const { x, y } = linearData(8, 4);
    const sw = t([1, 0, 2, 1, 0.5, 1, 1, 3]);
    const [a, b] = pair();
    const c = mlp();
    copyWeights(a, c);
    c.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse', metrics: ['mae'] });
    await a.fitGenerator([{ x: x.sliceRows(0, 4), y: y.sliceRows(0, 4), sampleWeight: sw.sliceRows(0, 4) }, { x: x.sliceRows(4, 8), y: y.sliceRows(4, 8), sampleWeight: sw.sliceRows(4, 8) }], { epochs: 1, verbose: 0 });
    await b.fitGenerator([[x.sliceRows(0, 4), y.sliceRows(0, 4), sw.sliceRows(0, 4)], [x.sliceRows(4, 8), y.sliceRows(4, 8), sw.sliceRows(4, 8)]], { epochs: 1, verbose: 0 });
    await c.fit(x, y, { sampleWeight: sw, epochs: 1, batchSize: 4, shuffle: false, verbose: 0 });
    a.getWeights().forEach((w, i) => {
      expectClose(w, b.getWeights()[i].data, 1e-6);
      expectClose(w, c.getWeights()[i].data, 1e-6);
    });
  });

  it('class_weight applies to generator batches', async () => {
    const m = new Sequential({ layers: [new Dense({ units: 2, activation: 'softmax', inputShape: [2], biasInitializer: 'ones' })] });
    m.compile({ optimizer: new SGD({ learningRate: 0 }), loss: 'sparse_categorical_crossentropy' });
    const x = t([[1, 2], [-1, 0.5], [0.3, -2], [2, 2]]);
    const y = new Tensor([4], 'int32', Int32Array.from([0, 1, 1, 0]));
    const p = await m.predict(x);
    const expected = [0, 1, 2, 3].reduce((a, i) => a + (y.data[i] === 1 ? 3 : 1) * -Math.log(p.data[i * 2 + y.data[i]]), 0) / 4;
    const h = await m.fitGenerator([[x, y]], { classWeight: { 0: 1, 1: 3 }, verbose: 0 });
    expect(h.history.loss[0]).toBeCloseTo(expected, 5);
  });

  it('validation_data may be arrays or a generator', async () => {
    const { x, y } = linearData(8, 4);
    const vx = randn([4, 4], 3);
    const vy = randn([4, 1], 4);
    const [a, b] = pair();
    const h1 = await a.fitGenerator(batchesOf(x, y, 4), { epochs: 1, validationData: [vx, vy], verbose: 0 });
    const h2 = await b.fitGenerator(batchesOf(x, y, 4), { epochs: 1, validationData: batchesOf(vx, vy, 2), verbose: 0 });
    expect(Object.keys(h1.history)).toEqual(['loss', 'mae', 'val_loss', 'val_mae']);
    expect(h2.history.val_loss[0]).toBeCloseTo(h1.history.val_loss[0], 6);
    const [vl] = scoreList(await a.evaluate(vx, vy));
    expect(h1.history.val_loss[0]).toBeCloseTo(vl, 6);
  });

  it('builds a model without an input shape from the first batch', async () => {
    const m = new Sequential({ layers: [new Dense({ units: 1 })] });
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const { x, y } = linearData(8, 3);
    await m.fitGenerator(batchesOf(x, y, 4), { verbose: 0 });
    expect(m.weights[0].shape).toEqual([3, 1]);
  });

  it('refuses items without targets and empty data', async () => {
    const m = mlp();
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    await expect(m.fitGenerator([{ x: randn([2, 4]) }], { verbose: 0 })).rejects.toThrow(/generator item 0 has no targets/);
    await expect(m.fitGenerator([], { verbose: 0 })).rejects.toThrow(/gave no batches in epoch 1/);
    // @ts-expect-error -- 42 is not an [x, y] item, on purpose
    await expect(m.fitGenerator([42], { verbose: 0 })).rejects.toThrow(/generator item 0 must be \[x, y\]/);
  });

  it('refuses a batch whose x and y disagree on the sample count', async () => {
    const m = mlp();
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    await expect(m.fitGenerator([[randn([4, 4]), randn([3, 1])]], { verbose: 0 })).rejects.toThrow(/y has 3 samples .* generator item 0: x has 4/);
  });

  // Keras 2 behaviour (once an engine bug here, now fixed): when an iterator runs out part-way (5 batches for 3 epochs of 3
  // steps), Keras 2 finishes the short epoch, warns "Your input ran out of data; interrupting
  // training" and stops (history has 2 epochs); here the next epoch starts with no batch and
  // fit throws "fit: the data gave no batches in epoch 3".
  it('an iterator that runs out part-way ends training after the short epoch, as Keras 2', async () => {
    const { x, y } = linearData(20, 4);
    const m = mlp();
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const h = await m.fitGenerator(batchesOf(x, y, 4)[Symbol.iterator](), { stepsPerEpoch: 3, epochs: 3, verbose: 0 });
    expect(h.epoch).toEqual([0, 1]);
  });

  it('a finite iterator that runs out stops training with a warning, keeping the completed epochs', async () => {
    const { x, y } = linearData(20, 4);
    const m = mlp();
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const epochs: number[] = [];
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const h = await m.fitGenerator(batchesOf(x, y, 4)[Symbol.iterator](), { stepsPerEpoch: 3, epochs: 3, verbose: 0, callbacks: [new LambdaCallback({ onEpochEnd: (e) => void epochs.push(e) })] });
    expect(epochs).toEqual([0, 1]);
    expect(h.history.loss).toHaveLength(2);
    expect(warn.mock.calls.some((c) => String(c[0]).includes('ran out of data'))).toBe(true);
    warn.mockRestore();
  });
});

describe('evaluateGenerator and predictGenerator', () => {
  it('evaluateGenerator equals evaluate over the same samples (batch-size weighted)', async () => {
    const { x, y } = linearData(10, 4);
    const m = mlp();
    m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
    const direct = scoreList(await m.evaluate(x, y));
    const viaArray = scoreList(await m.evaluateGenerator(batchesOf(x, y, 4)));
    function* gen() {
      yield* batchesOf(x, y, 3);
    }
    const viaGen = scoreList(await m.evaluateGenerator(gen()));
    direct.forEach((v, i) => {
      expect(viaArray[i]).toBeCloseTo(v, 5);
      expect(viaGen[i]).toBeCloseTo(v, 5);
    });
    const firstTwo = scoreList(await m.evaluateGenerator(batchesOf(x, y, 4), { steps: 2 }));
    expect(firstTwo[0]).toBeCloseTo(scoreList(await m.evaluate(x.sliceRows(0, 8), y.sliceRows(0, 8)))[0], 5);
    await expect(m.evaluateGenerator([])).rejects.toThrow(/gave no batches/);
  });

  it('predictGenerator takes x, [x] or [x, y] items and concatenates the batches', async () => {
    const { x, y } = linearData(10, 4);
    const m = mlp();
    const direct = await m.predict(x);
    const b = batchesOf(x, y, 4);
    expectClose(await m.predictGenerator(b.map(([bx]) => bx)), direct.data, 1e-6);
    expectClose(await m.predictGenerator(b.map(([bx]) => [bx] as const)), direct.data, 1e-6);
    expectClose(await m.predictGenerator(b), direct.data, 1e-6);
    async function* gen() {
      for (const [bx] of b) yield bx;
    }
    const p = await m.predictGenerator(gen(), { steps: 2 });
    expect(p.shape).toEqual([8, 1]);
    expectClose(p, direct.data.slice(0, 8), 1e-6);
  });
});
