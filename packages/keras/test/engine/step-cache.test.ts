import { ops, type Backend, type Executable, type Graph, type Sym } from '@keras-ts/spec';
import { createTsBackend } from '@keras-ts/backend-ts';
import { afterEach, describe, expect, it } from 'vitest';
import { Activation, Dense, Layer, Sequential, Tensor, onlyOutput, setBackend, scoreList, type Model } from '../../src/index.js';
import { linearData } from './helpers.js';

/**
 * The compiled steps are shared by the loops and the batch methods, cached by signature: a batch
 * method after `fit` / `evaluate` / `predict` on batches of the same shape compiles nothing and
 * traces nothing; a new compile or a change of the trainable weights makes new steps.
 */

/** A backend wrapped to count compilations. */
class Counting implements Backend {
  compiled = 0;
  constructor(readonly inner: Backend) {}
  get name() {
    return this.inner.name;
  }
  get capabilities() {
    return this.inner.capabilities;
  }
  compile(graph: Graph): Executable {
    this.compiled++;
    return this.inner.compile(graph);
  }
}

/** The identity, counting how often it is traced (each trace of the model calls it once). */
class CountCalls extends Layer {
  static override readonly className = 'CountCalls';
  calls = 0;
  override call(x: Sym | Sym[]): Sym {
    this.calls++;
    return ops.mul(x as Sym, 1);
  }
}

function model(): { m: Model; counter: CountCalls } {
  const counter = new CountCalls({ name: 'count_calls' });
  const m = new Sequential({
    layers: [
      new Dense({ units: 6, activation: 'relu', inputShape: [4], kernelInitializer: { class_name: 'GlorotUniform', config: { seed: 1 } }, name: 'd1' }),
      counter,
      new Dense({ units: 1, kernelInitializer: { class_name: 'GlorotUniform', config: { seed: 2 } }, name: 'd2' }),
    ],
  });
  m.compile({ optimizer: 'sgd', loss: 'mse', metrics: ['mae'] });
  return { m, counter };
}

const { x, y } = linearData(16, 4);
const xb = [x.sliceRows(0, 8), x.sliceRows(8, 16)];
const yb = [y.sliceRows(0, 8), y.sliceRows(8, 16)];

function counting(): Counting {
  const b = new Counting(createTsBackend());
  setBackend(b);
  return b;
}

afterEach(() => setBackend(createTsBackend()));

describe('compiled steps shared by the loops and the batch methods', () => {
  it('trainOnBatch, testOnBatch and predictOnBatch reuse what fit, evaluate and predict compiled, and trace nothing again', async () => {
    const b = counting();
    const { m, counter } = model();
    await m.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
    await m.evaluate(x, y, { batchSize: 8 });
    await m.predict(x, { batchSize: 8 });
    const compiled = b.compiled;
    const traced = counter.calls;
    for (let i = 0; i < 3; i++) {
      for (let k = 0; k < 2; k++) {
        const [loss, mae] = scoreList(await m.trainOnBatch(xb[k], yb[k]));
        expect(Number.isFinite(loss) && Number.isFinite(mae)).toBe(true);
        await m.testOnBatch(xb[k], yb[k]);
        await m.predictOnBatch(xb[k]);
      }
    }
    expect(b.compiled).toBe(compiled);
    expect(counter.calls).toBe(traced);
  });

  it('the batch methods first: fit then compiles and traces nothing for batches of the same shape', async () => {
    const b = counting();
    const { m, counter } = model();
    await m.trainOnBatch(xb[0], yb[0]);
    await m.testOnBatch(xb[0], yb[0]);
    await m.predictOnBatch(xb[0]);
    const compiled = b.compiled;
    const traced = counter.calls;
    await m.fit(x, y, { epochs: 2, batchSize: 8, shuffle: false, verbose: 0 });
    await m.evaluate(x, y, { batchSize: 8 });
    await m.predict(x, { batchSize: 8 });
    expect(b.compiled).toBe(compiled);
    expect(counter.calls).toBe(traced);
  });

  it('trainOnBatch over the batches of an epoch gives the weights and losses fit gives', async () => {
    const a = model().m;
    const c = model().m;
    c.setWeights(a.getWeights());
    const h = await a.fit(x, y, { epochs: 1, batchSize: 8, shuffle: false, verbose: 0 });
    const losses: number[] = [];
    for (let k = 0; k < 2; k++) losses.push(scoreList(await c.trainOnBatch(xb[k], yb[k]))[0]);
    expect(c.getWeights().map((w) => Array.from(w.data))).toEqual(a.getWeights().map((w) => Array.from(w.data)));
    expect(h.history.loss[0]).toBeCloseTo((losses[0] + losses[1]) / 2, 6);
  });

  it('a new compile makes new steps', async () => {
    const b = counting();
    const { m } = model();
    await m.trainOnBatch(xb[0], yb[0]);
    const compiled = b.compiled;
    await m.trainOnBatch(xb[1], yb[1]);
    expect(b.compiled).toBe(compiled);
    m.compile({ optimizer: 'adam', loss: 'mae' });
    const before = m.getWeights().map((w) => Array.from(w.data));
    expect(await m.trainOnBatch(xb[0], yb[0])).toBeTypeOf('number');
    expect(b.compiled).toBe(compiled + 1);
    expect(m.getWeights().map((w) => Array.from(w.data))).not.toEqual(before);
  });

  it('freezing a layer makes a new train step, which leaves that layer as it was', async () => {
    const b = counting();
    const { m } = model();
    await m.trainOnBatch(xb[0], yb[0]);
    const compiled = b.compiled;
    const d1 = m.getLayer('d1');
    d1.trainable = false;
    const frozen = d1.getWeights().map((w) => Array.from(w.data));
    const d2 = m.getLayer('d2').getWeights().map((w) => Array.from(w.data));
    await m.trainOnBatch(xb[0], yb[0]);
    expect(b.compiled).toBe(compiled + 1);
    expect(d1.getWeights().map((w) => Array.from(w.data))).toEqual(frozen);
    expect(m.getLayer('d2').getWeights().map((w) => Array.from(w.data))).not.toEqual(d2);
    // Unfreezing gives back the first step (still cached).
    d1.trainable = true;
    await m.trainOnBatch(xb[0], yb[0]);
    expect(b.compiled).toBe(compiled + 1);
    expect(d1.getWeights().map((w) => Array.from(w.data))).not.toEqual(frozen);
  });

  it('freezing a layer keeps the predict step (its graph reads every weight alike, as Keras 2 does not retrace predict)', async () => {
    const b = counting();
    const { m, counter } = model();
    const first = Array.from(onlyOutput(await m.predict(x, { batchSize: 8 })).data);
    const compiled = b.compiled;
    const traced = counter.calls;
    m.getLayer('d1').trainable = false;
    expect(Array.from(onlyOutput(await m.predict(x, { batchSize: 8 })).data)).toEqual(first);
    expect(b.compiled).toBe(compiled);
    expect(counter.calls).toBe(traced);
  });

  it('a layer added to a Sequential after predict makes a new predict step (no layer weights needed)', async () => {
    const m = new Sequential([new Dense({ units: 3, inputShape: [2], kernelInitializer: 'ones', biasInitializer: { class_name: 'Constant', config: { value: -5 } } })]);
    const one = new Tensor([1, 2], 'float32', Float32Array.from([1, 1]));
    expect(Array.from((await m.predict(one)).data)).toEqual([-3, -3, -3]);
    m.add(new Activation({ activation: 'relu' }));
    expect(Array.from((await m.predict(one)).data)).toEqual([0, 0, 0]);
    m.pop();
    expect(Array.from((await m.predictOnBatch(one)).data)).toEqual([-3, -3, -3]);
  });
});
