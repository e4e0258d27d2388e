/**
 * tfjs interop: on backend-tfjs, models take tf.Tensors in fit / evaluate / predict and predict
 * gives tf.Tensors back when given them; fromTf / toTf convert both ways; keras' tensor() refuses
 * a tf.Tensor (it used to make a NaN scalar of it) and other non-numbers.
 */
import * as tf from '@tensorflow/tfjs';
import { Dense, Sequential, SGD, setBackend, tensor, Tensor, onlyLoss } from '@keras-ts/keras';
import { createTfjsBackend, fromTf, isTfTensor, toTf } from '@keras-ts/backend-tfjs';
import { createTsBackend } from '@keras-ts/backend-ts';
import { afterEach, describe, expect, it } from 'vitest';

const cpu = await createTfjsBackend({ backend: 'cpu' });
const wasm = await createTfjsBackend({ backend: 'wasm' });

/** A 3 -> 2 linear model with known weights: y = x @ W + b. */
function linear(): Sequential {
  const model = new Sequential([new Dense({ units: 2, inputShape: [3], useBias: true })]);
  model.layers[0].setWeights([tensor([[1, 0], [0, 1], [1, -1]]), tensor([0.5, -0.5])]);
  return model;
}

const X = [[1, 2, 3], [4, 5, 6]];
const Y = [[1 + 3 + 0.5, 2 - 3 - 0.5], [4 + 6 + 0.5, 5 - 6 - 0.5]];

afterEach(() => setBackend(createTsBackend()));

describe('fromTf / toTf', () => {
  it('convert float32, int32 and bool both ways, copying the values', () => {
    for (const [values, dtype] of [[[1.5, -2, 3], 'float32'], [[1, -2, 3], 'int32'], [[1, 0, 1], 'bool']] as const) {
      const t = tf.tensor([...values], [3, 1], dtype);
      const h = fromTf(t);
      expect(h.shape).toEqual([3, 1]);
      expect(h.dtype).toBe(dtype);
      expect(Array.from(h.data)).toEqual(values.map(Number));
      h.data[0] = 42; // a copy: the tf.Tensor keeps its value
      expect(t.dataSync()[0]).toBe(Number(values[0]));
      const back = toTf(Tensor.from(fromTf(t)));
      expect(back.dtype).toBe(dtype);
      expect(back.shape).toEqual([3, 1]);
      expect(Array.from(back.dataSync())).toEqual(values.map(Number));
      t.dispose();
      back.dispose();
    }
  });

  it('refuse what they cannot convert, naming it', () => {
    const t = tf.ones([2]);
    t.dispose();
    expect(() => fromTf(t)).toThrow(/fromTf: the tf.Tensor \(shape \[2\], float32\) is disposed/);
    const c = tf.tensor(['a', 'b']);
    expect(() => fromTf(c)).toThrow(/string tf.Tensor \(shape \[2\]\) has no keras-ts dtype/);
    c.dispose();
    // @ts-expect-error -- an array is not a tf.Tensor, on purpose
    expect(() => fromTf([1, 2])).toThrow(/expected a tf.Tensor .* got a Array object/);
    expect(() => toTf({ shape: [3], dtype: 'float32', data: new Float32Array(2) })).toThrow(/toTf: expected a keras-ts Tensor or host tensor/);
  });

  it('isTfTensor tells tf.Tensors from keras-ts Tensors', () => {
    const t = tf.ones([1]);
    expect(isTfTensor(t)).toBe(true);
    expect(isTfTensor(tensor([1]))).toBe(false);
    expect(isTfTensor({ shape: [1] })).toBe(false);
    t.dispose();
  });
});

for (const backend of [cpu, wasm]) {
  describe(`models on ${backend.name} take tf.Tensors`, () => {
    it('predict(tf.Tensor) gives a tf.Tensor with the values predict(Tensor) gives', async () => {
      setBackend(backend);
      const model = linear();
      await model.predict(tensor(X)); // compiles the step
      const before = tf.memory().numTensors;
      const x = tf.tensor2d(X);
      const y = (await model.predict(x)) as tf.Tensor;
      expect(isTfTensor(y)).toBe(true);
      expect(y.shape).toEqual([2, 2]);
      expect(y.dtype).toBe('float32');
      expect(y.arraySync()).toEqual(Y);
      const kerasY = await model.predict(tensor(X));
      expect(kerasY).toBeInstanceOf(Tensor);
      expect(Array.from(kerasY.data)).toEqual(Array.from(y.dataSync()));
      x.dispose();
      y.dispose();
      // The conversions leave nothing behind: the caller's tensors were the only new ones.
      expect(tf.memory().numTensors).toBe(before);
    });

    it('a model with two outputs gives a list of tf.Tensors; mixed inputs give keras-ts Tensors', async () => {
      setBackend(backend);
      const { Input, Model } = await import('@keras-ts/keras');
      const inp = Input({ shape: [3] });
      const a = new Dense({ units: 1 }).apply(inp);
      const b = new Dense({ units: 2 }).apply(inp);
      const model = new Model({ inputs: inp, outputs: [a, b] });
      const x = tf.tensor2d(X);
      const outs = (await model.predict(x)) as tf.Tensor[];
      expect(outs.map((o) => (isTfTensor(o) ? o.shape : null))).toEqual([[2, 1], [2, 2]]);
      const listed = (await model.predict([x])) as tf.Tensor[];
      expect(listed.every(isTfTensor)).toBe(true);
      tf.dispose([x, ...outs, ...listed]);
    });

    it('fit and evaluate take tf.Tensors and train as on keras-ts Tensors', async () => {
      setBackend(backend);
      const run = async (asTf: boolean) => {
        const model = linear();
        model.compile({ optimizer: new SGD({ learningRate: 0.01 }), loss: 'mse' });
        const x = asTf ? tf.tensor2d(X) : tensor(X);
        const y = asTf ? tf.tensor2d([[0, 0], [1, 1]]) : tensor([[0, 0], [1, 1]]);
        const h = await model.fit(x, y, { epochs: 3, batchSize: 2, shuffle: false, verbose: 0 });
        const loss = onlyLoss(await model.evaluate(x, y, { verbose: 0 }));
        if (asTf) tf.dispose([x as tf.Tensor, y as tf.Tensor]);
        return { losses: h.history.loss, loss, w: Array.from(model.getWeights()[0].data) };
      };
      const viaTf = await run(true);
      const viaKeras = await run(false);
      expect(viaTf.losses).toEqual(viaKeras.losses);
      expect(viaTf.loss).toBe(viaKeras.loss);
      expect(viaTf.w).toEqual(viaKeras.w);
      expect(viaTf.losses[2]).toBeLessThan(viaTf.losses[0]);
    });
  });
}

describe('off backend-tfjs', () => {
  it('a tf.Tensor is an error that says how to convert it; fromTf output is taken', async () => {
    setBackend(createTsBackend());
    const model = linear();
    const x = tf.tensor2d(X);
    await expect(model.predict(x)).rejects.toThrow(/expected Tensors .* got Tensor at position 0; a tf.Tensor is taken on backend-tfjs \(the current backend is 'ts'\), or convert it with fromTf\(\)/);
    const y = await model.predict(fromTf(x));
    expect(y.toArray()).toEqual(Y);
    x.dispose();
  });
});

describe("keras' tensor() refuses what is not numbers", () => {
  it('a tf.Tensor is an error naming fromTf, never a NaN scalar', () => {
    const t = tf.ones([2, 2]);
    // @ts-expect-error -- a tf.Tensor is not nested numbers, on purpose
    expect(() => tensor(t)).toThrow(/tensor\(\) takes numbers .* got a Tensor object: a tf.Tensor\? .* fromTf\(\) from '@keras-ts\/backend-tfjs'/);
    // @ts-expect-error -- tf.Tensors inside the list, on purpose
    expect(() => tensor([t, t])).toThrow(/got a Tensor object at element 0 \(row-major\)/);
    t.dispose();
  });

  it('a keras-ts Tensor, a string, null and a plain object are errors naming what was given', () => {
    // @ts-expect-error -- a Tensor is not nested numbers, on purpose
    expect(() => tensor(tensor([1]))).toThrow(/got a Tensor object: it is already a Tensor/);
    // @ts-expect-error -- a string element, on purpose
    expect(() => tensor([[1, 2], [3, '4']])).toThrow(/got a string \('4'\) at element 3/);
    // @ts-expect-error -- a null element, on purpose
    expect(() => tensor([1, null])).toThrow(/got null at element 1/);
    // @ts-expect-error -- a plain object is not nested numbers, on purpose
    expect(() => tensor({ a: 1 })).toThrow(/got a Object object/);
    expect(tensor([[true, false]]).dtype).toBe('bool');
  });
});
