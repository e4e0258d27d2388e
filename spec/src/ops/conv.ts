import { z } from 'zod';
import type { Sym } from '../graph/graph.js';
import { fmtShape, shapesEqual, type Shape } from '../shape.js';
import { convOutputSize, effectiveKernelSize, resolveConvPadding, zConvPadding, type ConvPadding } from './padding.js';
import { defineOp, problem, type TensorInfo } from './registry.js';
import { reshape } from './shape.js';
import { zShape } from './schemas.js';

export { convOutputSize, resolveConvPadding, type ConvPadding } from './padding.js';

// Convolutions, channels-last as in Keras: inputs [N, ...spatial, Cin], kernels
// [...k, Cin / groups, Cout], outputs [N, ...outSpatial, Cout]. Output channel co belongs to group
// floor(co / (Cout / groups)), which reads input channels [g * Cin/groups, (g + 1) * Cin/groups).
//
//   y[n, o, co] = sum_{k, ci} x[n, o * stride + k * dilation - padBefore, g * Cin/groups + ci] * w[k, ci, co]
//
// conv_transpose is the adjoint of that map in x (the gradient of conv with respect to its input)
// and conv_backprop_filter its adjoint in w (the gradient with respect to the kernel).

const zPositive = z.number().int().positive();

const windowAttrs = {
  rank: z.number().int(),
  strides: z.array(zPositive),
  dilations: z.array(zPositive),
  padding: zConvPadding,
  groups: zPositive.default(1),
};

/** conv's attribute schema (the fused op `fused_conv` extends it). */
export const zConvAttrs = z.strictObject(windowAttrs);
/** conv_transpose's attribute schema (the fused op `fused_conv_transpose` extends it). */
export const zConvTransposeAttrs = z.strictObject({ ...windowAttrs, outputShape: zShape });
const convBackpropFilterAttrs = z.strictObject({ ...windowAttrs, kernelShape: zShape });

/** The attributes shared by conv, conv_transpose and conv_backprop_filter. */
export interface ConvAttrs {
  rank: number;
  strides: number[];
  dilations: number[];
  padding: ConvPadding;
  groups: number;
}

function fmtPadding(p: ConvPadding): string {
  return typeof p === 'string' ? `'${p}'` : JSON.stringify(p);
}

/**
 * Checks a convolution's geometry and returns its output shape. `x` is the shape on the input
 * side of the forward conv ([N, ...spatial, Cin]), `w` the kernel shape ([...k, Cin/groups, Cout]).
 */
function convGeometry(x: Shape, w: Shape, a: ConvAttrs, xName: string): number[] {
  const { rank, strides, dilations, padding, groups } = a;
  if (rank !== 1 && rank !== 2 && rank !== 3) {
    problem(`attribute 'rank' = ${rank} is not supported: convolutions have rank 1, 2 or 3 (kernel ${fmtShape(w)})`);
  }
  if (w.length !== rank + 2) {
    problem(`the kernel ${fmtShape(w)} needs rank ${rank + 2} ([...kernel_size, in_channels / groups, out_channels]) for attribute 'rank' = ${rank}`);
  }
  if (x.length !== rank + 2) {
    problem(`the ${xName} ${fmtShape(x)} needs rank ${rank + 2} ([batch, ...spatial, channels]) for attribute 'rank' = ${rank}`);
  }
  if (strides.length !== rank) problem(`attribute 'strides' = [${strides}] needs ${rank} entries for rank ${rank}`);
  if (dilations.length !== rank) problem(`attribute 'dilations' = [${dilations}] needs ${rank} entries for rank ${rank}`);
  if (strides.some((s) => s > 1) && dilations.some((d) => d > 1)) {
    problem(`attribute 'strides' = [${strides}] with 'dilations' = [${dilations}]: strides > 1 cannot be combined with dilations > 1 (as in TensorFlow)`);
  }
  const cin = x[rank + 1];
  const cg = w[rank];
  const cout = w[rank + 1];
  if (cin % groups !== 0) problem(`attribute 'groups' = ${groups} does not divide the ${cin} channels of the ${xName} ${fmtShape(x)}`);
  if (cout % groups !== 0) problem(`attribute 'groups' = ${groups} does not divide the ${cout} output channels of the kernel ${fmtShape(w)}`);
  if (cg * groups !== cin) {
    problem(
      `channel mismatch: the kernel ${fmtShape(w)} takes ${cg} input channel(s) per group × ${groups} group(s) (attribute 'groups' = ${groups}), ` +
        `but the ${xName} ${fmtShape(x)} has ${cin} channels`,
    );
  }
  const inSpatial = x.slice(1, rank + 1);
  const kSpatial = w.slice(0, rank);
  kSpatial.forEach((k, i) => {
    if (k === 0) problem(`the kernel ${fmtShape(w)} has size 0 along spatial dimension ${i}`);
  });
  const pads = resolveConvPadding(inSpatial, kSpatial, strides, dilations, padding);
  const outSpatial = inSpatial.map((n, i) => {
    const ek = effectiveKernelSize(kSpatial[i], dilations[i]);
    const padded = n + pads[i][0] + pads[i][1];
    if (padded < ek && !(padding === 'same' && n === 0)) {
      problem(
        `the kernel ${fmtShape(w)} spans ${ek} along spatial dimension ${i} (attribute 'dilations' = [${dilations}]), ` +
          `more than the ${xName}'s padded size ${padded} (${n} + padding ${pads[i][0]} + ${pads[i][1]}, attribute 'padding' = ${fmtPadding(padding)})`,
      );
    }
    return convOutputSize(n, kSpatial[i], strides[i], dilations[i], pads[i]);
  });
  return [x[0], ...outSpatial, cout];
}

function requireFloat(infos: readonly TensorInfo[]): void {
  if (infos.some((i) => i.dtype !== 'float32')) problem(`takes float32 inputs, got ${infos.map((i) => i.dtype).join(' and ')}`);
}

/** The window geometry shared by the conv ops' shape rules, in words. */
const CONV_GEOMETRY =
  "Per spatial axis, out = floor((in + before + after - ((k - 1) · dilation + 1)) / stride) + 1, with the padding resolved from `padding` ('same': out = ceil(in / stride), the odd element of padding at the end; 'causal': (k - 1) · dilation before). Rejected: `rank` other than 1, 2 or 3; operands whose rank is not rank + 2; `strides` or `dilations` without one entry per spatial axis; strides > 1 together with dilations > 1 (as TensorFlow); `groups` not dividing both channel counts; an input whose channel count is not `groups` times the kernel's input channels; a kernel with a spatial size of 0; a dilated kernel longer than the padded input.";

function windowOf(a: ConvAttrs): ConvAttrs {
  return { rank: a.rank, strides: a.strides, dilations: a.dilations, padding: a.padding, groups: a.groups };
}

/**
 * N-d convolution (rank 1, 2 or 3), channels-last, with strides, dilations, TF padding
 * ('valid', 'same', 'causal' for rank 1, or explicit pairs) and grouped channels.
 */
defineOp({
  name: 'conv',
  kind: 'primitive',
  arity: 2,
  attrs: zConvAttrs,
  infer: (infos, a) => {
    requireFloat(infos);
    const [x, w] = infos;
    return { shape: convGeometry(x.shape, w.shape, a, 'input'), dtype: 'float32' };
  },
  grad: ({ inputs: [x, w], dy, attrs }) => [
    convTranspose(dy, w, x.shape, windowOf(attrs)),
    convBackpropFilter(x, dy, w.shape, windowOf(attrs)),
  ],
  doc: {
    summary:
      "N-d convolution (1, 2 or 3 spatial axes, channels-last, as Keras): x [N, ...spatial, Cin] and kernel [...k, Cin / groups, Cout], with strides, dilations, TF padding ('valid', 'same', 'causal' for rank 1, or explicit [before, after] pairs) and grouped channels (output channel co reads the input channels of group floor(co / (Cout / groups))).",
    inputs: ['x', 'kernel'],
    shape: `[N, ...outSpatial, Cout]. ${CONV_GEOMETRY}`,
    dtype: 'float32 only; the output is float32.',
    grad: "x gets conv_transpose(dy, kernel) with x's shape; kernel gets conv_backprop_filter(x, dy) with its shape; both use the conv's window attributes.",
  },
});

/**
 * The adjoint of `conv` in its input (its gradient with respect to the input): takes dy
 * [N, ...outSpatial, Cout] and the conv's kernel [...k, Cin/groups, Cout], gives
 * [N, ...spatial, Cin] = `outputShape`. The padding is that of the forward conv on `outputShape`.
 */
defineOp({
  name: 'conv_transpose',
  kind: 'primitive',
  arity: 2,
  attrs: zConvTransposeAttrs,
  infer: (infos, a) => {
    requireFloat(infos);
    const [dy, w] = infos;
    const ys = convGeometry(a.outputShape, w.shape, a, "attribute 'outputShape'");
    if (!shapesEqual(ys, dy.shape)) {
      problem(
        `attribute 'outputShape' = ${fmtShape(a.outputShape)} does not fit: a conv of that shape with kernel ${fmtShape(w.shape)}, ` +
          `strides [${a.strides}], dilations [${a.dilations}] and padding ${fmtPadding(a.padding)} gives ${fmtShape(ys)}, not the input's ${fmtShape(dy.shape)}`,
      );
    }
    return { shape: [...a.outputShape], dtype: 'float32' };
  },
  grad: ({ inputs: [dy, w], dy: g, attrs }) => [conv(g, w, windowOf(attrs)), convBackpropFilter(g, dy, w.shape, windowOf(attrs))],
  doc: {
    summary:
      "The adjoint of conv in its input (its gradient with respect to the input; a transposed convolution): dy [N, ...outSpatial, Cout] and the conv's kernel [...k, Cin / groups, Cout] give [N, ...spatial, Cin] = `outputShape`. The window attributes are those of the forward conv, its padding resolved on `outputShape`.",
    inputs: ['dy', 'kernel'],
    shape: "`outputShape`; a conv of that shape with the kernel and the attributes must give dy's shape. The conv's rules apply to `outputShape` and the kernel.",
    dtype: 'float32 only; the output is float32.',
    grad: 'dy gets conv(g, kernel), g the incoming gradient; kernel gets conv_backprop_filter(g, dy), g taking the place of the conv input.',
  },
});

/**
 * The adjoint of `conv` in its kernel (its gradient with respect to the kernel): takes the conv's
 * input x [N, ...spatial, Cin] and dy [N, ...outSpatial, Cout], gives `kernelShape`
 * [...k, Cin/groups, Cout].
 */
defineOp({
  name: 'conv_backprop_filter',
  kind: 'primitive',
  arity: 2,
  attrs: convBackpropFilterAttrs,
  infer: (infos, a) => {
    requireFloat(infos);
    const [x, dy] = infos;
    const ys = convGeometry(x.shape, a.kernelShape, a, 'input');
    if (!shapesEqual(ys, dy.shape)) {
      problem(
        `attribute 'kernelShape' = ${fmtShape(a.kernelShape)} does not fit: a conv of the input ${fmtShape(x.shape)} with that kernel gives ` +
          `${fmtShape(ys)}, not dy's ${fmtShape(dy.shape)}`,
      );
    }
    return { shape: [...a.kernelShape], dtype: 'float32' };
  },
  grad: ({ inputs: [x, dy], dy: g, attrs }) => [convTranspose(dy, g, x.shape, windowOf(attrs)), conv(x, g, windowOf(attrs))],
  doc: {
    summary:
      "The adjoint of conv in its kernel (its gradient with respect to the kernel): the conv's input x [N, ...spatial, Cin] and dy [N, ...outSpatial, Cout] give `kernelShape` [...k, Cin / groups, Cout].",
    inputs: ['x', 'dy'],
    shape: "`kernelShape`; a conv of x with a kernel of that shape and the attributes must give dy's shape. The conv's rules apply to x and `kernelShape`.",
    dtype: 'float32 only; the output is float32.',
    grad: "x gets conv_transpose(dy, g) with x's shape, g the incoming gradient taking the place of the kernel; dy gets conv(x, g).",
  },
});

/**
 * Depthwise convolution (rank 1 or 2): input [N, ...spatial, C], kernel [...k, C, M], output
 * [N, ...outSpatial, C * M] with output channel c * M + m = input channel c through filter m.
 * A conv with groups = C of the kernel reshaped to [...k, 1, C * M]. This is the op's attribute
 * schema (the fused op `fused_depthwise_conv` extends it).
 */
export const zDepthwiseConvAttrs = z.strictObject({ rank: windowAttrs.rank, strides: windowAttrs.strides, dilations: windowAttrs.dilations, padding: zConvPadding });

defineOp({
  name: 'depthwise_conv',
  kind: 'composite',
  arity: 2,
  attrs: zDepthwiseConvAttrs,
  infer: (infos, a) => {
    requireFloat(infos);
    const [x, w] = infos;
    if (a.rank !== 1 && a.rank !== 2) problem(`attribute 'rank' = ${a.rank} is not supported: depthwise convolutions have rank 1 or 2 (kernel ${fmtShape(w.shape)})`);
    if (w.shape.length !== a.rank + 2) {
      problem(`the kernel ${fmtShape(w.shape)} needs rank ${a.rank + 2} ([...kernel_size, channels, depth_multiplier]) for attribute 'rank' = ${a.rank}`);
    }
    const c = x.shape[a.rank + 1];
    if (x.shape.length === a.rank + 2 && w.shape[a.rank] !== c) {
      problem(`channel mismatch: the kernel ${fmtShape(w.shape)} is for ${w.shape[a.rank]} channels, but the input ${fmtShape(x.shape)} has ${c}`);
    }
    return { shape: convGeometry(x.shape, depthwiseKernelShape(w.shape, a.rank), { ...a, groups: c ?? 1 }, 'input'), dtype: 'float32' };
  },
  decompose: ([x, w], a) => {
    const c = x.shape[a.rank + 1];
    return convRaw(x, reshape(w, depthwiseKernelShape(w.shape, a.rank)), { ...a, groups: c });
  },
  doc: {
    summary:
      'Depthwise convolution (1 or 2 spatial axes): each of the C input channels of x [N, ...spatial, C] is convolved with its own M filters of kernel [...k, C, M]; output channel c · M + m is input channel c through filter m. It is a conv with groups = C of the kernel reshaped to [...k, 1, C · M].',
    inputs: ['x', 'kernel'],
    shape:
      "[N, ...outSpatial, C · M], the spatial sizes as for conv (the same strides, dilations and padding rules). Rejected: `rank` other than 1 or 2; a kernel without rank + 2 axes or made for other than the input's C channels; and what conv rejects for that geometry.",
    dtype: 'float32 only; the output is float32.',
  },
});

function depthwiseKernelShape(w: Shape, rank: number): number[] {
  return [...w.slice(0, rank), 1, w[rank] * w[rank + 1]];
}

/** Options of the convolution builders; numbers apply to every spatial dimension. */
export interface ConvOptions {
  /** Step of the window (default 1). */
  strides?: number | readonly number[];
  /** Spacing of the kernel taps (default 1); cannot be combined with strides > 1. */
  dilations?: number | readonly number[];
  /** 'valid' (default), 'same' (TF: extra pad at the end), 'causal' (rank 1) or [before, after] pairs. */
  padding?: ConvPadding;
  /** Number of channel groups (default 1); divides the input and output channels. */
  groups?: number;
}

function perDim(v: number | readonly number[] | undefined, rank: number): number[] {
  if (v === undefined) return new Array<number>(rank).fill(1);
  return typeof v === 'number' ? new Array<number>(rank).fill(v) : [...v];
}

function resolveOptions(rank: number, o: ConvOptions): ConvAttrs {
  const r = Math.max(rank, 0);
  return {
    rank,
    strides: perDim(o.strides, r),
    dilations: perDim(o.dilations, r),
    padding: o.padding ?? 'valid',
    groups: o.groups ?? 1,
  };
}

function convRaw(x: Sym, kernel: Sym, a: ConvAttrs): Sym {
  return x.graph.apply('conv', [x, kernel], { ...a });
}

/**
 * N-d convolution, channels-last; the rank (1, 2 or 3) is the kernel's rank minus 2.
 * @example conv(x, w, { strides: 2, padding: 'same' }) // [8, 32, 32, 3] * [3, 3, 3, 16] -> [8, 16, 16, 16]
 */
export function conv(x: Sym, kernel: Sym, options: ConvOptions = {}): Sym {
  return convRaw(x, kernel, resolveOptions(kernel.rank - 2, options));
}

/**
 * The transpose (adjoint) of `conv` in its input: maps dy [N, ...outSpatial, Cout] back to
 * `outputShape` [N, ...spatial, Cin], with the same kernel layout [...k, Cin/groups, Cout] and
 * the options of the forward conv.
 * @example convTranspose(dy, w, [8, 32, 32, 3], { strides: 2, padding: 'same' })
 */
export function convTranspose(dy: Sym, kernel: Sym, outputShape: Shape, options: ConvOptions = {}): Sym {
  return dy.graph.apply('conv_transpose', [dy, kernel], { ...resolveOptions(kernel.rank - 2, options), outputShape: [...outputShape] });
}

/**
 * The gradient of `conv` with respect to its kernel, of shape `kernelShape`, from the conv's
 * input `x` and output adjoint `dy`.
 * @example convBackpropFilter(x, dy, [3, 3, 3, 16], { strides: 2, padding: 'same' })
 */
export function convBackpropFilter(x: Sym, dy: Sym, kernelShape: Shape, options: ConvOptions = {}): Sym {
  return x.graph.apply('conv_backprop_filter', [x, dy], {
    ...resolveOptions(kernelShape.length - 2, options),
    kernelShape: [...kernelShape],
  });
}

/**
 * Depthwise convolution (rank 1 or 2): each of the C input channels is convolved with its own M
 * filters; kernel [...k, C, M], output channels C * M (channel c * M + m).
 * @example depthwiseConv(x, w, { padding: 'same' }) // [1, 5, 5, 3] * [3, 3, 3, 2] -> [1, 5, 5, 6]
 */
export function depthwiseConv(x: Sym, kernel: Sym, options: Omit<ConvOptions, 'groups'> = {}): Sym {
  const { groups: _, ...a } = resolveOptions(kernel.rank - 2, options);
  return x.graph.apply('depthwise_conv', [x, kernel], a);
}

declare module './registry.js' {
  interface OpSchemas {
    conv: typeof zConvAttrs;
    conv_transpose: typeof zConvTransposeAttrs;
    conv_backprop_filter: typeof convBackpropFilterAttrs;
    depthwise_conv: typeof zDepthwiseConvAttrs;
  }
}
