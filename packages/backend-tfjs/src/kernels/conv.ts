import * as tf from '@tensorflow/tfjs';
import { ops, sizeOf, type Shape } from '@keras-ts/spec';
import { typedKernels, type Kernel } from '../kernel.js';

// Convolutions, channels-last, over tfjs' conv2d/conv3d and their backprop kernels. Padding is
// always resolved by the spec (ops.resolveConvPadding, TF 'SAME' with the extra element at the
// end) and handed to tfjs explicitly, so tfjs' own padding rules never decide a result.
// Groups are run one group at a time, or as one depthwise convolution when each group has one
// input channel (forward, transpose and filter gradient alike); dilated transposes and filter
// gradients, which tfjs' backprop kernels do not take, are written as forward convolutions.

type Pads = [number, number][];

interface Window {
  rank: number;
  strides: number[];
  dilations: number[];
  padding: ops.ConvPadding;
  groups: number;
}

const allOnes = (v: readonly number[]) => v.every((d) => d === 1);
const noPad = (p: Pads) => p.every(([b, a]) => b === 0 && a === 0);

/** Crops (negative entries) and zero-pads (positive entries) the spatial axes of [N, ...spatial, C]. */
function padOrCrop(x: tf.Tensor, pads: Pads): tf.Tensor {
  if (noPad(pads)) return x;
  let t = x;
  if (pads.some(([b, a]) => b < 0 || a < 0)) {
    const begin = [0, ...pads.map(([b]) => Math.max(-b, 0)), 0];
    const size = t.shape.map((d, i) => (i === 0 || i === t.shape.length - 1 ? d : d - Math.max(-pads[i - 1][0], 0) - Math.max(-pads[i - 1][1], 0)));
    t = tf.slice(t, begin, size);
  }
  if (pads.some(([b, a]) => b > 0 || a > 0)) {
    t = tf.pad(t, [[0, 0], ...pads.map(([b, a]): [number, number] => [Math.max(b, 0), Math.max(a, 0)]), [0, 0]]);
  }
  return t;
}

/** Inserts a size-1 spatial axis in front of the one spatial axis of rank-1 shapes. */
const to2d = (s: Shape): number[] => [s[0], 1, ...s.slice(1)];
const kernelTo2d = (s: Shape): number[] => [1, ...s];

function explicit2d(p: Pads): 'valid' | [[number, number], [number, number], [number, number], [number, number]] {
  return noPad(p) ? 'valid' : [[0, 0], p[0], p[1], [0, 0]];
}

/** A forward convolution of one group (rank 2 or 3; rank 1 is given as rank 2). */
function convCore(x: tf.Tensor, w: tf.Tensor, rank: number, strides: number[], dilations: number[], pads: Pads): tf.Tensor {
  if (rank === 2) {
    return tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, strides as [number, number], explicit2d(pads), 'NHWC', dilations as [number, number]);
  }
  return tf.conv3d(padOrCrop(x, pads) as tf.Tensor5D, w as tf.Tensor5D, strides as [number, number, number], 'valid', 'NDHWC', dilations as [number, number, number]);
}

/** The geometry of one node, with rank-1 convolutions turned into rank-2 ones (height 1). */
interface Geometry {
  rank: number;
  strides: number[];
  dilations: number[];
  pads: Pads;
  groups: number;
  /** The input side [N, ...spatial, Cin] and kernel [...k, Cin/groups, Cout], in the working rank. */
  xShape: number[];
  wShape: number[];
  yShape: number[];
  /** Whether rank 1 was lifted to rank 2. */
  lifted: boolean;
}

function geometry(a: Window, xShape: Shape, wShape: Shape, yShape: Shape): Geometry {
  const pads = ops.resolveConvPadding(xShape.slice(1, -1), wShape.slice(0, -2), a.strides, a.dilations, a.padding);
  if (a.rank === 1) {
    return {
      rank: 2,
      strides: [1, a.strides[0]],
      dilations: [1, a.dilations[0]],
      pads: [[0, 0], pads[0]],
      groups: a.groups,
      xShape: to2d(xShape),
      wShape: kernelTo2d(wShape),
      yShape: to2d(yShape),
      lifted: true,
    };
  }
  return { rank: a.rank, strides: a.strides, dilations: a.dilations, pads, groups: a.groups, xShape: [...xShape], wShape: [...wShape], yShape: [...yShape], lifted: false };
}

/** Splits the channel (last) axis into `groups` equal parts. */
function splitChannels(t: tf.Tensor, groups: number): tf.Tensor[] {
  return groups === 1 ? [t] : tf.split(t, groups, t.shape.length - 1);
}

/**
 * y = conv(x, w): one conv per group, or one depthwise conv when each group reads one channel
 * (the filter [kh, kw, 1, C * M] given to `depthwiseFilter`, by default reshaped per call).
 */
function forward(G: Geometry, x: tf.Tensor, w: tf.Tensor, depthwiseFilter: (w: tf.Tensor) => tf.Tensor = (t) => tf.reshape(t, depthwiseShape(G))): tf.Tensor {
  const { rank, strides, dilations, pads, groups } = G;
  if (groups === 1) return convCore(x, w, rank, strides, dilations, pads);
  const cg = G.wShape[rank];
  if (cg === 1 && rank === 2) {
    const wd = depthwiseFilter(w) as tf.Tensor4D;
    return tf.depthwiseConv2d(x as tf.Tensor4D, wd, strides as [number, number], explicit2d(pads), 'NHWC', dilations as [number, number]);
  }
  const xs = splitChannels(x, groups);
  const ws = splitChannels(w, groups);
  return tf.concat(xs.map((xg, g) => convCore(xg, ws[g], rank, strides, dilations, pads)), -1);
}

/**
 * dx of one group as a convolution of dy (zero-stuffed when strided), padded by
 * (k-1)d - padBefore in front (cropped when negative), with the kernel reversed in space and its
 * channel axes swapped; stride 1, the forward dilation.
 */
function transposeByConv(G: Geometry, dy: tf.Tensor, w: tf.Tensor, xShape: number[]): tf.Tensor {
  const { rank, dilations, pads } = G;
  const spatialAxes = Array.from({ length: rank }, (_, i) => i);
  const perm = [...spatialAxes, rank + 1, rank];
  const wt = tf.transpose(tf.reverse(w, spatialAxes), perm);
  const full: Pads = pads.map(([pb], i) => {
    const ek = (G.wShape[i] - 1) * dilations[i];
    const before = ek - pb;
    const after = xShape[i + 1] + ek - before - dy.shape[i + 1];
    return [before, after];
  });
  const ones = spatialAxes.map(() => 1);
  return convCore(padOrCrop(dy, full), wt, rank, ones, dilations, spatialAxes.map(() => [0, 0] as [number, number]));
}

/**
 * Inserts stride - 1 zeros between the elements of each spatial axis of [N, ...spatial, C]
 * (length (n - 1) * stride + 1): the input of a transposed convolution written as a convolution.
 */
function stuff(t: tf.Tensor, strides: readonly number[]): tf.Tensor {
  let r = t;
  strides.forEach((s, i) => {
    if (s === 1) return;
    const ax = i + 1;
    const n = r.shape[ax];
    const e = tf.expandDims(r, ax + 1);
    const padded = tf.pad(e, e.shape.map((_, k): [number, number] => (k === ax + 1 ? [0, s - 1] : [0, 0])));
    const merged = tf.reshape(padded, [...r.shape.slice(0, ax), n * s, ...r.shape.slice(ax + 1)]);
    r = tf.slice(merged, merged.shape.map(() => 0), merged.shape.map((d, k) => (k === ax ? (n - 1) * s + 1 : d)));
  });
  return r;
}

/**
 * dx of one group: tfjs' conv2dTranspose for rank 2 without dilation; otherwise (dilation, or
 * rank 3, whose tfjs kernel returns zeros on wasm) a convolution of the zero-stuffed dy.
 */
function transposeGroup(G: Geometry, dy: tf.Tensor, w: tf.Tensor, xShape: number[]): tf.Tensor {
  const { rank, strides, dilations, pads } = G;
  if (rank === 2 && allOnes(dilations)) {
    return tf.conv2dTranspose(dy as tf.Tensor4D, w as tf.Tensor4D, xShape as [number, number, number, number], strides as [number, number], explicit2d(pads));
  }
  return transposeByConv(G, stuff(dy, strides), w, xShape);
}

/**
 * dw of one group as a forward convolution: batch and channels swap roles, stride and dilation
 * too. Used on both tfjs backends: wasm has no Conv2DBackpropFilter kernel, and cpu's loops over
 * TensorBuffer.get are ~27x slower than its conv2d here (5.9 s against 0.22 s for x
 * [32, 13, 13, 16], dy [32, 11, 11, 32]).
 */
function filterByConv(G: Geometry, x: tf.Tensor, dy: tf.Tensor, kShape: number[]): tf.Tensor {
  const { rank, strides, dilations, pads } = G;
  const spatial = Array.from({ length: rank }, (_, i) => i + 1);
  // x' = [Cin, ...spatial(padded), N], f' = [...outSpatial, N, Cout]
  const xt = tf.transpose(padOrCrop(x, pads), [rank + 1, ...spatial, 0]);
  const ft = tf.transpose(dy, [...spatial, 0, rank + 1]);
  const zero = spatial.map(() => [0, 0] as [number, number]);
  let r = convCore(xt, ft, rank, dilations, strides, zero); // [Cin, ...K', Cout], K' >= K
  if (r.shape.slice(1, -1).some((d, i) => d !== kShape[i])) r = tf.slice(r, r.shape.map(() => 0), [r.shape[0], ...kShape.slice(0, rank), r.shape[rank + 1]]);
  return tf.transpose(r, [...spatial, 0, rank + 1]);
}

/** Whether a sum the kernel computes runs over nothing (tfjs' wasm kernels then leave the output unwritten). */
const emptySum = (...sizes: number[]) => sizes.some((d) => d === 0);

const conv: Kernel<'conv'> = (node, [x, w], ctx) => {
  const G = geometry(node.attrs, x.shape, w.shape, node.shape);
  const out = [...node.shape];
  if (emptySum(sizeOf(w.shape.slice(0, -1)))) return () => tf.zeros(out);
  // On webgl the depthwise filter's reshape changes the packed texture's last two axes: a copy per
  // run (17 in MobileNetV2's predict, which took 1.13x tfjs-layers' time in `pnpm bench:browser`
  // with them, 0.94x without), so it is made once per weight tensor there. On cpu and wasm a
  // reshape is free.
  const filter = !G.lifted && isDepthwise(G) && (ctx.backend === 'webgl' || ctx.backend === 'webgpu') ? ctx.memo((t) => tf.reshape(t, depthwiseShape(G))) : undefined;
  return ([xt, wt]) => {
    const y = forward(G, G.lifted ? tf.reshape(xt, G.xShape) : xt, G.lifted ? tf.reshape(wt, G.wShape) : wt, filter);
    return G.lifted ? tf.reshape(y, out) : y;
  };
};

/** [kh, kw, 1, C * M] -> [kh, kw, C, M]: output channel c * M + m reads channel c through filter m. */
function depthwiseShape(G: Geometry): number[] {
  return [G.wShape[0], G.wShape[1], G.groups, G.wShape[G.rank + 1] / G.groups];
}

/** Whether every group reads one input channel (a depthwise convolution) in rank 2. */
const isDepthwise = (G: Geometry) => G.groups > 1 && G.rank === 2 && G.wShape[2] === 1;

/**
 * dx of a depthwise convolution (kernel [kh, kw, 1, C * M]) as one depthwise convolution of the
 * zero-stuffed, padded dy with the spatially reversed kernel, then a sum over the M filters of
 * each channel.
 */
function depthwiseTranspose(G: Geometry, dy: tf.Tensor, w: tf.Tensor): tf.Tensor {
  const { strides, dilations, pads, xShape, wShape } = G;
  const C = xShape[3];
  const CM = wShape[3];
  const z = stuff(dy, strides);
  const full: Pads = pads.map(([pb], i) => {
    const ek = (wShape[i] - 1) * dilations[i];
    const before = ek - pb;
    return [before, xShape[i + 1] + ek - before - z.shape[i + 1]];
  });
  const wf = tf.reshape(tf.reverse(w, [0, 1]), [wShape[0], wShape[1], CM, 1]) as tf.Tensor4D;
  const y = tf.depthwiseConv2d(padOrCrop(z, full) as tf.Tensor4D, wf, 1, 'valid', 'NHWC', dilations as [number, number]);
  return CM === C ? y : tf.sum(tf.reshape(y, [...xShape.slice(0, 3), C, CM / C]), -1);
}

/**
 * dw of a depthwise convolution as one depthwise convolution in which (sample, channel) pairs are
 * the channels: the padded input [1, H, W, N * C * M] filtered by dy [oh, ow, N * C * M, 1] with
 * stride and dilation swapped, cropped to the kernel size and summed over the samples.
 */
function depthwiseFilter(G: Geometry, x: tf.Tensor, dy: tf.Tensor): tf.Tensor {
  const { strides, dilations, pads, xShape, wShape, yShape } = G;
  const [N] = xShape;
  const C = xShape[3];
  const CM = wShape[3];
  const M = CM / C;
  let xp = padOrCrop(x, pads);
  if (M > 1) xp = tf.reshape(tf.tile(tf.expandDims(xp, 4), [1, 1, 1, 1, M]), [...xp.shape.slice(0, 3), CM]);
  const [, Hp, Wp] = xp.shape;
  const z = tf.reshape(tf.transpose(xp, [1, 2, 0, 3]), [1, Hp, Wp, N * CM]) as tf.Tensor4D;
  const f = tf.reshape(tf.transpose(dy, [1, 2, 0, 3]), [yShape[1], yShape[2], N * CM, 1]) as tf.Tensor4D;
  let r: tf.Tensor = tf.depthwiseConv2d(z, f, dilations as [number, number], 'valid', 'NHWC', strides as [number, number]);
  if (r.shape[1] !== wShape[0] || r.shape[2] !== wShape[1]) r = tf.slice(r, [0, 0, 0, 0], [1, wShape[0], wShape[1], N * CM]);
  return tf.reshape(tf.sum(tf.reshape(r, [wShape[0], wShape[1], N, CM]), 2), [wShape[0], wShape[1], 1, CM]);
}

/** Channels-last shape `shape` with its last axis divided among `groups`. */
const perGroupShape = (shape: readonly number[], groups: number): number[] => [...shape.slice(0, -1), shape[shape.length - 1] / groups];

/**
 * One of conv's gradients (conv_transpose, conv_backprop_filter) over inputs `[a, b]`, first
 * reshaped to `lifted` when the geometry lifted 1-D to 2-D: `depthwise` for a depthwise geometry,
 * else `group` on each channel group of both, joined on the channels; reshaped back to `out`.
 */
function groupedGradient(G: Geometry, out: number[], ins: readonly tf.Tensor[], lifted: readonly [number[], number[]], depthwise: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor, group: (a: tf.Tensor, b: tf.Tensor) => tf.Tensor): tf.Tensor {
  const [a, b] = G.lifted ? [tf.reshape(ins[0], lifted[0]), tf.reshape(ins[1], lifted[1])] : ins;
  let y: tf.Tensor;
  if (isDepthwise(G)) y = depthwise(a, b);
  else {
    const bs = splitChannels(b, G.groups);
    const parts = splitChannels(a, G.groups).map((ag, g) => group(ag, bs[g]));
    y = parts.length === 1 ? parts[0] : tf.concat(parts, -1);
  }
  return G.lifted ? tf.reshape(y, out) : y;
}

const convTranspose: Kernel<'conv_transpose'> = (node, [dy, w]) => {
  const G = geometry(node.attrs, node.shape, w.shape, dy.shape);
  const out = [...node.shape];
  if (emptySum(sizeOf(dy.shape.slice(1)), sizeOf(w.shape))) return () => tf.zeros(out);
  const gShape = perGroupShape(G.xShape, G.groups);
  return (ins) => groupedGradient(G, out, ins, [G.yShape, G.wShape], (d, k) => depthwiseTranspose(G, d, k), (d, k) => transposeGroup(G, d, k, gShape));
};

const convBackpropFilter: Kernel<'conv_backprop_filter'> = (node, [x, dy]) => {
  const G = geometry(node.attrs, x.shape, node.shape, dy.shape);
  const out = [...node.shape];
  if (emptySum(sizeOf(dy.shape.slice(0, -1)))) return () => tf.zeros(out);
  const kShape = perGroupShape(G.wShape, G.groups);
  return (ins) => groupedGradient(G, out, ins, [G.xShape, G.yShape], (xx, d) => depthwiseFilter(G, xx, d), (xx, d) => filterByConv(G, xx, d, kShape));
};

export const convKernels = typedKernels({
  conv,
  conv_transpose: convTranspose,
  conv_backprop_filter: convBackpropFilter,
});
