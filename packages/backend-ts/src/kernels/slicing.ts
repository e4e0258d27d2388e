import { resolveAxis, sizeOf, stridesOf, type DataArray, type Shape } from '@keras-ts/spec';
import { typedKernels, type Kernel } from '../kernel.js';

/**
 * Walks the innermost rows of `shape` in row-major order. Position p = (i_0, ..., i_{r-1}) has
 * offset sum_k maps[k][i_k] in the other tensor; `row` gets the row's first position, the offset
 * of its leading axes (`base`) and the last axis's map, and runs the inner loop itself.
 */
function walk(shape: Shape, maps: readonly Int32Array[], row: (p: number, base: number, inner: number, last: Int32Array) => void): void {
  const rank = shape.length;
  if (rank === 0) {
    row(0, 0, 1, ZERO);
    return;
  }
  const total = sizeOf(shape);
  if (total === 0) return;
  const inner = shape[rank - 1];
  const last = maps[rank - 1];
  const idx = new Int32Array(rank);
  let base = 0;
  for (let i = 0; i < rank - 1; i++) base += maps[i][0];
  for (let p = 0; p < total; p += inner) {
    row(p, base, inner, last);
    for (let d = rank - 2; d >= 0; d--) {
      const m = maps[d];
      const prev = m[idx[d]];
      idx[d]++;
      if (idx[d] < shape[d]) {
        base += m[idx[d]] - prev;
        break;
      }
      idx[d] = 0;
      base += m[0] - prev;
    }
  }
}

const ZERO = new Int32Array(1);

/** out[p] = src[offset(p)] over every position p of `outShape`. */
function gatherMapped(src: DataArray, maps: readonly Int32Array[], outShape: Shape, out: DataArray): void {
  walk(outShape, maps, (p, base, inner, last) => {
    for (let j = 0; j < inner; j++) out[p + j] = src[base + last[j]];
  });
}

/** out[offset(p)] = src[p] over every position p of `srcShape`. */
function scatterMapped(src: DataArray, maps: readonly Int32Array[], srcShape: Shape, out: DataArray): void {
  walk(srcShape, maps, (p, base, inner, last) => {
    for (let j = 0; j < inner; j++) out[base + last[j]] = src[p + j];
  });
}

/** Per-axis offset maps of an affine walk: map_i[j] = (start_i + j * step_i) * stride_i. */
function affineMaps(shape: Shape, strides: readonly number[], start: readonly number[], step: readonly number[]): Int32Array[] {
  return shape.map((n, i) => {
    const m = new Int32Array(Math.max(n, 1));
    for (let j = 0; j < n; j++) m[j] = (start[i] + j * step[i]) * strides[i];
    return m;
  });
}

/**
 * Copies a box between two row-major tensors of the same rank: the box has shape `box`, starts
 * at `srcAt` in `src` (shape `srcShape`) and lands at `dstAt` in `dst` (shape `dstShape`). The
 * trailing axes along which the box spans both tensors whole are merged into one contiguous run,
 * copied with `set` (a slice of a [B, T, F] sequence, a zero-padding of NHWC images).
 */
function copyBox(src: DataArray, srcShape: Shape, srcAt: readonly number[], dst: DataArray, dstShape: Shape, dstAt: readonly number[], box: Shape): void {
  const rank = box.length;
  if (sizeOf(box) === 0) return;
  // Axis t: the run is box[t] * (whole trailing axes after t).
  let t = rank - 1;
  while (t > 0 && box[t] === srcShape[t] && box[t] === dstShape[t]) t--;
  const ss = stridesOf(srcShape);
  const ds = stridesOf(dstShape);
  const run = rank === 0 ? 1 : box[t] * (t + 1 < rank ? ss[t] : 1);
  let s0 = 0;
  let d0 = 0;
  for (let i = 0; i < rank; i++) {
    s0 += srcAt[i] * ss[i];
    d0 += dstAt[i] * ds[i];
  }
  const outerShape = box.slice(0, Math.max(t, 0));
  const outer = sizeOf(outerShape);
  const idx = new Array<number>(outerShape.length).fill(0);
  let so = s0;
  let dof = d0;
  for (let r = 0; r < outer; r++) {
    if (run > 64) dst.set(src.subarray(so, so + run), dof);
    else for (let j = 0; j < run; j++) dst[dof + j] = src[so + j];
    for (let d = outerShape.length - 1; d >= 0; d--) {
      idx[d]++;
      so += ss[d];
      dof += ds[d];
      if (idx[d] < outerShape[d]) break;
      so -= ss[d] * outerShape[d];
      dof -= ds[d] * outerShape[d];
      idx[d] = 0;
    }
  }
}

const slice: Kernel<'slice'> = ([x], node, out) => {
  const begin = node.attrs.begin;
  copyBox(x.data, x.shape, begin, out, node.shape, begin.map(() => 0), node.shape);
};

const stridedSlice: Kernel<'strided_slice'> = ([x], node, out) => {
  const { begin, strides } = node.attrs;
  gatherMapped(x.data, affineMaps(node.shape, stridesOf(x.shape), begin, strides), node.shape, out);
};

const stridedSliceGrad: Kernel<'strided_slice_grad'> = ([dy], node, out) => {
  const { begin, strides } = node.attrs;
  out.fill(0);
  scatterMapped(dy.data, affineMaps(dy.shape, stridesOf(node.shape), begin, strides), dy.shape, out);
};

/**
 * Entries [r0, r1) of the first axis of a constant pad whose first axis is not padded: `value`
 * around `x` (shape `xShape`, `before[i]` elements before it on axis i) in `out` (shape
 * `outShape`). Threads that each take entries write what one thread writes.
 */
export function padRows(
  x: DataArray, xShape: Shape, out: DataArray, outShape: Shape, before: readonly number[], value: number, r0: number, r1: number,
): void {
  const outRow = sizeOf(outShape.slice(1));
  out.fill(value, r0 * outRow, r1 * outRow);
  const srcAt = xShape.map((_, i) => (i === 0 ? r0 : 0));
  const dstAt = before.map((b, i) => (i === 0 ? r0 : b));
  copyBox(x, xShape, srcAt, out, outShape, dstAt, xShape.map((n, i) => (i === 0 ? r1 - r0 : n)));
}

const pad: Kernel<'pad'> = ([x], node, out, ctx) => {
  const { paddings, value } = node.attrs;
  const fill = node.dtype === 'bool' ? (value ? 1 : 0) : value;
  if (paddings.every(([b, a]) => b >= 0 && a >= 0)) {
    const before = paddings.map(([b]) => b);
    // Float32 with the first axis not padded (images, sequences): its entries split across threads.
    if (node.dtype === 'float32' && ctx.parallel && x.shape.length > 0 && paddings[0][0] === 0 && paddings[0][1] === 0) {
      const task = { kind: 'pad', x: x.data as Float32Array, out: out as Float32Array, xShape: x.shape, outShape: node.shape, before, value } as const;
      if (ctx.parallel.run(task, x.shape[0], 1, out.length)) return;
    }
    out.fill(fill);
    copyBox(x.data, x.shape, paddings.map(() => 0), out, node.shape, before, x.shape);
    return;
  }
  out.fill(fill);
  const ones = paddings.map(() => 1);
  scatterMapped(x.data, affineMaps(x.shape, stridesOf(node.shape), paddings.map(([b]) => b), ones), x.shape, out);
};

const tile: Kernel<'tile'> = ([x], node, out) => {
  const s = stridesOf(x.shape);
  const maps = node.shape.map((n, i) => {
    const m = new Int32Array(Math.max(n, 1));
    const d = x.shape[i];
    for (let j = 0; j < n; j++) m[j] = (j % d) * s[i];
    return m;
  });
  gatherMapped(x.data, maps, node.shape, out);
};

const concat: Kernel<'concat'> = (inputs, node, out) => {
  const ax = resolveAxis(node.attrs.axis, node.shape.length);
  const outer = sizeOf(node.shape.slice(0, ax));
  const rowOut = sizeOf(node.shape.slice(ax));
  let col = 0;
  for (const x of inputs) {
    const row = sizeOf(x.shape.slice(ax));
    const a = x.data;
    for (let o = 0; o < outer; o++) {
      const src = o * row;
      const dst = o * rowOut + col;
      for (let j = 0; j < row; j++) out[dst + j] = a[src + j];
    }
    col += row;
  }
};

/** Slicing, joining, padding and tiling. */
export const slicingKernels = typedKernels({
  slice,
  strided_slice: stridedSlice,
  strided_slice_grad: stridedSliceGrad,
  concat,
  pad,
  tile,
});
