/**
 * tensor() from typed arrays: the dtype each kind of array makes (Keras casts float64 to floatx),
 * and a clear refusal for arrays whose values int32 cannot hold.
 */
import { describe, expect, it } from 'vitest';
import { tensor } from '../../src/index.js';

describe('tensor() from typed arrays', () => {
  it('Float64Array makes float32 (cast), not bool', () => {
    const t = tensor(new Float64Array([0.5, -1.25, 3]));
    expect(t.dtype).toBe('float32');
    expect(Array.from(t.data)).toEqual([0.5, -1.25, 3]);
  });

  it('the narrower integer arrays make int32 with the same values', () => {
    for (const data of [new Int8Array([-3, 4]), new Int16Array([-300, 400]), new Uint16Array([0, 65535]), new Uint8ClampedArray([0, 255])]) {
      const t = tensor(data);
      expect(t.dtype, data.constructor.name).toBe('int32');
      expect(Array.from(t.data), data.constructor.name).toEqual(Array.from(data));
    }
  });

  it('Float32Array, Int32Array and Uint8Array keep their dtype and their storage', () => {
    const f = new Float32Array([1, 2]);
    expect(tensor(f).dtype).toBe('float32');
    expect(tensor(new Int32Array([1, 2])).dtype).toBe('int32');
    expect(tensor(new Uint8Array([1, 0])).dtype).toBe('bool');
    expect(tensor(f, [2]).data).toBe(f);
  });

  it('an explicit dtype converts', () => {
    const t = tensor(new Float64Array([1.5, 2.5]), [2], 'int32');
    expect(t.dtype).toBe('int32');
    expect(Array.from(t.data)).toEqual([1, 2]);
  });

  it('Uint32Array and BigInt64Array are refused, naming the array', () => {
    // @ts-expect-error -- a Uint32Array is not tensor data, on purpose
    expect(() => tensor(new Uint32Array([2 ** 32 - 1]))).toThrow(/got a Uint32Array \(its values may not fit int32/);
    // @ts-expect-error -- a BigInt64Array is not tensor data, on purpose
    expect(() => tensor(new BigInt64Array([1n]))).toThrow(/got a BigInt64Array/);
  });
});
