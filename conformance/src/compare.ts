import { allocData, fmtShape, type DType, type HostTensor } from '@keras-ts/spec';

/** A tensor as the goldens store it. */
export interface GoldenTensor {
  readonly shape: readonly number[];
  readonly dtype: string;
  readonly data: readonly (number | string | null)[];
  readonly name?: string;
  readonly trainable?: boolean;
}

export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

/** Thrown when a value does not match its golden; the runner reports it as a failure. */
export class Mismatch extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'Mismatch';
  }
}

/** Largest errors seen while comparing one case. */
export class ErrorTracker {
  maxAbs = 0;
  maxRel = 0;
}

/** A golden tensor as a host tensor (NaN and infinities may be stored as strings). */
export function fromGolden(t: GoldenTensor): HostTensor {
  const dtype = (t.dtype === 'int32' || t.dtype === 'int64' ? 'int32' : t.dtype === 'bool' ? 'bool' : 'float32') as DType;
  const data = allocData(dtype, t.data.length);
  t.data.forEach((v, i) => (data[i] = v === null ? NaN : typeof v === 'string' ? Number(v.replace(/^-?inf(inity)?$/i, (m) => (m.startsWith('-') ? '-Infinity' : 'Infinity'))) : v));
  return { shape: [...t.shape], dtype, data };
}

/**
 * Compares a value with its golden: equal shapes, and |v - g| <= atol + rtol * |g| for every
 * element. Throws a {@link Mismatch} naming what was compared and the worst element.
 */
export function compare(label: string, actual: HostTensor, golden: GoldenTensor, tol: Tolerance, errors: ErrorTracker): void {
  if (fmtShape(actual.shape) !== fmtShape(golden.shape)) {
    throw new Mismatch(`${label}: shape ${fmtShape(actual.shape)}, expected ${fmtShape(golden.shape)}`);
  }
  const g = fromGolden(golden).data;
  let worst = -1;
  let worstExcess = 0;
  for (let i = 0; i < g.length; i++) {
    const a = actual.data[i];
    const e = g[i];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    const abs = Math.abs(a - e);
    const err = Number.isFinite(abs) ? abs : a === e ? 0 : Infinity;
    errors.maxAbs = Math.max(errors.maxAbs, err);
    if (e !== 0) errors.maxRel = Math.max(errors.maxRel, err / Math.abs(e));
    const excess = err - (tol.atol + tol.rtol * Math.abs(e));
    if (!(excess <= 0) && (worst < 0 || excess > worstExcess || Number.isNaN(excess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst >= 0) {
    throw new Mismatch(
      `${label}: element ${worst} is ${actual.data[worst]}, expected ${g[worst]} (|diff| ${Math.abs(actual.data[worst] - g[worst]).toExponential(3)} > atol ${tol.atol} + rtol ${tol.rtol} * |expected|)`,
    );
  }
}
