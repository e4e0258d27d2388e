import { ops, type Sym } from '@keras-ts/spec';
import { describe, expect, it } from 'vitest';
import { Dense, Embedding, Flatten, Input, Model, Sequential, Tensor, onlyLoss, type KerasTensor } from '../../src/index.js';
import { randn } from './helpers.js';

/** Plain functions as metrics, and bool / integer data, as Keras 2 takes them. */

function model(): Sequential {
  return new Sequential([new Dense({ units: 4, activation: 'relu', inputShape: [3], kernelInitializer: 'ones' }), new Dense({ units: 1, kernelInitializer: 'ones' })]);
}

const absError = (yTrue: Sym, yPred: Sym) => ops.mean(ops.abs(ops.sub(yTrue, yPred)), -1);

describe('metrics given as plain functions', () => {
  it('are averaged over the samples and named after the function, or metric_<n> when anonymous', async () => {
    const m = model();
    function myAbs(t: Sym, p: Sym) {
      return absError(t, p);
    }
    m.compile({ optimizer: 'sgd', loss: 'mse', metrics: [myAbs, (t: Sym, p: Sym) => ops.mean(ops.square(ops.sub(t, p)), -1), absError] });
    const x = randn([6, 3], 4);
    const y = randn([6, 1], 5);
    const logs = await m.evaluate(x, y, { verbose: 0, returnDict: true });
    expect(Object.keys(logs)).toEqual(['loss', 'myAbs', 'metric_2', 'absError']);
    const pred = await m.predict(x);
    const mae = Array.from(pred.data).reduce((s, p, i) => s + Math.abs(p - y.data[i]), 0) / 6;
    expect(logs.myAbs).toBeCloseTo(mae, 5);
    expect(logs.absError).toBeCloseTo(mae, 5);
    expect(logs.metric_2).toBeCloseTo(logs.loss, 5);
    const h = await m.fit(x, y, { epochs: 1, verbose: 0 });
    expect(Object.keys(h.history)).toEqual(['loss', 'myAbs', 'metric_2', 'absError']);
  });
});

describe('bool and integer data', () => {
  it('int32 and bool inputs for a float32 input are cast, as Keras casts inputs to the Input dtype', async () => {
    const m = model();
    m.compile({ optimizer: 'sgd', loss: 'mse' });
    const ints = new Tensor([4, 3], 'int32', Int32Array.from([1, 0, 2, 3, 1, 0, 0, 0, 1, 2, 2, 2]));
    const floats = new Tensor([4, 3], 'float32', Float32Array.from(ints.data));
    const bools = new Tensor([4, 3], 'bool', Uint8Array.from(ints.data, (v) => (v ? 1 : 0)));
    const asFloat = await m.predict(floats);
    expect([...(await m.predict(ints)).data]).toEqual([...asFloat.data]);
    const boolFloat = await m.predict(new Tensor([4, 3], 'float32', Float32Array.from(bools.data)));
    expect([...(await m.predict(bools)).data]).toEqual([...boolFloat.data]);
    const labels = new Tensor([4, 1], 'int32', Int32Array.from([1, 0, 1, 1]));
    const h = await m.fit(ints, labels, { epochs: 2, verbose: 0, batchSize: 2 });
    expect(h.history.loss.every(Number.isFinite)).toBe(true);
    expect(Number.isFinite(onlyLoss(await m.evaluate(bools, labels, { verbose: 0 })))).toBe(true);
  });

  it('integer labels reach the loss cast to the predictions dtype (the same loss as float labels)', async () => {
    const m = model();
    m.compile({ optimizer: 'sgd', loss: 'binary_crossentropy', metrics: ['accuracy'] });
    const x = randn([4, 3], 7);
    const ints = new Tensor([4, 1], 'int32', Int32Array.from([1, 0, 0, 1]));
    const floats = new Tensor([4, 1], 'float32', Float32Array.from([1, 0, 0, 1]));
    expect(await m.evaluate(x, ints, { verbose: 0 })).toEqual(await m.evaluate(x, floats, { verbose: 0 }));
  });

  it('an int32 Input (indices for an Embedding) keeps its dtype', async () => {
    const inp = Input({ shape: [2], dtype: 'int32' });
    const out = new Dense({ units: 1 }).apply(new Flatten().apply(new Embedding({ inputDim: 5, outputDim: 2 }).apply(inp)));
    const m = new Model(inp, out);
    m.compile('sgd', 'sparse_categorical_crossentropy');
    const idx = new Tensor([2, 2], 'int32', Int32Array.from([4, 1, 0, 3]));
    const p = await m.predict(idx);
    expect(p.shape).toEqual([2, 1]);
  });
});
