import { z } from 'zod';
import type { Sym } from '../graph/graph.js';
import { fmtShape, type Shape } from '../shape.js';
import { defineOp, problem, type TensorInfo } from './registry.js';
import { zShape } from './schemas.js';

/**
 * Image resizing of NHWC tensors as TF2's tf.image.resize (half-pixel centers, no antialias).
 * With scale = inSize / outSize computed in float32:
 * - 'bilinear': in = (out + 0.5) * scale - 0.5; lower = max(floor(in), 0),
 *   upper = min(ceil(in), inSize - 1), weight of upper = in - floor(in);
 * - 'nearest': in = min(floor((out + 0.5) * scale), inSize - 1). For an integer upsampling
 *   factor this is a plain repeat (Keras UpSampling2D 'nearest').
 */
const zMethod = z.enum(['nearest', 'bilinear']);
const zSize = z.array(z.number().int());

/** How `resize` samples: 'nearest' or 'bilinear', by TF2's rules (above). */
export type ResizeMethod = z.infer<typeof zMethod>;

/**
 * The source taps of each output index along one axis, by the rules above (in float32): bilinear
 * reads `lower` with weight 1 - lerp and `upper` with weight lerp; nearest reads `lower` only
 * (lerp 0, upper = lower). Shared by the backends so that all pick the same pixels and weights.
 */
export interface ResizeTaps {
  readonly lower: Int32Array;
  readonly upper: Int32Array;
  readonly lerp: Float32Array;
}

const f32 = Math.fround;

/**
 * The {@link ResizeTaps} of resizing one axis from `inSize` to `outSize` with `method`.
 * @example resizeTaps('nearest', 2, 4).lower // Int32Array [0, 0, 1, 1]
 */
export function resizeTaps(method: ResizeMethod, inSize: number, outSize: number): ResizeTaps {
  const lower = new Int32Array(outSize);
  const upper = new Int32Array(outSize);
  const lerp = new Float32Array(outSize);
  const scale = f32(inSize / outSize);
  for (let i = 0; i < outSize; i++) {
    if (method === 'nearest') {
      const src = Math.min(Math.floor(f32((i + 0.5) * scale)), inSize - 1);
      lower[i] = upper[i] = Math.max(src, 0);
    } else {
      const src = f32(f32((i + 0.5) * scale) - 0.5);
      const fl = Math.floor(src);
      lower[i] = Math.max(fl, 0);
      upper[i] = Math.min(Math.ceil(src), inSize - 1);
      lerp[i] = f32(src - fl);
    }
  }
  return { lower, upper, lerp };
}

/**
 * The interpolation matrix [outSize, inSize] of resizing one axis: row i holds the weights output
 * i reads (from {@link resizeTaps}). Resize is separable and linear, so its adjoint along the
 * spatial axes is dx = Ryᵀ · dy · Rx.
 * @example resizeWeights('nearest', 2, 4) // Float32Array [1, 0, 1, 0, 0, 1, 0, 1]
 */
export function resizeWeights(method: ResizeMethod, inSize: number, outSize: number): Float32Array {
  const { lower, upper, lerp } = resizeTaps(method, inSize, outSize);
  const m = new Float32Array(outSize * inSize);
  for (let i = 0; i < outSize; i++) {
    m[i * inSize + lower[i]] += 1 - lerp[i];
    m[i * inSize + upper[i]] += lerp[i];
  }
  return m;
}

function checkImage(x: TensorInfo, what: string): void {
  if (x.shape.length !== 4) problem(`${what} must be NHWC of rank 4, got rank ${x.shape.length} ${fmtShape(x.shape)}`);
}

function checkSize(size: readonly number[], attr: string): void {
  if (size.length !== 2 || size.some((d) => d < 1)) problem(`attribute '${attr}' = [${size}] must be 2 positive integers [height, width]`);
}

/** Resizes the H and W axes of an NHWC tensor to `size`. */
const resizeAttrs = z.strictObject({ method: zMethod, size: zSize });

defineOp({
  name: 'resize',
  kind: 'primitive',
  arity: 1,
  attrs: resizeAttrs,
  infer: ([x], a) => {
    checkImage(x, 'the input');
    if (a.method === 'bilinear' ? x.dtype !== 'float32' : x.dtype === 'bool') {
      problem(`method '${a.method}' takes ${a.method === 'bilinear' ? 'float32' : 'float32 or int32'}, not ${x.dtype}`);
    }
    checkSize(a.size, 'size');
    if (x.shape[1] < 1 || x.shape[2] < 1) problem(`cannot resize an image of spatial size ${x.shape[1]}x${x.shape[2]}`);
    return { shape: [x.shape[0], a.size[0], a.size[1], x.shape[3]], dtype: x.dtype };
  },
  grad: ({ inputs: [x], dy, attrs }) => [resizeGrad(dy, x.shape, attrs.method)],
  doc: {
    summary:
      "Resizes the height and width of an NHWC image batch to `size` = [height, width], as TF2's tf.image.resize: half-pixel centers, no antialiasing, 'nearest' or 'bilinear' (the source pixels and weights are those of `resizeTaps`).",
    inputs: ['x'],
    shape: '[N, size[0], size[1], C]. The input must have rank 4 and positive height and width; `size` must be 2 positive integers.',
    dtype: "'bilinear' takes float32, 'nearest' float32 or int32; the output has the input's dtype.",
    grad: "dx = resize_grad(dy) with x's shape: each dy added onto the input pixels it was read from, with the same weights.",
  },
});

/**
 * Backprop of resize: dy [N, h, w, C] to dx of `inputShape` [N, H, W, C], each dy scattered
 * (added) onto the input pixels resize read, with the same weights. It is the adjoint of the
 * linear map resize, so its own gradient is resize to [h, w].
 */
const resizeGradAttrs = z.strictObject({ method: zMethod, inputShape: zShape });

defineOp({
  name: 'resize_grad',
  kind: 'primitive',
  arity: 1,
  attrs: resizeGradAttrs,
  infer: ([dy], a) => {
    checkImage(dy, 'the gradient');
    if (dy.dtype !== 'float32') problem(`takes float32, not ${dy.dtype}`);
    const s = a.inputShape;
    if (s.length !== 4) problem(`attribute 'inputShape' = ${fmtShape(s)} must be NHWC of rank 4`);
    if (s[0] !== dy.shape[0] || s[3] !== dy.shape[3]) {
      problem(`attribute 'inputShape' = ${fmtShape(s)} must have the gradient's batch and channels (${dy.shape[0]}, ${dy.shape[3]})`);
    }
    if (s[1] < 1 || s[2] < 1) problem(`attribute 'inputShape' = ${fmtShape(s)} must have positive height and width`);
    if (dy.shape[1] < 1 || dy.shape[2] < 1) problem(`the gradient has spatial size ${dy.shape[1]}x${dy.shape[2]}; it must be positive`);
    return { shape: s, dtype: 'float32' };
  },
  grad: ({ inputs: [dy], dy: ddx, attrs }) => [resize(ddx, [dy.shape[1], dy.shape[2]], attrs.method)],
  doc: {
    summary:
      'Backprop of resize: dy [N, h, w, C] to dx of `inputShape` [N, H, W, C], each element of dy added onto the input pixels resize read for it, with the same weights.',
    inputs: ['dy'],
    shape: "`inputShape`: rank 4, with dy's batch and channels and a positive height and width; dy must be rank 4 with positive height and width.",
    dtype: 'float32 only; the output is float32.',
    grad: 'The op is the adjoint of a linear map: dy gets resize of the incoming gradient to [h, w], with the same method.',
  },
});

/**
 * Resizes an NHWC image batch to `size` = [height, width], as tf.image.resize.
 * @example resize(x, [8, 8], 'bilinear') // [2, 4, 4, 3] -> [2, 8, 8, 3]
 */
export function resize(x: Sym, size: readonly [number, number] | readonly number[], method: ResizeMethod = 'bilinear'): Sym {
  return x.graph.apply('resize', [x], { method, size: [...size] });
}

/**
 * The gradient of resize(x, ..., method) for x of `inputShape`, given the output adjoint `dy`.
 * @example resizeGrad(dy, [2, 4, 4, 3], 'bilinear') // dy [2, 8, 8, 3] -> [2, 4, 4, 3]
 */
export function resizeGrad(dy: Sym, inputShape: Shape, method: ResizeMethod = 'bilinear'): Sym {
  return dy.graph.apply('resize_grad', [dy], { method, inputShape: [...inputShape] });
}

declare module './registry.js' {
  interface OpSchemas {
    resize: typeof resizeAttrs;
    resize_grad: typeof resizeGradAttrs;
  }
}
