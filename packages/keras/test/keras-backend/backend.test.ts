import { assert, describe, expect, it } from 'vitest';
import type { Sym } from '@keras-ts/spec';
import { createTsBackend } from '@keras-ts/backend-ts';
import { Input, KerasTensor, Model, Tensor, deserializeLayer, keras, modelFromJSON, onlyOutput, setBackend, tensor } from '../../src/index.js';
import * as K from '../../src/namespaces/backend.js';
import * as layersNs from '../../src/namespaces/layers.js';
import * as regularizersNs from '../../src/namespaces/regularizers.js';
import { expectClose, randn } from '../engine/helpers.js';

setBackend(createTsBackend());

const data = (t: Tensor) => Array.from(t.data);

describe('the keras namespace', () => {
  it('has the modules of Keras 2, the same objects as the subpath exports', () => {
    for (const m of ['layers', 'models', 'losses', 'metrics', 'optimizers', 'callbacks', 'initializers', 'regularizers', 'constraints', 'activations', 'utils', 'preprocessing', 'backend']) {
      expect(keras, m).toHaveProperty(m);
    }
    expect(keras.layers.Dense).toBe(layersNs.Dense);
    expect(keras.layers.Input).toBe(Input);
    expect(keras.backend.mean).toBe(K.mean);
    expect(keras.regularizers.l2).toBe(regularizersNs.l2);
    expect(typeof keras.utils.toCategorical).toBe('function');
    expect(typeof keras.preprocessing.sequence.padSequences).toBe('function');
    expect(keras.models.load_model).toBe(keras.models.loadModel);
  });

  it('builds and trains a model written with keras.* only', async () => {
    const model = new keras.models.Sequential([
      new keras.layers.Dense({ units: 8, activation: 'relu', inputShape: [4], kernelRegularizer: keras.regularizers.l2(1e-3) }),
      new keras.layers.Dense({ units: 1 }),
    ]);
    model.compile(new keras.optimizers.Adam({ learningRate: 0.01 }), 'mse');
    const x = randn([32, 4], 1);
    const y = randn([32, 1], 2);
    const h = await model.fit(x, y, { epochs: 5, verbose: 0 });
    const loss = h.history.loss;
    expect(loss[4]).toBeLessThan(loss[0]);
  });
});

describe('regularizer factories (Keras 2: l1(0.01), l2(0.01), l1_l2(l1=0.01, l2=0.01))', () => {
  it('take the factor positionally or as an object, with Keras 2 defaults', () => {
    expect(keras.regularizers.l2().getConfig()).toEqual({ l2: Math.fround(0.01) });
    expect(keras.regularizers.l2(0.5).getConfig()).toEqual({ l2: 0.5 });
    expect(keras.regularizers.l1({ l1: 0.25 }).getConfig()).toEqual({ l1: 0.25 });
    expect(keras.regularizers.l1_l2().getConfig()).toEqual({ l1: Math.fround(0.01), l2: Math.fround(0.01) });
    expect(keras.regularizers.l1_l2(0.5, 0.25).getConfig()).toEqual({ l1: 0.5, l2: 0.25 });
    expect(keras.regularizers.l1_l2({ l2: 0.25 }).getConfig()).toEqual({ l1: Math.fround(0.01), l2: 0.25 });
    expect(keras.regularizers.l1L2({ l2: 0.25 }).getConfig()).toEqual({ l1: Math.fround(0.01), l2: 0.25 });
  });
  it('refuse unknown keys', () => {
    // @ts-expect-error -- l2() does not take l1, on purpose
    expect(() => keras.regularizers.l2({ l1: 0.1 })).toThrow(/l1/);
  });
});

describe('K on concrete tensors (runs now)', () => {
  const x = tensor([
    [1, -2, 3],
    [-4, 5, -6],
  ]);
  it('reductions with Keras 2 defaults (all axes, keepdims false)', () => {
    expectClose(K.mean(x), [-0.5]);
    expect(K.mean(x).shape).toEqual([]);
    expectClose(K.sum(x, 1), [2, -5]);
    expect(K.max(x, 0, true).shape).toEqual([1, 3]);
    expectClose(K.max(x, 0, true), [1, 5, 3]);
    expectClose(K.std(x, -1), [Math.sqrt(((1 - 2 / 3) ** 2 + (-2 - 2 / 3) ** 2 + (3 - 2 / 3) ** 2) / 3), Math.sqrt(((-4 + 5 / 3) ** 2 + (5 + 5 / 3) ** 2 + (-6 + 5 / 3) ** 2) / 3)], 1e-5);
    // Booleans are cast to float first.
    expectClose(K.mean(K.greater(x, 0)), [0.5]);
  });
  it('elementwise functions as Keras 2 defines them', () => {
    expectClose(K.sqrt(x), [1, 0, Math.sqrt(3), 0, Math.sqrt(5), 0]); // clipped at 0 first
    expectClose(K.clip(x, 2, 1), [2, 2, 2, 2, 2, 2]); // a max below the min is raised to it
    expectClose(K.clip(x, -3, 3), [1, -2, 3, -3, 3, -3]);
    expectClose(K.relu(x, 0.1, 4, 0), [1, -0.2, 3, -0.4, 4, -0.6]);
    expectClose(K.square(x), [1, 4, 9, 16, 25, 36]);
    expectClose(K.abs(x), [1, 2, 3, 4, 5, 6]);
    expectClose(K.subtract(1, x), [0, 3, -2, 5, -4, 7]);
    expectClose(K.maximum(x, K.epsilon()), [1, 1e-7, 3, 1e-7, 5, 1e-7]);
    expect(K.cast(K.equal(x, 3), 'float32').dtype).toBe('float32');
  });
  it('l2_normalize, concatenate, dot, shapes', () => {
    const n = K.l2_normalize(x, -1);
    expectClose(n, [1 / Math.sqrt(14), -2 / Math.sqrt(14), 3 / Math.sqrt(14), -4 / Math.sqrt(77), 5 / Math.sqrt(77), -6 / Math.sqrt(77)]);
    expect(K.concatenate([x, x]).shape).toEqual([2, 6]);
    expect(K.concatenate([x, x], 0).shape).toEqual([4, 3]);
    // Keras 2's dot of [2, 3] and [4, 3, 5] is [2, 4, 5].
    const y = randn([4, 3, 5], 3);
    const d = K.dot(x, y);
    expect(d.shape).toEqual([2, 4, 5]);
    const want: number[] = [];
    for (let i = 0; i < 2; i++) for (let a = 0; a < 4; a++) for (let m = 0; m < 5; m++) {
      let s = 0;
      for (let k = 0; k < 3; k++) s += x.data[i * 3 + k] * y.data[a * 15 + k * 5 + m];
      want.push(s);
    }
    expectClose(d, want, 1e-5);
    expect(K.int_shape(x)).toEqual([2, 3]);
    expect(K.ndim(x)).toBe(2);
    expect(K.dtype(x)).toBe('float32');
    expect(K.floatx()).toBe('float32');
    expect(K.epsilon()).toBe(1e-7);
  });
  it('crossentropies as Keras 2 backend functions', () => {
    const t = tensor([[0, 1, 0.5]]);
    const o = tensor([[0.1, 0.8, 0]]);
    const eps = 1e-7;
    const bce = (tv: number, ov: number) => {
      const c = Math.min(Math.max(ov, eps), 1 - eps);
      return -(tv * Math.log(c + eps) + (1 - tv) * Math.log(1 - c + eps));
    };
    expectClose(K.binary_crossentropy(t, o), [bce(0, 0.1), bce(1, 0.8), bce(0.5, 0)], 1e-5);
    const ct = tensor([[0, 1, 0]]);
    const co = tensor([[1, 2, 1]]);
    expectClose(K.categorical_crossentropy(ct, co), [-Math.log(0.5)], 1e-5);
  });
  it('random values outside a traced function are concrete', () => {
    const r = K.random_normal([1000], 2, 0.5);
    assert(r instanceof Tensor, 'K.random_normal outside a traced function gives a Tensor');
    const mean = data(r).reduce((a, b) => a + b, 0) / 1000;
    expect(Math.abs(mean - 2)).toBeLessThan(0.1);
  });
});

describe('K on placeholders (functional code)', () => {
  it('makes layer nodes that the model runs, with the shape Keras gives', async () => {
    const inp = Input({ shape: [3] });
    const sq = K.square(inp);
    expect(sq).toBeInstanceOf(KerasTensor);
    const m = K.mean(sq, -1, true);
    expect(K.int_shape(m)).toEqual([null, 1]);
    const out = K.concatenate([K.relu(inp), K.relu(K.negative(inp))]);
    expect(K.int_shape(out)).toEqual([null, 6]);
    const model = new Model(inp, [m, out]);
    const x = tensor([
      [1, -2, 3],
      [0, 4, -1],
    ]);
    const [pm, po] = await model.predict(x);
    expectClose(pm, [14 / 3, 17 / 3]);
    expectClose(po, [1, 0, 3, 0, 2, 0, 0, 4, 0, 0, 0, 1]);
  });

  it('mixes with layers, trains, and serializes through the model config', async () => {
    const inp = Input({ shape: [4] });
    const h = new keras.layers.Dense({ units: 3 }).apply(inp);
    const out = K.sum(K.multiply(h, 2), -1, true);
    const model = new Model({ inputs: inp, outputs: out });
    model.compile('sgd', 'mse');
    const x = randn([16, 4], 5);
    const before = await model.predict(x);
    const again = modelFromJSON(model.toJSON());
    again.setWeights(model.getWeights());
    expectClose(onlyOutput(await again.predict(x)), data(onlyOutput(before)));
    const hist = await model.fit(x, randn([16, 1], 6), { epochs: 3, verbose: 0 });
    expect(hist.history.loss[2]).toBeLessThan(hist.history.loss[0]);
    expect(deserializeLayer({ class_name: 'OpLambda', config: { name: 'op', function: 'square', arguments: [{ __tensor__: 0 }] } })).toBeInstanceOf(K.OpLambda);
  });

  it('refuses mixing placeholders with symbolic tensors, and unknown functions', () => {
    expect(() => deserializeLayer({ class_name: 'OpLambda', config: { name: 'op2', function: 'no_such_fn', arguments: [] } })).toThrow(/no_such_fn/);
  });
});

describe('K inside a Lambda (symbolic tensors)', () => {
  it('computes in the traced graph; K.shape gives numbers, K.random_normal draws per run', async () => {
    const inp = Input({ shape: [2] });
    const sampled = new keras.layers.Lambda({
      function: (x: Sym | Sym[]) => {
        const z = x as Sym;
        const [batch, dim] = K.shape(z) as number[];
        const eps = K.random_normal([batch, dim]);
        return K.add(z, K.multiply(eps, 0));
      },
    }).apply(inp);
    const model = new Model(inp, sampled);
    const x = randn([5, 2], 7);
    expectClose(onlyOutput(await model.predict(x)), data(x));
  });
});

describe('subpath exports', () => {
  it('resolve through the package name to the namespace modules', async () => {
    const names = ['layers', 'models', 'losses', 'metrics', 'optimizers', 'callbacks', 'initializers', 'regularizers', 'constraints', 'activations', 'utils', 'preprocessing', 'backend'] as const;
    for (const n of names) {
      const mod = (await import(/* @vite-ignore */ `@keras-ts/keras/${n}`)) as Record<string, unknown>;
      const ns = (keras as unknown as Record<string, Record<string, unknown>>)[n];
      expect(Object.keys(mod).sort(), n).toEqual(Object.keys(ns).sort());
    }
    const { Dense } = await import('@keras-ts/keras/layers');
    expect(Dense).toBe(keras.layers.Dense);
  });
});

describe('spec ops given a placeholder', () => {
  it('fail with what to use instead', async () => {
    const { ops } = await import('@keras-ts/spec');
    const x = Input({ shape: [3] });
    // @ts-expect-error -- a KerasTensor placeholder where spec ops take a Sym, on purpose
    for (const f of [() => ops.add(x, 1), () => ops.relu(x), () => ops.mean(x)]) {
      expect(f).toThrow(/placeholder of the functional API.*backend functions \(keras.backend: K.add/);
    }
  });
});

describe('keras.losses functions on placeholders and concrete tensors', () => {
  it('give per-sample losses as the symbolic functions do', async () => {
    const yt = tensor([[0, 1], [1, 1]]);
    const yp = tensor([[0.2, 0.6], [0.9, 0.3]]);
    // Concrete: computed now.
    const mse = keras.losses.mse(yt, yp);
    expectClose(mse, [(0.04 + 0.16) / 2, (0.01 + 0.49) / 2]);
    expect(keras.losses.mean_squared_error).toBe(keras.losses.mse);
    // Placeholders: a layer node; the model computes the same values.
    const a = Input({ shape: [2] });
    const b = Input({ shape: [2] });
    const out = keras.losses.binary_crossentropy(a, b);
    expect(K.int_shape(out)).toEqual([null]);
    const model = new Model([a, b], out);
    const got = onlyOutput(await model.predict([yt, yp]));
    const eps = 1e-7;
    const bce = (t: number, p: number) => -(t * Math.log(Math.max(p, eps)) + (1 - t) * Math.log(Math.max(1 - p, eps)));
    expectClose(got, [(bce(0, 0.2) + bce(1, 0.6)) / 2, (bce(1, 0.9) + bce(1, 0.3)) / 2], 1e-5);
    // As compile's loss, the function keeps its name.
    expect(keras.losses.categoricalCrossentropy.name).toBe('categoricalCrossentropy');
  });
});

describe('K.constant', () => {
  it('makes a Tensor from nested arrays or a filled shape, and refuses ragged arrays', () => {
    const c = K.constant([[1, 2], [3, 4]]);
    assert(c instanceof Tensor, 'K.constant outside a traced function gives a Tensor');
    expect(c.shape).toEqual([2, 2]);
    expectClose(c, [1, 2, 3, 4]);
    const f = K.constant(7, 'float32', [2, 3]);
    assert(f instanceof Tensor, 'K.constant outside a traced function gives a Tensor');
    expect(f.shape).toEqual([2, 3]);
    expectClose(f, [7, 7, 7, 7, 7, 7]);
    expect(() => K.constant([[1, 2], [3]])).toThrow(/ragged/);
  });
});
