import * as tf from '@tensorflow/tfjs';
import { ops } from '@keras-ts/spec';
import { typedKernels, type Kernel } from '../kernel.js';

/**
 * Bilinear resizing runs on tfjs' resizeBilinear with half-pixel centers. Nearest resizing gathers
 * rows and columns picked with TF's float32 rule (tfjs computes the source index in doubles,
 * which can round the other way at a boundary).
 */
const resize: Kernel<'resize'> = (node, [x], ctx) => {
  const [, H, W] = x.shape;
  const [, h, w] = node.shape;
  const method = node.attrs.method;
  if (method === 'bilinear') return ([t]) => tf.image.resizeBilinear(t as tf.Tensor4D, [h, w], false, true);
  const rows = ctx.keep(tf.tensor1d(ops.resizeTaps('nearest', H, h).lower, 'int32'));
  const cols = ctx.keep(tf.tensor1d(ops.resizeTaps('nearest', W, w).lower, 'int32'));
  return ([t]) => tf.gather(tf.gather(t, rows, 1), cols, 2);
};

/**
 * The adjoint of resize: dx = Ryᵀ · dy · Rx over the spatial axes, with the interpolation
 * matrices of each axis built at compile time (tfjs' resize gradient kernels ignore half-pixel
 * centers on some backends and are missing on others).
 */
const resizeGrad: Kernel<'resize_grad'> = (node, [dy], ctx) => {
  const [N, H, W, C] = node.shape;
  const [, h, w] = dy.shape;
  const method = node.attrs.method;
  const ry = ctx.keep(tf.tensor2d(ops.resizeWeights(method, H, h), [h, H]));
  const rx = ctx.keep(tf.tensor2d(ops.resizeWeights(method, W, w), [w, W]));
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
export const resizeKernels = typedKernels({
  resize,
  resize_grad: resizeGrad,
});
