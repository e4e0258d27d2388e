import * as tf from '@tensorflow/tfjs';
import { broadcastShapes, sizeOf, type Shape } from '@keras-ts/spec';
import { typedKernels, type Kernel } from '../kernel.js';

/** Whether tfjs' batchMatMul handles these batch shapes itself (equal, or one is a single matrix). */
function directBatch(a: Shape, b: Shape): boolean {
  const n = Math.max(a.length, b.length);
  const pa = [...new Array<number>(n - a.length).fill(1), ...a];
  const pb = [...new Array<number>(n - b.length).fill(1), ...b];
  return sizeOf(a) === 1 || sizeOf(b) === 1 || pa.every((d, i) => d === pb[i]);
}

/**
 * Batched matrix product. tfjs indexes the batch of each operand modulo its size, which is only
 * numpy broadcasting when the batch shapes are equal or one operand is a single matrix; other
 * batch shapes are broadcast explicitly first.
 */
const matmul: Kernel<'matmul'> = (node, [a, b]) => {
  const tA = node.attrs.transposeA;
  const tB = node.attrs.transposeB;
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const outShape = [...node.shape];
  const inner = tA ? a.shape[a.shape.length - 2] : a.shape[a.shape.length - 1];
  if (inner === 0) return () => tf.zeros(outShape); // tfjs' wasm kernel leaves the output unwritten
  if (directBatch(aBatch, bBatch)) {
    const needReshape = a.shape.length !== outShape.length || b.shape.length !== outShape.length;
    return ([x, y]) => {
      const r = tf.matMul(x, y, tA, tB);
      return needReshape ? tf.reshape(r, outShape) : r;
    };
  }
  const batch = broadcastShapes(aBatch, bBatch)!;
  const aFull = [...batch, ...a.shape.slice(-2)];
  const bFull = [...batch, ...b.shape.slice(-2)];
  return ([x, y]) => tf.matMul(tf.broadcastTo(x, aFull), tf.broadcastTo(y, bFull), tA, tB);
};

export const matmulKernels = typedKernels({ matmul });
