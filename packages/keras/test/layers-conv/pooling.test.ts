import { describe, expect, it } from 'vitest';
import { createTsBackend } from '@keras-ts/backend-ts';
import {
  AveragePooling1D,
  AveragePooling2D,
  AveragePooling3D,
  AvgPool2D,
  GlobalAveragePooling1D,
  GlobalAveragePooling2D,
  GlobalAveragePooling3D,
  GlobalMaxPool1D,
  GlobalMaxPooling1D,
  GlobalMaxPooling2D,
  GlobalMaxPooling3D,
  Input,
  KerasTensor,
  Masking,
  MaxPooling1D,
  MaxPooling2D,
  MaxPooling3D,
  Model,
  Tensor,
  deserializeLayer,
  serialize,
  setBackend,
  tensor,
} from '../../src/index.js';
import { expectClose, randTensor } from './reference.js';

setBackend(createTsBackend());

/** Direct pooling over [N, ...spatial, C] with explicit windows; padded positions are skipped. */
function naivePool(x: Tensor, pool: number[], st: number[], padBefore: number[], out: number[], kind: 'max' | 'avg'): Tensor {
  const r = pool.length;
  const S = x.shape.slice(1, r + 1);
  const c = x.shape[r + 1];
  const n = x.shape[0];
  const outShape = [n, ...out, c];
  const res: number[] = [];
  const sizeOf = (s: number[]) => s.reduce((a, b) => a * b, 1);
  const unflat = (f: number, shape: number[]) => {
    const idx: number[] = [];
    for (let i = shape.length - 1; i >= 0; i--) {
      idx[i] = f % shape[i];
      f = Math.floor(f / shape[i]);
    }
    return idx;
  };
  for (let b = 0; b < n; b++) {
    for (let of = 0; of < sizeOf(out); of++) {
      const o = unflat(of, out);
      for (let ch = 0; ch < c; ch++) {
        let acc = kind === 'max' ? -Infinity : 0;
        let cnt = 0;
        for (let kf = 0; kf < sizeOf(pool); kf++) {
          const k = unflat(kf, pool);
          const pos = o.map((oi, i) => oi * st[i] + k[i] - padBefore[i]);
          if (pos.some((p, i) => p < 0 || p >= S[i])) continue;
          let flat = b;
          pos.forEach((p, i) => (flat = flat * S[i] + p));
          const v = x.data[flat * c + ch] as number;
          acc = kind === 'max' ? Math.max(acc, v) : acc + v;
          cnt++;
        }
        res.push(kind === 'max' ? acc : acc / cnt);
      }
    }
  }
  return new Tensor(outShape, 'float32', Float32Array.from(res));
}

describe('pooling config', () => {
  it('writes Keras 2 keys in Keras 2 order (1D differs from 2D/3D), strides default to pool_size', () => {
    expect(Object.entries(new MaxPooling1D({ name: 'p1' }).getConfig())).toEqual([
      ['name', 'p1'], ['trainable', true], ['dtype', 'float32'], ['strides', [2]], ['pool_size', [2]], ['padding', 'valid'], ['data_format', 'channels_last'],
    ]);
    expect(Object.entries(new AveragePooling2D({ name: 'p2', poolSize: 3, strides: null, padding: 'Same' }).getConfig())).toEqual([
      ['name', 'p2'], ['trainable', true], ['dtype', 'float32'], ['pool_size', [3, 3]], ['padding', 'same'], ['strides', [3, 3]], ['data_format', 'channels_last'],
    ]);
    expect(new MaxPooling3D().getConfig()).toMatchObject({ pool_size: [2, 2, 2], strides: [2, 2, 2] });
    expect(Object.entries(new GlobalAveragePooling1D({ name: 'g' }).getConfig())).toEqual([
      ['name', 'g'], ['trainable', true], ['dtype', 'float32'], ['data_format', 'channels_last'], ['keepdims', false],
    ]);
  });

  it('round-trips and knows the Keras 2 aliases', () => {
    for (const l of [new MaxPooling1D({ poolSize: 3, strides: 1, padding: 'same', inputShape: [5, 2] }), new AveragePooling3D({ poolSize: [1, 2, 3] }), new GlobalMaxPooling2D({ keepdims: true }), new GlobalAveragePooling1D({ dataFormat: null })]) {
      const wire = JSON.parse(JSON.stringify(serialize(l)));
      expect(JSON.stringify(serialize(deserializeLayer(wire)))).toBe(JSON.stringify(wire));
    }
    expect(AvgPool2D).toBe(AveragePooling2D);
    expect(GlobalMaxPool1D).toBe(GlobalMaxPooling1D);
    expect(deserializeLayer({ class_name: 'MaxPool2D', config: {} })).toBeInstanceOf(MaxPooling2D);
    expect(deserializeLayer({ class_name: 'GlobalAvgPool1D', config: {} })).toBeInstanceOf(GlobalAveragePooling1D);
  });
});

describe('pooling errors', () => {
  it('refuses channels_first, causal padding and bad sizes', () => {
    expect(() => new MaxPooling2D({ dataFormat: 'channels_first', name: 'cf' })).toThrow(/MaxPooling2D 'cf'.*channels_first.*only 'channels_last'/);
    expect(() => new GlobalAveragePooling2D({ dataFormat: 'channels_first', name: 'g' })).toThrow(/GlobalAveragePooling2D 'g'.*channels_first/);
    expect(() => new MaxPooling1D({ padding: 'causal', name: 'c' })).toThrow(/MaxPooling1D 'c'.*padding.*"causal".*'valid', 'same'/);
    expect(() => new AveragePooling2D({ poolSize: [2, 2, 2], name: 'ps' })).toThrow(/AveragePooling2D 'ps': argument 'poolSize' got \[2,2,2\]/);
    expect(() => new AveragePooling2D({ strides: 0 })).toThrow(/strides.*each >= 1/);
    expect(() => new GlobalMaxPooling1D({ keepdims: 1 as unknown as boolean, name: 'k' })).toThrow(/GlobalMaxPooling1D 'k'.*keepdims/);
  });
  it('checks input shapes', () => {
    expect(() => new MaxPooling2D({ poolSize: 3, name: 'big' }).apply(Input({ shape: [2, 5, 1] }))).toThrow(/MaxPooling2D 'big'.*pool_size \[3,3\].*larger.*\[null, 2, 5, 1\]/);
    expect(() => new MaxPooling2D({ name: 'r' }).apply(Input({ shape: [4, 4] }))).toThrow(/MaxPooling2D 'r' expects inputs of rank 4.*\[null, 4, 4\]/);
    expect(() => new GlobalAveragePooling3D({ name: 'r3' }).apply(Input({ shape: [4, 4, 2] }))).toThrow(/GlobalAveragePooling3D 'r3' expects inputs of rank 5/);
  });
});

describe('pooling math (against a direct implementation)', () => {
  it('AveragePooling2D same: padded positions are not counted (TF)', () => {
    const x = randTensor([2, 5, 4, 3], 31);
    const y = new AveragePooling2D({ poolSize: 3, strides: 1, padding: 'same' }).apply(x);
    expectClose(y, naivePool(x, [3, 3], [1, 1], [1, 1], [5, 4], 'avg'));
  });
  it('MaxPooling3D same, strides 2', () => {
    const x = randTensor([1, 5, 3, 4, 2], 32);
    const y = new MaxPooling3D({ poolSize: 2, padding: 'same' }).apply(x);
    expectClose(y, naivePool(x, [2, 2, 2], [2, 2, 2], [0, 0, 0], [3, 2, 2], 'max'));
  });
  it('MaxPooling1D with strides other than pool_size', () => {
    const x = randTensor([2, 9, 2], 33);
    const y = new MaxPooling1D({ poolSize: 3, strides: 2 }).apply(x);
    expectClose(y, naivePool(x, [3], [2], [0], [4], 'max'));
  });
  it('AveragePooling1D same with strides: extra padding at the end', () => {
    const x = randTensor([1, 6, 1], 34);
    const y = new AveragePooling1D({ poolSize: 3, strides: 2, padding: 'same' }).apply(x);
    // out 3; total pad (3 - 1) * 2 + 3 - 6 = 1: 0 before, 1 after
    expectClose(y, naivePool(x, [3], [2], [0], [3], 'avg'));
  });
  it('global pooling with keepdims', () => {
    const x = tensor([[[1, -2], [3, 4], [-5, 6]]]);
    expect((new GlobalMaxPooling1D({ keepdims: true }).apply(x)).toArray()).toEqual([[[3, 6]]]);
    expectClose(new GlobalAveragePooling1D().apply(x), tensor([[-1 / 3, 8 / 3]]));
    const x3 = randTensor([2, 2, 3, 2, 2], 35);
    const m = new GlobalMaxPooling3D().apply(x3);
    // A window over the whole volume is the global max.
    expectClose(m, new Tensor([2, 2], 'float32', naivePool(x3, [2, 3, 2], [1, 1, 1], [0, 0, 0], [1, 1, 1], 'max').data));
  });
  it('output shapes with unknown sizes', () => {
    expect(new MaxPooling2D({ padding: 'same' }).computeOutputShape([null, 5, null, 3])).toEqual([null, 3, null, 3]);
    expect(new AveragePooling1D({ poolSize: 3, strides: 1 }).computeOutputShape([null, 10, 4])).toEqual([null, 8, 4]);
    expect(new GlobalAveragePooling2D({ keepdims: true }).computeOutputShape([null, null, null, 7])).toEqual([null, 1, 1, 7]);
  });
});

describe('GlobalAveragePooling1D with a mask (Keras 2)', () => {
  it('averages only the unmasked steps and drops the mask', async () => {
    const inp = Input({ shape: [4, 2] });
    const masked = new Masking({ maskValue: 0 }).apply(inp);
    expect(masked.hasMask).toBe(true);
    const pooled = new GlobalAveragePooling1D().apply(masked);
    expect(pooled.hasMask).toBe(false);
    expect(pooled.shape).toEqual([null, 2]);
    const model = new Model({ inputs: inp, outputs: pooled });
    const x = tensor([
      [[1, 2], [0, 0], [3, -4], [0, 0]],
      [[2, 2], [4, 6], [0, 0], [-3, 1]],
    ]);
    const y = await model.predict(x);
    expectClose(y, tensor([[2, -1], [1, 3]]));
  });

  it('keepdims with a mask', async () => {
    const inp = Input({ shape: [3, 1] });
    const pooled = new GlobalAveragePooling1D({ keepdims: true }).apply(new Masking({ maskValue: 0 }).apply(inp));
    expect(pooled.shape).toEqual([null, 1, 1]);
    const y = await new Model({ inputs: inp, outputs: pooled }).predict(tensor([[[2], [0], [4]]]));
    expectClose(y, tensor([[[3]]]));
  });
});
