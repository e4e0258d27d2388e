import { DTYPES, dtypeOfData, fmtShape, sizeOf, type DataArray, type ForeignTensor, type HostTensor, type TensorInterop } from '@keras-ts/spec';
import { getBackend } from '../backend.js';
import { Tensor } from '../tensor.js';
import { KerasShapeError, KerasTypeError } from '../errors.js';

/**
 * One tensor as the training methods take it: a keras-ts `Tensor`, a host tensor
 * (`{ shape, dtype, data }`, what a backend returns), or a tensor of a library the backend
 * converts (on backend-tfjs: a `tf.Tensor`).
 */
export type TensorLike = Tensor | HostTensor | ForeignTensor;

/** Inputs or targets: one tensor, or one per model input/output. */
export type TensorOrList = TensorLike | readonly TensorLike[];

/** The current backend's converter of foreign tensors, if a backend is set and has one. */
function interop(): TensorInterop | null {
  try {
    return getBackend().interop ?? null;
  } catch {
    return null;
  }
}

function isHostTensor(t: object): t is HostTensor {
  const h = t as Partial<HostTensor>;
  if (!Array.isArray(h.shape) || !DTYPES.includes(h.dtype!) || !(h.data instanceof Float32Array || h.data instanceof Int32Array || h.data instanceof Uint8Array)) return false;
  return dtypeOfData(h.data as DataArray) === h.dtype && h.data.length === sizeOf(h.shape);
}

function toTensor(t: unknown, i: number, conv: TensorInterop | null): Tensor {
  if (t instanceof Tensor) return t;
  if (conv?.accepts(t)) return Tensor.from(conv.toHost(t));
  if (typeof t === 'object' && t !== null && isHostTensor(t)) return Tensor.from(t);
  const what = typeof t === 'object' ? (t?.constructor?.name ?? 'null') : typeof t;
  const hint = typeof t === 'object' && t !== null && typeof (t as { dataSync?: unknown }).dataSync === 'function'
    ? `; a tf.Tensor is taken on backend-tfjs (the current backend is ${backendName()}), or convert it with fromTf() from '@keras-ts/backend-tfjs'`
    : '';
  throw new KerasTypeError(`expected Tensors (make them with tensor()), got ${what} at position ${i}${hint}`);
}

function backendName(): string {
  try {
    return `'${getBackend().name}'`;
  } catch {
    return 'not set';
  }
}

export function asList(x: TensorOrList | null | undefined): Tensor[] {
  if (x === null || x === undefined) return [];
  const list: unknown[] = Array.isArray(x) ? [...x] : [x];
  const conv = interop();
  return list.map((t, i) => toTensor(t, i, conv));
}

/**
 * The converter of the current backend when every input is a foreign tensor it accepts (predict
 * then gives its outputs back as that library's tensors), else null.
 */
export function foreignInputs(x: TensorOrList): TensorInterop | null {
  const conv = interop();
  const list: unknown[] = Array.isArray(x) ? [...x] : [x];
  return conv && list.length > 0 && list.every((t) => !(t instanceof Tensor) && conv.accepts(t)) ? conv : null;
}

/** The number of samples shared by every tensor (their first axis); an error names a mismatch. */
export function sampleCount(groups: readonly { what: string; tensors: readonly Tensor[] }[]): number {
  let n: number | null = null;
  let first = '';
  for (const g of groups) {
    g.tensors.forEach((t, i) => {
      if (t.rank === 0) throw new KerasShapeError(`${g.what}${g.tensors.length > 1 ? ` ${i}` : ''} is a scalar; it needs a first (batch) axis`);
      if (n === null) {
        n = t.shape[0];
        first = `${g.what}${g.tensors.length > 1 ? ` ${i}` : ''}`;
      } else if (t.shape[0] !== n) {
        throw new KerasShapeError(`${g.what}${g.tensors.length > 1 ? ` ${i}` : ''} has ${t.shape[0]} samples (shape ${fmtShape(t.shape)}) but ${first} has ${n}: all inputs, targets and sample weights need the same number of samples`);
      }
    });
  }
  return n ?? 0;
}

/** Batches of row indices over `n` samples, optionally shuffled. */
export function batchIndices(n: number, batchSize: number, shuffle: boolean, rand: () => number): Int32Array[] {
  const idx = Int32Array.from({ length: n }, (_, i) => i);
  if (shuffle) {
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rand() * (i + 1));
      const t = idx[i];
      idx[i] = idx[j];
      idx[j] = t;
    }
  }
  const out: Int32Array[] = [];
  for (let s = 0; s < n; s += batchSize) out.push(idx.subarray(s, Math.min(n, s + batchSize)));
  return out;
}

/**
 * The rows of a tensor for a batch of indices: `t` itself when they are all its rows in order (a
 * batch is only read, so one batch of the whole input costs no copy), a contiguous slice when
 * they are in order, else the gathered rows.
 */
export function takeRows(t: Tensor, rows: Int32Array): Tensor {
  const contiguous = rows.length > 0 && rows[rows.length - 1] - rows[0] === rows.length - 1 && rows.every((r, i) => i === 0 || r === rows[i - 1] + 1);
  if (contiguous && rows[0] === 0 && rows.length === t.shape[0]) return t;
  return contiguous ? t.sliceRows(rows[0], rows[0] + rows.length) : t.gatherRows(rows);
}

/** Concatenates batches of outputs along the first axis. */
export function concatRows(parts: readonly Tensor[]): Tensor {
  if (parts.length === 1) return parts[0];
  const rowShape = parts[0].shape.slice(1);
  const n = parts.reduce((a, p) => a + p.shape[0], 0);
  const first = parts[0];
  const data = new (first.data.constructor as new (n: number) => Tensor['data'])(n * sizeOf(rowShape));
  let off = 0;
  for (const p of parts) {
    data.set(p.data, off);
    off += p.data.length;
  }
  return new Tensor([n, ...rowShape], first.dtype, data);
}

/** A small seeded generator for shuffling. */
export function shuffleRandom(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}
