import * as tf from '@tensorflow/tfjs';
import type { Kernel, KernelTable } from '../kernel';

const f32 = Math.fround;

/**
 * The source taps of each output index along one axis, as TF's half-pixel resizers computed in
 * float32 (the same rule as backend-ts): bilinear reads `lower` with weight 1 - lerp and `upper`
 * with weight lerp; nearest reads `lower` only.
 */
function tapsOf(method: string, inSize: number, outSize: number): { lower: Int32Array; upper: Int32Array; lerp: Float32Array } {
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

/** The interpolation matrix [outSize, inSize] of one axis: row i holds the weights output i reads. */
function weightMatrix(method: string, inSize: number, outSize: number): Float32Array {
  const { lower, upper, lerp } = tapsOf(method, inSize, outSize);
  const m = new Float32Array(outSize * inSize);
  for (let i = 0; i < outSize; i++) {
    m[i * inSize + lower[i]] += 1 - lerp[i];
    m[i * inSize + upper[i]] += lerp[i];
  }
  return m;
}

/**
 * Bilinear resizing runs on tfjs' resizeBilinear with half-pixel centers. Nearest resizing gathers
 * rows and columns picked with TF's float32 rule (tfjs computes the source index in doubles,
 * which can round the other way at a boundary).
 */
const resize: Kernel = (node, [x], ctx) => {
  const [, H, W] = x.shape;
  const [, h, w] = node.shape;
  const method = node.attrs.method as string;
  if (method === 'bilinear') return ([t]) => tf.image.resizeBilinear(t as tf.Tensor4D, [h, w], false, true);
  const rows = ctx.keep(tf.tensor1d(tapsOf('nearest', H, h).lower, 'int32'));
  const cols = ctx.keep(tf.tensor1d(tapsOf('nearest', W, w).lower, 'int32'));
  return ([t]) => tf.gather(tf.gather(t, rows, 1), cols, 2);
};

/**
 * The adjoint of resize: dx = Ryᵀ · dy · Rx over the spatial axes, with the interpolation
 * matrices of each axis built at compile time (tfjs' resize gradient kernels ignore half-pixel
 * centers on some backends and are missing on others).
 */
const resizeGrad: Kernel = (node, [dy], ctx) => {
  const [N, H, W, C] = node.shape;
  const [, h, w] = dy.shape;
  const method = node.attrs.method as string;
  const ry = ctx.keep(tf.tensor2d(weightMatrix(method, H, h), [h, H]));
  const rx = ctx.keep(tf.tensor2d(weightMatrix(method, W, w), [w, W]));
  return ([g]) => {
    // [N, h, w, C] -> [N, w, C, h] · Ry -> [N, w, C, H]
    const a = tf.matMul(tf.reshape(tf.transpose(g, [0, 2, 3, 1]), [N * w * C, h]), ry);
    // -> [N, H, C, w] · Rx -> [N, H, C, W] -> [N, H, W, C]
    const b = tf.transpose(tf.reshape(a, [N, w, C, H]), [0, 3, 2, 1]);
    const c = tf.matMul(tf.reshape(b, [N * H * C, w]), rx);
    return tf.transpose(tf.reshape(c, [N, H, C, W]), [0, 1, 3, 2]);
  };
};

/** Half-pixel nearest and bilinear resizing of NHWC images (tf.image.resize) and its adjoint. */
export const resizeKernels: KernelTable = {
  resize,
  resize_grad: resizeGrad,
};
