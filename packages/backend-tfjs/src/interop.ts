/**
 * tfjs tensors in and out of keras-ts: `fromTf` / `toTf` convert explicitly, and every
 * {@link TfjsBackend} carries a {@link TensorInterop} so that models on it take `tf.Tensor`s in
 * `fit`, `evaluate` and `predict` (and `predict` gives `tf.Tensor`s back when all its inputs were).
 */
import * as tf from '@tensorflow/tfjs';
import { fmtShape, sizeOf, type DataArray, type DType, type HostTensor, type TensorInterop, KerasStateError, KerasTypeError } from '@keras-ts/spec';
import type { TfjsBackendName } from './kernel.js';
import { activate } from './setup.js';

// backend-tfjs converts TensorFlow.js tensors: the Keras API takes them (see ForeignTensorTypes).
declare module '@keras-ts/spec' {
  interface ForeignTensorTypes {
    tfjs: tf.Tensor;
  }
}

const DTYPES: readonly DType[] = ['float32', 'int32', 'bool'];

/**
 * Whether `value` is a TensorFlow.js tensor: an instance of this package's `tf.Tensor`, or of
 * another copy of tfjs in the page (a bundle can hold two), recognised by its shape, dtype,
 * `dataSync` and `isDisposed`.
 *
 * @example
 * isTfTensor(tf.ones([2])); // true
 * isTfTensor(tensor([1, 2])); // false: a keras-ts Tensor
 */
export function isTfTensor(value: unknown): value is tf.Tensor {
  if (value instanceof tf.Tensor) return true;
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<tf.Tensor>;
  return Array.isArray(v.shape) && typeof v.dtype === 'string' && typeof v.dataSync === 'function' && typeof v.isDisposed === 'boolean' && typeof v.id === 'number';
}

/**
 * A TensorFlow.js tensor as a host tensor (`{ shape, dtype, data }`): a copy of its values, read
 * synchronously (on WebGL this waits for the GPU). keras-ts' `fit`, `evaluate` and `predict`
 * take the result on any backend, and `Tensor.from` makes it a keras-ts `Tensor`. float32, int32
 * and bool tensors convert; a disposed tensor, or a complex64 or string one, is an error.
 *
 * @example
 * import * as tf from '@tensorflow/tfjs';
 * import { Tensor } from '@keras-ts/keras';
 * import { fromTf } from '@keras-ts/backend-tfjs';
 * const x = Tensor.from(fromTf(tf.tensor2d([[1, 2], [3, 4]])));
 * x.shape; // [2, 2]
 */
export function fromTf(t: tf.Tensor): HostTensor {
  if (!isTfTensor(t)) throw new KerasTypeError(`fromTf: expected a tf.Tensor from @tensorflow/tfjs, got ${describe(t)}`);
  if (t.isDisposed) throw new KerasStateError(`fromTf: the tf.Tensor (shape ${fmtShape(t.shape)}, ${t.dtype}) is disposed`);
  const dtype = t.dtype as DType;
  if (!DTYPES.includes(dtype)) throw new KerasTypeError(`fromTf: a ${t.dtype} tf.Tensor (shape ${fmtShape(t.shape)}) has no keras-ts dtype; cast it to ${DTYPES.join(', ')} first (tf.cast)`);
  // dataSync may hand out the backend's own storage (tfjs' cpu backend does): copy it.
  const data = copyAs(dtype, t.dataSync() as DataArray);
  return { shape: [...t.shape], dtype, data };
}

/**
 * A host tensor (a keras-ts `Tensor`, what `predict` returns) as a TensorFlow.js tensor on tfjs'
 * active backend, with a copy of its values. The caller owns it: dispose it (or make it in a
 * `tf.tidy`).
 *
 * @example
 * import { tensor } from '@keras-ts/keras';
 * import { toTf } from '@keras-ts/backend-tfjs';
 * const t = toTf(tensor([[1, 2], [3, 4]]));
 * t.shape; // [2, 2]
 * t.dispose();
 */
export function toTf(t: HostTensor): tf.Tensor {
  if (!isHostTensor(t)) throw new KerasTypeError(`toTf: expected a keras-ts Tensor or host tensor ({ shape, dtype, data }), got ${describe(t)}`);
  return tf.tensor(copyAs(t.dtype, t.data), [...t.shape], t.dtype);
}

/**
 * The conversions a {@link TfjsBackend} gives keras-ts: tf.Tensors in (on any tfjs backend),
 * tf.Tensors out on `backend` (made the active tfjs backend first).
 *
 * @example
 * const backend = await createTfjsBackend({ backend: 'webgl' });
 * backend.interop.accepts(tf.ones([1])); // true
 */
export function tfjsInterop(backend: TfjsBackendName): TensorInterop {
  return {
    library: '@tensorflow/tfjs',
    accepts: isTfTensor,
    toHost: (value) => fromTf(value as tf.Tensor),
    fromHost: (t) => {
      activate(backend);
      return toTf(t);
    },
  };
}

function isHostTensor(t: unknown): t is HostTensor {
  if (typeof t !== 'object' || t === null) return false;
  const h = t as Partial<HostTensor>;
  return Array.isArray(h.shape) && DTYPES.includes(h.dtype as DType) && ArrayBuffer.isView(h.data) && (h.data as DataArray).length === sizeOf(h.shape);
}

function copyAs(dtype: DType, data: ArrayLike<number>): DataArray {
  switch (dtype) {
    case 'float32':
      return Float32Array.from(data);
    case 'int32':
      return Int32Array.from(data);
    case 'bool':
      return Uint8Array.from(data, (v) => (v ? 1 : 0));
  }
}

function describe(v: unknown): string {
  if (v === null) return 'null';
  if (typeof v !== 'object') return typeof v;
  return `a ${(v as object).constructor?.name ?? 'plain'} object`;
}
