import { resolveAxis, sizeOf, type Shape } from '@keras-ts/spec';
import type { GraphBuilder } from '../builder.js';
import type { AttrsOf, Lowering, LoweringFamily } from '../lowering.js';
import { NEG_INF_I64, POS_INF_I64 } from './slice-bounds.js';

/** slice, strided_slice(_grad), concat, pad and tile (spec/src/ops/slicing.ts). */


/** ONNX Slice of the axes that are not taken whole; `x` unchanged when none. */
function sliceAxes(b: GraphBuilder, x: string, shape: Shape, begin: readonly number[], end: readonly number[], steps?: readonly number[]): string {
  const starts: number[] = [];
  const ends: number[] = [];
  const axes: number[] = [];
  const st: number[] = [];
  shape.forEach((d, i) => {
    const s = steps?.[i] ?? 1;
    if (s === 1 && begin[i] === 0 && end[i] === d) return;
    axes.push(i);
    starts.push(begin[i]);
    // For a negative step, the normalized end -1 means "through index 0".
    ends.push(s < 0 && end[i] === -1 ? NEG_INF_I64 : s > 0 && end[i] === d ? POS_INF_I64 : end[i]);
    st.push(s);
  });
  if (axes.length === 0) return x;
  const inputs = [x, b.i64(starts), b.i64(ends), b.i64(axes)];
  if (st.some((s) => s !== 1)) inputs.push(b.i64(st));
  return b.node('Slice', inputs);
}

/**
 * The adjoint of strided_slice: dy placed into zeros, axis by axis. A negative stride is a
 * reversal followed by a positive one; a stride s > 1 interleaves s - 1 zeros after every
 * element (pad a new axis, merge it); then the block is padded into place.
 */
const stridedSliceGrad: Lowering<AttrsOf<'strided_slice_grad'>> = (b, node, [dy], [dyn]) => {
  const { begin, strides, inputShape } = node.attrs;
  let cur = dy;
  let shape = [...dyn.shape];
  const padsBefore: number[] = [];
  const padsAfter: number[] = [];
  for (let ax = 0; ax < shape.length; ax++) {
    const n = shape[ax];
    const s = strides[ax];
    let start = begin[ax];
    if (s < 0) {
      // Reverse: the elements land at start + (n-1) s, ..., start in increasing order.
      if (n > 1) cur = b.node('Slice', [cur, b.i64([-1]), b.i64([NEG_INF_I64]), b.i64([ax]), b.i64([-1])]);
      start = start + (n - 1) * s;
    }
    const step = Math.abs(s);
    let span = n;
    if (step > 1 && n > 1) {
      // [.., n, ..] -> [.., n, step, ..] with zeros after each element -> [.., n * step, ..] -> first (n-1) step + 1.
      const expanded = [...shape.slice(0, ax + 1), 1, ...shape.slice(ax + 1)];
      let t = b.reshape(cur, expanded);
      const pads = expanded.map(() => 0);
      const padsEnd = expanded.map((_, i) => (i === ax + 1 ? step - 1 : 0));
      t = b.node('Pad', [t, b.i64([...pads, ...padsEnd]), b.scalar(0, node.dtype)], { mode: 'constant' });
      const merged = shape.map((d, i) => (i === ax ? n * step : d));
      t = b.reshape(t, merged);
      span = (n - 1) * step + 1;
      cur = b.node('Slice', [t, b.i64([0]), b.i64([span]), b.i64([ax])]);
      shape = shape.map((d, i) => (i === ax ? span : d));
    }
    padsBefore.push(start);
    padsAfter.push(inputShape[ax] - start - span);
  }
  if (padsBefore.every((p) => p === 0) && padsAfter.every((p) => p === 0)) return cur;
  return b.node('Pad', [cur, b.i64([...padsBefore, ...padsAfter]), b.scalar(0, node.dtype)], { mode: 'constant' });
};

export const slicingLowerings: LoweringFamily = (reg) => {
  reg.add('slice', (b, node, [x], [xn]) => {
    const { begin } = node.attrs;
    return sliceAxes(
      b,
      x,
      xn.shape,
      begin,
      node.shape.map((d, i) => begin[i] + d),
    );
  });
  reg.add('strided_slice', (b, node, [x], [xn]) => sliceAxes(b, x, xn.shape, node.attrs.begin, node.attrs.end, node.attrs.strides));
  reg.add('strided_slice_grad', stridedSliceGrad);
  reg.add('concat', (b, node, ins, inNodes) => {
    const axis = resolveAxis(node.attrs.axis, node.shape.length);
    const kept = ins.filter((_, i) => sizeOf(inNodes[i].shape) > 0);
    return kept.length === 1 ? kept[0] : b.node('Concat', kept, { axis });
  });
  reg.add('pad', (b, node, [x], [xn]) => {
    const { paddings, value } = node.attrs;
    if (sizeOf(xn.shape) === 0) return b.full(node.shape, value, node.dtype);
    if (paddings.every(([p, q]) => p === 0 && q === 0)) return x;
    return b.node('Pad', [x, b.i64([...paddings.map((p) => p[0]), ...paddings.map((p) => p[1])]), b.scalar(value, node.dtype)], { mode: 'constant' });
  });
  reg.add('tile', (b, node, [x], [xn]) => (xn.shape.length === 0 ? x : b.node('Tile', [x, b.i64(node.attrs.reps)])));
};
