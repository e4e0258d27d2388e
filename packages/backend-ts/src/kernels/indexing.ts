import { resolveAxis, sizeOf, stridesOf, type HostTensor, type Shape, KerasValueError } from '@keras-ts/spec';
import { typedKernels, type Kernel } from '../kernel.js';
import { broadcastStrides, forEachRow } from './strides.js';

/** The multi-index of flat position `k` in `shape`, for error messages. */
function unravel(k: number, shape: Shape): string {
  const s = stridesOf(shape);
  return shape.map((_, i) => Math.floor(k / s[i]) % shape[i]).join(', ');
}

/** Rejects any index outside [lo, n), naming the first bad one and the valid range. */
function checkIndices(op: string, indices: HostTensor, lo: number, n: number, ax: number): void {
  const d = indices.data;
  for (let k = 0; k < d.length; k++) {
    const v = d[k];
    if (v < lo || v >= n) {
      const range = n === 0 ? 'none: the axis is empty' : `${lo}..${n - 1}`;
      throw new KerasValueError(`op '${op}': indices[${unravel(k, indices.shape)}] = ${v} is out of range for axis ${ax} of size ${n} (valid: ${range})`);
    }
  }
}

/** [outer, n, inner] around `axis` of `shape`. */
function around(shape: Shape, ax: number): [number, number, number] {
  return [sizeOf(shape.slice(0, ax)), shape[ax], sizeOf(shape.slice(ax + 1))];
}

/**
 * Visits the blocks of gather: for each outer position and index k, the offset of the picked block
 * in params (`pOff`) and of its copy in the output (`oOff`), each `inner` elements long.
 */
function gatherBlocks(op: string, indices: HostTensor, paramsShape: Shape, axis: number, run: (pOff: number, oOff: number, inner: number) => void): void {
  const ax = resolveAxis(axis, paramsShape.length);
  const [outer, n, inner] = around(paramsShape, ax);
  checkIndices(op, indices, 0, n, ax);
  const idx = indices.data;
  const m = idx.length;
  for (let o = 0; o < outer; o++) {
    for (let k = 0; k < m; k++) run((o * n + idx[k]) * inner, (o * m + k) * inner, inner);
  }
}

const gather: Kernel<'gather'> = ([params, indices], node, out) => {
  const p = params.data;
  gatherBlocks('gather', indices, params.shape, node.attrs.axis, (pOff, oOff, inner) => {
    for (let j = 0; j < inner; j++) out[oOff + j] = p[pOff + j];
  });
};

const gatherGrad: Kernel<'gather_grad'> = ([dy, indices], node, out) => {
  const g = dy.data;
  out.fill(0);
  gatherBlocks('gather_grad', indices, node.shape, node.attrs.axis, (pOff, oOff, inner) => {
    for (let j = 0; j < inner; j++) out[pOff + j] += g[oOff + j];
  });
};

/**
 * Walks the rows of the take_along_axis output `outShape`; for element j of a row, the index
 * is idx[io + j * idxLast] and the input element sits at xo + j * xLast + index * xAxis.
 */
function takeAlong(
  op: string,
  indices: HostTensor,
  xShape: Shape,
  outShape: Shape,
  axis: number,
  run: (o: number, io: number, xo: number, inner: number, idxLast: number, xLast: number, xAxis: number, n: number) => void,
): void {
  const rank = xShape.length;
  const ax = resolveAxis(axis, rank);
  const n = xShape[ax];
  checkIndices(op, indices, -n, n, ax);
  const is = broadcastStrides(indices.shape, outShape);
  const xs = broadcastStrides(xShape, outShape);
  xs[ax] = 0;
  const xAxis = stridesOf(xShape)[ax];
  const inner = outShape[rank - 1];
  forEachRow(outShape, [is, xs], (o, [io, xo]) => run(o, io, xo, inner, is[rank - 1], xs[rank - 1], xAxis, n));
}

const takeAlongAxis: Kernel<'take_along_axis'> = ([x, indices], node, out) => {
  const a = x.data;
  const idx = indices.data;
  takeAlong('take_along_axis', indices, x.shape, node.shape, node.attrs.axis, (o, io, xo, inner, il, xl, xa, n) => {
    for (let j = 0; j < inner; j++) {
      let v = idx[io + j * il];
      if (v < 0) v += n;
      out[o + j] = a[xo + j * xl + v * xa];
    }
  });
};

const takeAlongAxisGrad: Kernel<'take_along_axis_grad'> = ([dy, indices], node, out) => {
  const g = dy.data;
  const idx = indices.data;
  out.fill(0);
  takeAlong('take_along_axis_grad', indices, node.shape, dy.shape, node.attrs.axis, (o, io, xo, inner, il, xl, xa, n) => {
    for (let j = 0; j < inner; j++) {
      let v = idx[io + j * il];
      if (v < 0) v += n;
      out[xo + j * xl + v * xa] += g[o + j];
    }
  });
};

const oneHot: Kernel<'one_hot'> = ([indices], node, out) => {
  const { depth, onValue, offValue } = node.attrs;
  out.fill(offValue);
  const idx = indices.data;
  for (let k = 0; k < idx.length; k++) {
    const v = idx[k];
    if (v >= 0 && v < depth) out[k * depth + v] = onValue;
  }
};

const cumsum: Kernel<'cumsum'> = ([x], node, out) => {
  const { axis, exclusive, reverse } = node.attrs;
  const [outer, n, inner] = around(x.shape, resolveAxis(axis, x.shape.length));
  const a = x.data;
  const step = reverse ? -inner : inner;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      let p = o * n * inner + i + (reverse ? (n - 1) * inner : 0);
      let acc = 0;
      for (let k = 0; k < n; k++, p += step) {
        if (exclusive) {
          out[p] = acc;
          acc += a[p];
        } else {
          acc += a[p];
          out[p] = acc;
        }
      }
    }
  }
};

/** Gathers, scatters, one-hot encoding and running sums. */
export const indexingKernels = typedKernels({
  gather,
  gather_grad: gatherGrad,
  take_along_axis: takeAlongAxis,
  take_along_axis_grad: takeAlongAxisGrad,
  one_hot: oneHot,
  cumsum,
});
