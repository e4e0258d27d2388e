import { resolveAxes, resolveAxis, stridesOf, type HostTensor, type OpNode } from '@keras-ts/spec';
import { typedKernels, type Kernel } from '../kernel.js';
import { forEachRow } from './strides.js';

/**
 * Folds every input element into its output slot: input axes that are reduced get output
 * stride 0. Accumulates in doubles, then writes the output.
 */
function reduceInto(x: HostTensor, node: OpNode<'sum' | 'prod' | 'max' | 'min'>, out: { [i: number]: number; length: number }, init: number, f: (acc: number, v: number) => number, isSum = false): void {
  const axes = resolveAxes(node.attrs.axes, x.shape.length);
  if (reduceBlocked(x, axes, out, init, f, isSum)) return;
  const keptShape = x.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const ks = stridesOf(keptShape);
  const outStrides = x.shape.map((_, i) => (axes.includes(i) ? 0 : ks[i]));
  const acc = new Float64Array(out.length).fill(init);
  const a = x.data;
  const rank = x.shape.length;
  if (rank === 0) acc[0] = f(init, a[0]);
  else {
    const inner = x.shape[rank - 1];
    const so = outStrides[rank - 1];
    forEachRow(x.shape, [outStrides], (i0, [o0]) => {
      if (so === 0) {
        let s = acc[o0];
        for (let j = 0; j < inner; j++) s = f(s, a[i0 + j]);
        acc[o0] = s;
      } else {
        for (let j = 0; j < inner; j++) acc[o0 + j * so] = f(acc[o0 + j * so], a[i0 + j]);
      }
    });
  }
  for (let i = 0; i < out.length; i++) out[i] = acc[i];
}

/** Double accumulators of the blocked reductions, grown on demand. */
let accBuf = new Float64Array(256);

/**
 * The common reductions as plain loops: after dropping size-1 axes and merging neighbours that
 * are both reduced or both kept, x is [outer, mid, inner] with `mid` reduced (outer or inner
 * may be 1). Same order of accumulation as the general walk. Returns false for other patterns.
 */
function reduceBlocked(x: HostTensor, axes: readonly number[], out: { [i: number]: number; length: number }, init: number, f: (acc: number, v: number) => number, isSum: boolean): boolean {
  const dims: number[] = [];
  const red: boolean[] = [];
  x.shape.forEach((d, i) => {
    if (d === 1) return;
    const r = axes.includes(i);
    if (red.length && red[red.length - 1] === r) dims[dims.length - 1] *= d;
    else {
      dims.push(d);
      red.push(r);
    }
  });
  let outer = 1, mid = 1, inner = 1;
  const pat = red.map((r) => (r ? 'R' : 'K')).join('');
  if (pat === '' || pat === 'K') {
    // Nothing reduced (or only size-1 axes): a copy.
    const a = x.data;
    for (let i = 0; i < out.length; i++) out[i] = f(init, a[i]);
    return true;
  }
  if (pat === 'R') mid = dims[0];
  else if (pat === 'KR') [outer, mid] = dims;
  else if (pat === 'RK') [mid, inner] = dims;
  else if (pat === 'KRK') [outer, mid, inner] = dims;
  else return false;
  const a = x.data;
  if (inner === 1) {
    for (let o = 0; o < outer; o++) {
      let s = init;
      const b = o * mid;
      if (isSum) for (let m = 0; m < mid; m++) s += a[b + m];
      else for (let m = 0; m < mid; m++) s = f(s, a[b + m]);
      out[o] = s;
    }
    return true;
  }
  if (accBuf.length < inner) accBuf = new Float64Array(Math.max(inner, accBuf.length * 2));
  const acc = accBuf;
  for (let o = 0; o < outer; o++) {
    acc.fill(init, 0, inner);
    for (let m = 0; m < mid; m++) {
      const b = (o * mid + m) * inner;
      if (isSum) for (let i = 0; i < inner; i++) acc[i] += a[b + i];
      else for (let i = 0; i < inner; i++) acc[i] = f(acc[i], a[b + i]);
    }
    const ob = o * inner;
    for (let i = 0; i < inner; i++) out[ob + i] = acc[i];
  }
  return true;
}

const reducer =
  (init: number, f: (acc: number, v: number) => number, isSum = false): Kernel<'sum' | 'prod' | 'max' | 'min'> =>
  ([x], node, out) =>
    reduceInto(x, node, out, init, f, isSum);

/** NaN propagates through max and min, as TensorFlow. */
const maxF = (a: number, v: number) => (v > a || Number.isNaN(v) ? v : a);
const minF = (a: number, v: number) => (v < a || Number.isNaN(v) ? v : a);

function argReducer(better: (v: number, best: number) => boolean): Kernel<'argmax' | 'argmin'> {
  return ([x], node, out) => {
    const axis = resolveAxis(node.attrs.axis, x.shape.length);
    const n = x.shape[axis];
    const inner = stridesOf(x.shape)[axis];
    const outer = x.data.length / (n * inner);
    const a = x.data;
    for (let o = 0; o < outer; o++) {
      for (let i = 0; i < inner; i++) {
        const base = o * n * inner + i;
        let best = a[base];
        let bi = 0;
        for (let k = 1; k < n; k++) {
          const v = a[base + k * inner];
          if (better(v, best)) {
            best = v;
            bi = k;
          }
        }
        out[o * inner + i] = bi;
      }
    }
  };
}

/** Reductions. Ties in argmax/argmin go to the first index; NaN wins, as numpy. */
export const reduceKernels = typedKernels({
  sum: reducer(0, (a, v) => a + v, true),
  prod: reducer(1, (a, v) => a * v),
  max: reducer(-Infinity, maxF),
  min: reducer(Infinity, minF),
  argmax: argReducer((v, b) => v > b || (Number.isNaN(v) && !Number.isNaN(b))),
  argmin: argReducer((v, b) => v < b || (Number.isNaN(v) && !Number.isNaN(b))),
});
