import type { DType } from '@keras-ts/spec';
import { Tensor } from '../tensor.js';

/**
 * A tensor with its values converted to `dtype` (bool and int32 to float32: 1/0 and the integers'
 * values), or the tensor itself when it has that dtype already.
 */
export function castTensor(t: Tensor, dtype: DType): Tensor {
  if (t.dtype === dtype) return t;
  if (dtype === 'float32') return new Tensor(t.shape, 'float32', Float32Array.from(t.data));
  if (dtype === 'int32') return new Tensor(t.shape, 'int32', Int32Array.from(t.data, (v) => Math.trunc(v)));
  return new Tensor(t.shape, 'bool', Uint8Array.from(t.data, (v) => (v ? 1 : 0)));
}

/**
 * Inputs given to `fit`, `evaluate` or `predict` cast to the dtypes of the model's inputs, as
 * Keras' functional models cast each input to its `Input`'s dtype: bool and int32 data for a
 * float32 input become float32 (instead of reaching the first matmul as integers). Inputs whose
 * model dtype is unknown (`undefined`, a subclassed model) or is not float32 are left as given.
 */
export function castInputs(xs: readonly Tensor[], dtypes: readonly (DType | undefined)[]): Tensor[] {
  return xs.map((x, i) => (dtypes[i] === 'float32' ? castTensor(x, 'float32') : x));
}
