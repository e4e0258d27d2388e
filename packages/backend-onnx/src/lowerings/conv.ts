import { ops, sizeOf } from '@keras-ts/spec';
import type { AttrsOf, Lowering, LoweringFamily } from '../lowering.js';
import { flatPads, fromCF, kernelPerm, toCF } from './channels-first.js';
import { NEG_INF_I64 } from './slice-bounds.js';

/**
 * The convolutions (spec/src/ops/conv.ts; depthwise_conv runs as its decomposition): ONNX's Conv
 * and ConvTranspose, channels-first between Transposes, with explicit pads from
 * ops.resolveConvPadding; conv and conv_transpose take a fused bias.
 */


const conv: Lowering<AttrsOf<'conv'>> = (b, node, [x, w], [xn, wn], bias) => {
  const a = node.attrs;
  const r = a.rank;
  const pads = ops.resolveConvPadding(xn.shape.slice(1, r + 1), wn.shape.slice(0, r), a.strides, a.dilations, a.padding);
  const y = b.node('Conv', [b.transpose(x, toCF(r)), b.transpose(w, kernelPerm(r)), ...(bias ? [bias] : [])], {
    strides: a.strides,
    dilations: a.dilations,
    pads: flatPads(pads),
    group: a.groups,
    kernel_shape: wn.shape.slice(0, r),
  });
  return b.transpose(y, fromCF(r));
};

const convTranspose: Lowering<AttrsOf<'conv_transpose'>> = (b, node, [dy, w], [dyn, wn], bias) => {
  const a = node.attrs;
  const r = a.rank;
  const spatial = a.outputShape.slice(1, r + 1);
  const k = wn.shape.slice(0, r);
  const pads = ops.resolveConvPadding(spatial, k, a.strides, a.dilations, a.padding);
  const reach = k.map((kk, i) => (kk - 1) * a.dilations[i]);
  if (a.strides.every((s) => s === 1) && pads.every(([p, q], i) => p <= reach[i] && q <= reach[i])) {
    // With unit strides the adjoint is a plain convolution of dy with the spatially flipped
    // kernel, channels swapped, padded by (k - 1) d - pad: onnxruntime's Conv is faster than
    // its ConvTranspose (GEMM + col2im).
    const G = a.groups;
    const cg = wn.shape[r];
    const cout = wn.shape[r + 1];
    const coutg = cout / G;
    const axes = Array.from({ length: r }, (_, i) => i);
    const flipped = b.node('Slice', [w, b.i64(axes.map(() => -1)), b.i64(axes.map(() => NEG_INF_I64)), b.i64(axes), b.i64(axes.map(() => -1))]);
    // [...k, cg, G * coutg] -> ONNX [G * cg, coutg, ...k]
    const split = b.reshape(flipped, [...k, cg, G, coutg]);
    const kernel = b.reshape(b.transpose(split, [r + 1, r, r + 2, ...axes]), [G * cg, coutg, ...k]);
    const y = b.node('Conv', [b.transpose(dy, toCF(r)), kernel, ...(bias ? [bias] : [])], {
      dilations: a.dilations,
      pads: [...pads.map(([p], i) => reach[i] - p), ...pads.map(([, q], i) => reach[i] - q)],
      group: G,
      kernel_shape: k,
    });
    return b.transpose(y, fromCF(r));
  }
  const outSpatial = dyn.shape.slice(1, r + 1);
  const outputPadding = spatial.map((s, i) => s - ((outSpatial[i] - 1) * a.strides[i] + (k[i] - 1) * a.dilations[i] + 1 - pads[i][0] - pads[i][1]));
  const y = b.node('ConvTranspose', [b.transpose(dy, toCF(r)), b.transpose(w, kernelPerm(r)), ...(bias ? [bias] : [])], {
    strides: a.strides,
    dilations: a.dilations,
    pads: flatPads(pads),
    group: a.groups,
    kernel_shape: k,
    output_padding: outputPadding,
  });
  return b.transpose(y, fromCF(r));
};

/** Above this many elements, conv_backprop_filter's tap matrix is not built (the one-Conv form is used). */
let TAP_MATRIX_LIMIT = 1 << 24;

/** For tests: forces conv_backprop_filter's one-Conv form (0) or restores the default. */
export function setTapMatrixLimit(n = 1 << 24): void {
  TAP_MATRIX_LIMIT = n;
}

/** Every multi-index of `dims`, row-major. */
function multiIndices(dims: readonly number[]): number[][] {
  let out: number[][] = [[]];
  for (const d of dims) out = out.flatMap((p) => Array.from({ length: d }, (_, i) => [...p, i]));
  return out;
}

/**
 * conv_backprop_filter: dw[k, ci, co] = sum over (n, o) of x[n, o s + k d - pad, ci] dy[n, o, co].
 *
 * When it fits, as one GEMM: the input taps x[·, o s + k d - pad, ·] of every kernel position k,
 * stacked as a [T · Cin, N · outSpatial] matrix (x channels-first, padded, one strided Slice per
 * tap), times dy viewed as [N · outSpatial, Cout] (no copy: dy is channels-last) — per channel
 * group, a batched MatMul. Otherwise as one Conv in which the batch becomes the channel axis.
 */
const convBackpropFilter: Lowering<AttrsOf<'conv_backprop_filter'>> = (b, node, ins, inNodes) => {
  const a = node.attrs;
  const [xn, dyn] = inNodes;
  if (sizeOf(xn.shape) === 0 || sizeOf(dyn.shape) === 0) return b.full(node.shape, 0, 'float32');
  const r = a.rank;
  const T = sizeOf(a.kernelShape.slice(0, r));
  const M = sizeOf(dyn.shape.slice(0, r + 1));
  if (T * xn.shape[r + 1] * M <= TAP_MATRIX_LIMIT) return convBackpropFilterTaps(b, node, ins, inNodes);
  return convBackpropFilterConv(b, node, ins, inNodes);
};

const convBackpropFilterTaps: Lowering<AttrsOf<'conv_backprop_filter'>> = (b, node, [x, dy], [xn, dyn]) => {
  const a = node.attrs;
  const r = a.rank;
  const G = a.groups;
  const spatial = xn.shape.slice(1, r + 1);
  const cin = xn.shape[r + 1];
  const cg = cin / G;
  const cout = dyn.shape[r + 1];
  const coutg = cout / G;
  const k = a.kernelShape.slice(0, r);
  const T = sizeOf(k);
  const pads = ops.resolveConvPadding(spatial, k, a.strides, a.dilations, a.padding);
  const outSpatial = dyn.shape.slice(1, r + 1);
  const M = sizeOf(dyn.shape.slice(0, r + 1));
  const sp = Array.from({ length: r }, (_, i) => i + 1);
  // x as [Cin, N, ...spatial], padded like the forward conv.
  let xc = b.transpose(x, [r + 1, 0, ...sp]);
  if (pads.some(([p, q]) => p > 0 || q > 0)) {
    xc = b.node('Pad', [xc, b.i64([0, 0, ...pads.map((p) => p[0]), 0, 0, ...pads.map((p) => p[1])]), b.scalar(0, 'float32')], { mode: 'constant' });
  }
  const axes = sp.map((i) => i + 1);
  const taps = multiIndices(k).map((kk) => {
    const starts = kk.map((v, i) => v * a.dilations[i]);
    const ends = starts.map((st, i) => st + (outSpatial[i] - 1) * a.strides[i] + 1);
    return b.node('Slice', [xc, b.i64(starts), b.i64(ends), b.i64(axes), b.i64(a.strides)]);
  });
  const stacked = taps.length === 1 ? taps[0] : b.node('Concat', taps, { axis: 0 }); // [T * Cin, N, ...out]
  if (G === 1) {
    const dw = b.node('Gemm', [b.reshape(stacked, [T * cin, M]), b.reshape(dy, [M, cout])]);
    return b.reshape(dw, a.kernelShape);
  }
  const lhs = b.reshape(b.transpose(b.reshape(stacked, [T, G, cg, M]), [1, 0, 2, 3]), [G, T * cg, M]);
  const rhs = b.transpose(b.reshape(dy, [M, G, coutg]), [1, 0, 2]);
  const dw = b.reshape(b.node('MatMul', [lhs, rhs]), [G, T, cg, coutg]); // [G, T, cg, coutg]
  return b.reshape(b.transpose(dw, [1, 2, 0, 3]), a.kernelShape);
};

/**
 * conv_backprop_filter as one Conv: the batch becomes the channels. With x as
 * [Cin/G, G * N, ...spatial] (batch Cin/G) and dy as the kernel [Cout, N, ...outSpatial], a
 * Conv with group G, strides = the forward dilations, dilations = the forward strides and the
 * forward padding gives [Cin/G, Cout, ...k'] with k' >= k; the first k positions are dw.
 */
const convBackpropFilterConv: Lowering<AttrsOf<'conv_backprop_filter'>> = (b, node, [x, dy], [xn, dyn]) => {
  const a = node.attrs;
  const r = a.rank;
  const G = a.groups;
  const [N] = xn.shape;
  const spatial = xn.shape.slice(1, r + 1);
  const cin = xn.shape[r + 1];
  const cg = cin / G;
  const k = a.kernelShape.slice(0, r);
  const pads = ops.resolveConvPadding(spatial, k, a.strides, a.dilations, a.padding);
  const outSpatial = dyn.shape.slice(1, r + 1);
  const sp = Array.from({ length: r }, (_, i) => i + 1);
  let xb: string;
  if (G === 1) xb = b.transpose(x, [r + 1, 0, ...sp]);
  else {
    const split = b.reshape(x, [N, ...spatial, G, cg]);
    xb = b.reshape(b.transpose(split, [r + 2, r + 1, 0, ...sp]), [cg, G * N, ...spatial]);
  }
  const wb = b.transpose(dy, [r + 1, 0, ...sp]);
  const kOut = spatial.map((s, i) => Math.floor((s + pads[i][0] + pads[i][1] - ((outSpatial[i] - 1) * a.strides[i] + 1)) / a.dilations[i]) + 1);
  let y = b.node('Conv', [xb, wb], {
    strides: a.dilations,
    dilations: a.strides,
    pads: flatPads(pads),
    group: G,
    kernel_shape: outSpatial,
  });
  if (kOut.some((d, i) => d !== k[i])) {
    y = b.node('Slice', [y, b.i64(k.map(() => 0)), b.i64(k), b.i64(k.map((_, i) => i + 2))]);
  }
  // [Cin/G, Cout, ...k] -> [...k, Cin/G, Cout]
  return b.transpose(y, [...Array.from({ length: r }, (_, i) => i + 2), 0, 1]);
};

export const convLowerings: LoweringFamily = (reg) => {
  reg.add('conv', conv);
  reg.add('conv_transpose', convTranspose);
  reg.add('conv_backprop_filter', convBackpropFilter);
};
