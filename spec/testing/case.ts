import { allocData, KerasValueError, sizeOf, type DType, type HostTensor, type Sym } from '../src/index.js';

/** A literal tensor for a test case. */
export interface TensorLit extends HostTensor {}

type Nested = number | boolean | readonly Nested[];

function shapeOfNested(v: Nested): number[] {
  return Array.isArray(v) ? [v.length, ...(v.length ? shapeOfNested(v[0]) : [])] : [];
}

/**
 * A tensor literal from nested arrays (shape inferred) or flat data with a shape.
 * @example t([[1, 2], [3, 4]]); t([1, 2, 3, 4], [2, 2], 'int32'); t(true)
 */
export function t(values: Nested, shape?: readonly number[], dtype?: DType): TensorLit {
  const flat: (number | boolean)[] = [];
  const walk = (v: Nested): void => {
    if (Array.isArray(v)) for (const x of v as readonly Nested[]) walk(x);
    else flat.push(v as number | boolean);
  };
  walk(values);
  const s = shape ? [...shape] : shapeOfNested(values);
  const dt: DType = dtype ?? (typeof flat[0] === 'boolean' ? 'bool' : 'float32');
  if (flat.length !== sizeOf(s)) throw new KerasValueError(`tensor literal has ${flat.length} values for shape [${s}]`);
  const data = allocData(dt, flat.length);
  flat.forEach((v, i) => (data[i] = Number(v)));
  return { shape: s, dtype: dt, data };
}

/** An int32 tensor literal. */
export const ti = (values: Nested, shape?: readonly number[]) => t(values, shape, 'int32');
/** A bool tensor literal. */
export const tb = (values: Nested, shape?: readonly number[]) => t(values, shape, 'bool');

/** A deterministic float32 tensor with values in [lo, hi) (for gradient checks). */
export function rand(shape: readonly number[], seed = 1, lo = -1, hi = 1): TensorLit {
  let s = seed >>> 0 || 1;
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    data[i] = lo + ((s >>> 0) / 4294967296) * (hi - lo);
  }
  return { shape: [...shape], dtype: 'float32', data };
}

/**
 * One case of the shared op suite.
 *
 * - `ops`: the op names the case exercises (for the coverage check).
 * - `build`: the traced function, over symbolic inputs in the order of `inputs`.
 * - `expected`: hand-checked outputs (one per output of `build`).
 * - `grad`: check the gradient of every float input (or those listed in `wrt`) against central
 *   finite differences.
 * - `throws`: the trace must fail with a message matching it.
 */
export interface OpCase {
  readonly name: string;
  readonly ops: readonly string[];
  readonly inputs: readonly TensorLit[];
  /** The traced function, over symbolic inputs in the order of `inputs`. */
  readonly build: (...xs: Sym[]) => Sym | readonly Sym[];
  readonly expected?: TensorLit | readonly TensorLit[];
  readonly rtol?: number;
  readonly atol?: number;
  readonly grad?: boolean | { readonly wrt?: readonly number[]; readonly rtol?: number; readonly atol?: number; readonly eps?: number };
  readonly throws?: RegExp;
  /** Only checks that the output has this shape and dtype (for random ops). */
  readonly check?: (outputs: readonly HostTensor[]) => void;
}
