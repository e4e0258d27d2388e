/**
 * The few NumPy operations the ported programs use on their data (`reshape`, `astype('float32')`,
 * `x /= 255`, `np.argmax`, `np.mean`), over keras-ts Tensors: Python's NumPy lines map one to one.
 */
import { Tensor } from '@keras-ts/keras';

/** `x.reshape(shape)` (one dimension may be -1). */
export function reshape(x: Tensor, shape: readonly number[]): Tensor {
  const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const s = shape.map((d) => (d === -1 ? x.size / known : d));
  return new Tensor(s, x.dtype, x.data);
}

/** `x.astype('float32')`. */
export function asFloat32(x: Tensor): Tensor {
  return new Tensor(x.shape, 'float32', Float32Array.from(x.data));
}

/** `x / v` (float32). */
export function divide(x: Tensor, v: number): Tensor {
  return new Tensor(x.shape, 'float32', Float32Array.from(x.data, (a) => a / v));
}

/** `np.argmax(x, axis=-1)`. */
export function argmax(x: Tensor): Int32Array {
  const last = x.shape[x.shape.length - 1];
  const out = new Int32Array(x.size / last);
  for (let r = 0; r < out.length; r++) {
    let best = 0;
    for (let k = 1; k < last; k++) if (x.data[r * last + k] > x.data[r * last + best]) best = k;
    out[r] = best;
  }
  return out;
}

/** `np.array(list)`: numbers as a float32 tensor of the given shape (default: a vector). */
export function array(values: readonly number[], shape: readonly number[] = [values.length], dtype: 'float32' | 'int32' = 'float32'): Tensor {
  return new Tensor(shape, dtype, dtype === 'int32' ? Int32Array.from(values) : Float32Array.from(values));
}
