import { allocData, fmtShape, sizeOf } from '@keras-ts/spec';
import { Tensor } from '../tensor.js';
import { KerasShapeError } from '../errors.js';

/** Host-side array rearrangements for converting stored weights (no backend needed). */

function stridesOf(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

/**
 * Builds a tensor of `shape` whose element at index `idx` is `t`'s element at `source(idx)`.
 */
function remap(t: Tensor, shape: readonly number[], source: (idx: number[]) => number[]): Tensor {
  const n = sizeOf(shape);
  const out = allocData(t.dtype, n);
  const inStrides = stridesOf(t.shape);
  const idx = new Array<number>(shape.length).fill(0);
  for (let k = 0; k < n; k++) {
    const src = source(idx);
    let off = 0;
    for (let d = 0; d < src.length; d++) off += src[d] * inStrides[d];
    out[k] = t.data[off];
    for (let d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) break;
      idx[d] = 0;
    }
  }
  return new Tensor(shape, t.dtype, out);
}

/** numpy's `transpose(t, perm)`: output axis i is input axis perm[i]. */
export function transpose(t: Tensor, perm: readonly number[]): Tensor {
  if (perm.length !== t.rank) throw new KerasShapeError(`cannot transpose a tensor of shape ${fmtShape(t.shape)} with axes [${perm}]`);
  const shape = perm.map((p) => t.shape[p]);
  return remap(t, shape, (idx) => {
    const src = new Array<number>(t.rank);
    perm.forEach((p, i) => (src[p] = idx[i]));
    return src;
  });
}

/** Keras' `conv_utils.convert_kernel`: every axis but the last two reversed (Theano <-> TensorFlow kernels). */
export function flipSpatial(t: Tensor): Tensor {
  if (t.rank < 3 || t.rank > 5) throw new KerasShapeError(`a convolution kernel has rank 3 to 5, got shape ${fmtShape(t.shape)}`);
  return remap(t, t.shape, (idx) => idx.map((v, d) => (d < t.rank - 2 ? t.shape[d] - 1 - v : v)));
}

/** numpy's `concatenate(ts, axis=-1)`. */
export function concatLast(ts: readonly Tensor[]): Tensor {
  const lead = ts[0].shape.slice(0, -1);
  for (const t of ts) {
    if (fmtShape(t.shape.slice(0, -1)) !== fmtShape(lead)) throw new KerasShapeError(`cannot concatenate shapes ${ts.map((x) => fmtShape(x.shape)).join(', ')} on the last axis`);
  }
  const widths = ts.map((t) => t.shape.at(-1) ?? 1);
  const total = widths.reduce((a, b) => a + b, 0);
  const rows = sizeOf(lead);
  const out = allocData(ts[0].dtype, rows * total);
  for (let r = 0; r < rows; r++) {
    let at = r * total;
    ts.forEach((t, i) => {
      out.set(t.data.subarray(r * widths[i], (r + 1) * widths[i]), at);
      at += widths[i];
    });
  }
  return new Tensor([...lead, total], ts[0].dtype, out);
}

/** `t[:, index, ...]`: one entry of axis 1, that axis removed. */
export function takeAxis1(t: Tensor, index: number): Tensor {
  const shape = [t.shape[0], ...t.shape.slice(2)];
  return remap(t, shape, (idx) => [idx[0], index, ...idx.slice(1)]);
}

/** The same values in another shape (sizes must match). */
export function reshape(t: Tensor, shape: readonly number[]): Tensor {
  if (sizeOf(shape) !== t.size) throw new KerasShapeError(`cannot reshape ${fmtShape(t.shape)} (${t.size} values) to ${fmtShape(shape)}`);
  return new Tensor(shape, t.dtype, t.data);
}
