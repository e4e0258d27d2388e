import { allocData, dtypeOfData, fmtShape, sizeOf, type DataArray, type DType, type HostTensor, type Shape } from '@keras-ts/spec';
import { KerasShapeError, KerasTypeError } from './errors.js';

type Nested = number | boolean | readonly Nested[];

/**
 * A concrete tensor in host memory: what users pass to and get from predict, fit and layers
 * called on real data.
 *
 * @example
 * const x = tensor([[1, 2], [3, 4]]);
 * x.shape; // [2, 2]
 * x.toArray(); // [[1, 2], [3, 4]]
 */
export class Tensor implements HostTensor {
  readonly shape: number[];
  /** Set when the tensor became a variable's value: its data must not change from then on. */
  stable = false;
  constructor(
    shape: Shape,
    readonly dtype: DType,
    readonly data: DataArray,
  ) {
    this.shape = [...shape];
    if (data.length !== sizeOf(shape)) throw new KerasShapeError(`a tensor of shape ${fmtShape(shape)} needs ${sizeOf(shape)} values, got ${data.length}`);
  }

  /** The host tensor as a Tensor: `t` itself when it is one, else a Tensor sharing its data. */
  static from(t: HostTensor): Tensor {
    return t instanceof Tensor ? t : new Tensor(t.shape, t.dtype, t.data);
  }

  get rank(): number {
    return this.shape.length;
  }

  get size(): number {
    return this.data.length;
  }

  /** The values as nested arrays (a number for a scalar). */
  toArray(): Nested {
    const build = (dim: number, offset: number): Nested => {
      if (dim === this.shape.length) return this.dtype === 'bool' ? this.data[offset] !== 0 : this.data[offset];
      const step = sizeOf(this.shape.slice(dim + 1));
      return Array.from({ length: this.shape[dim] }, (_, i) => build(dim + 1, offset + i * step));
    };
    return build(0, 0);
  }

  /** Rows [start, end) along the first axis (a copy). */
  sliceRows(start: number, end: number): Tensor {
    const row = sizeOf(this.shape.slice(1));
    return new Tensor([end - start, ...this.shape.slice(1)], this.dtype, this.data.slice(start * row, end * row));
  }

  /** The rows at `indices` along the first axis, in that order (a copy). */
  gatherRows(indices: ArrayLike<number>): Tensor {
    const row = sizeOf(this.shape.slice(1));
    const out = allocData(this.dtype, indices.length * row);
    for (let i = 0; i < indices.length; i++) out.set(this.data.subarray(indices[i] * row, (indices[i] + 1) * row), i * row);
    return new Tensor([indices.length, ...this.shape.slice(1)], this.dtype, out);
  }

  /** A copy of the tensor with its own data. */
  clone(): Tensor {
    return new Tensor(this.shape, this.dtype, this.data.slice());
  }

  toString(): string {
    return `Tensor ${this.dtype}${fmtShape(this.shape)}`;
  }
}

function shapeOfNested(v: Nested): number[] {
  return Array.isArray(v) ? [v.length, ...(v.length ? shapeOfNested(v[0]) : [])] : [];
}

/** What a value that is not nested numbers is, for tensor()'s error (and how to convert a tensor of another kind). */
function notNumbers(v: unknown, where: string): Error {
  const kind = typeof v === 'object' ? (v === null ? 'null' : `a ${v.constructor?.name ?? 'plain'} object`) : `a ${typeof v}${typeof v === 'string' ? ` ('${v}')` : ''}`;
  let hint = '';
  if (v instanceof Tensor) hint = ': it is already a Tensor (use it as it is, or .clone() for a copy)';
  else if (typeof v === 'object' && v !== null && typeof (v as { dataSync?: unknown }).dataSync === 'function')
    hint = ": a tf.Tensor? Pass it to fit / evaluate / predict on backend-tfjs as it is, or convert it with fromTf() from '@keras-ts/backend-tfjs'";
  return new KerasTypeError(`tensor() takes numbers or booleans in nested arrays, or a typed array; got ${kind}${where}${hint}`);
}

/** Typed arrays tensor() takes: the dtypes' own storage, Float64Array (made float32) and the narrower integer arrays (made int32). */
export type TypedArrayData = DataArray | Float64Array | Int16Array | Int8Array | Uint16Array | Uint8ClampedArray;

/** Whether `data` is already the storage of `dtype` (Float32Array, Int32Array, Uint8Array for bool). */
const isDataOf = (data: ArrayBufferView, dtype: DType): boolean => dtypeOfData(data as DataArray) === dtype && (data instanceof Float32Array || data instanceof Int32Array || data instanceof Uint8Array);

/**
 * The dtype a typed array makes: float32 from Float32Array and Float64Array (cast, as Keras casts
 * to floatx), int32 from Int32Array and the narrower integer arrays (Int8, Int16, Uint16,
 * Uint8Clamped: image pixels), bool from Uint8Array (the bool storage). Arrays whose values int32
 * cannot hold (Uint32Array, BigInt arrays) and DataViews are refused.
 */
function dtypeOfTypedArray(v: ArrayBufferView): DType {
  if (v instanceof Float32Array || v instanceof Float64Array) return 'float32';
  if (v instanceof Uint8Array) return 'bool';
  if (v instanceof Int32Array || v instanceof Int16Array || v instanceof Int8Array || v instanceof Uint16Array || v instanceof Uint8ClampedArray) return 'int32';
  throw new KerasTypeError(
    `tensor() takes a Float32Array or Float64Array (float32), an Int32Array, Int16Array, Int8Array, Uint16Array or Uint8ClampedArray (int32), or a Uint8Array (bool); got a ${v.constructor.name}${v instanceof Uint32Array ? ' (its values may not fit int32: convert them, or pass dtype float32)' : ''}`,
  );
}

/**
 * Makes a tensor from nested arrays (shape inferred), or flat data with a shape. Anything else (a
 * tensor of another library, a string) is an error.
 * @example
 * tensor([[1, 2], [3, 4]]);
 * tensor(new Float32Array(6), [2, 3]);
 * tensor([0, 2, 1], [3], 'int32');
 */
export function tensor(values: Nested | TypedArrayData, shape?: Shape, dtype?: DType): Tensor {
  if (typeof values === 'object' && values !== null && !Array.isArray(values) && !ArrayBuffer.isView(values)) throw notNumbers(values, '');
  if (ArrayBuffer.isView(values)) {
    const data = values as DataArray;
    const dt = dtype ?? dtypeOfTypedArray(values);
    const out = isDataOf(data, dt) ? data : Object.assign(allocData(dt, data.length), {}).map((_, i) => data[i]);
    return new Tensor(shape ?? [data.length], dt, out as DataArray);
  }
  const flat: (number | boolean)[] = [];
  const walk = (v: Nested): void => {
    if (Array.isArray(v)) for (const x of v as readonly Nested[]) walk(x);
    else if (typeof v === 'number' || typeof v === 'boolean') flat.push(v);
    else throw notNumbers(v, ` at element ${flat.length} (row-major)`);
  };
  walk(values as Nested);
  const s = shape ? [...shape] : shapeOfNested(values as Nested);
  const dt: DType = dtype ?? (typeof flat[0] === 'boolean' ? 'bool' : 'float32');
  const data = allocData(dt, flat.length);
  flat.forEach((v, i) => (data[i] = Number(v)));
  return new Tensor(s, dt, data);
}

/** A tensor of zeros, ones, or one value. */
export function full(shape: Shape, value: number, dtype: DType = 'float32'): Tensor {
  const data = allocData(dtype, sizeOf(shape));
  data.fill(value);
  return new Tensor(shape, dtype, data);
}
