/**
 * Array inputs of `utils` and `preprocessing` (where Keras takes NumPy arrays or lists): a Tensor,
 * a typed array, or nested arrays of numbers, read into a shape and flat row-major values.
 */
import type { DType } from '@keras-ts/spec';
import { describeValue, KerasTypeError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { argError } from './checks.js';

/** Nested arrays of numbers (`[[1, 2], [3, 4]]`), as a NumPy array is written in a list. */
export type NestedNumbers = number | boolean | readonly NestedNumbers[];

/** An array as the utilities take it: a Tensor, a typed array or nested arrays of numbers. */
export type ArrayInput = Tensor | NestedNumbers | ArrayLike<number>;

/** An array read from an {@link ArrayInput}: its shape, values and dtype (when a Tensor). */
export interface HostArray {
  shape: number[];
  data: ArrayLike<number>;
  dtype: DType | null;
}

/**
 * Reads `x` (a Tensor, a typed array, nested number arrays) as a shape and flat values; `fn` and
 * `arg` name it in errors (a ragged array names the first item whose length differs).
 */
export function readArray(fn: string, arg: string, x: unknown): HostArray {
  if (x instanceof Tensor) return { shape: [...x.shape], data: x.data, dtype: x.dtype };
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) return { shape: [(x as unknown as ArrayLike<number>).length], data: x as unknown as ArrayLike<number>, dtype: null };
  if (typeof x === 'number' || typeof x === 'boolean') return { shape: [], data: [Number(x)], dtype: null };
  if (!Array.isArray(x)) throw argError(fn, arg, x, 'a Tensor, a typed array or nested arrays of numbers');
  const shape: number[] = [];
  for (let v: unknown = x; Array.isArray(v); v = v[0]) {
    shape.push(v.length);
    if (v.length === 0) break;
  }
  const data: number[] = [];
  const walk = (v: unknown, depth: number, path: number[]): void => {
    if (depth === shape.length) {
      if (typeof v === 'number' || typeof v === 'boolean') data.push(Number(v));
      else throw argError(fn, arg, x, `nested arrays of numbers (item [${path.join('][')}] is ${describeValue(v)})`);
      return;
    }
    if (!Array.isArray(v) || v.length !== shape[depth]) {
      const got = Array.isArray(v) ? `${v.length} values` : describeValue(v);
      throw new KerasTypeError(`${fn}: argument '${arg}' is ragged: item [${path.join('][')}] has ${got} but item [${path.map(() => 0).join('][')}] has ${shape[depth]} values; expected arrays of equal lengths (a rectangular array)`);
    }
    v.forEach((e, i) => walk(e, depth + 1, [...path, i]));
  };
  walk(x, 0, []);
  return { shape, data, dtype: null };
}

/** The strides of a row-major array of `shape`. */
export function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

/** An axis in [-rank, rank) as a non-negative one; an error names `fn`, `arg` and the rank. */
export function normalizeAxis(fn: string, arg: string, axis: unknown, rank: number): number {
  if (typeof axis !== 'number' || !Number.isInteger(axis) || axis < -rank || axis >= rank) throw argError(fn, arg, axis, `an integer axis in [${-rank}, ${rank - 1}] for an array of rank ${rank}`);
  return axis < 0 ? axis + rank : axis;
}
