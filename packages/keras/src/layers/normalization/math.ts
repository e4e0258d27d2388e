import { ops, type Sym } from '@keras-ts/spec';

/**
 * `tf.nn.batch_normalization`: `x * inv + (offset - mean * inv)` with
 * `inv = rsqrt(variance + epsilon) * scale`; `mean`, `variance`, `offset` and `scale` broadcast
 * against `x`, and `offset` / `scale` may be absent.
 */
export function batchNormalize(x: Sym, mean: Sym, variance: Sym, offset: Sym | null, scale: Sym | null, epsilon: number): Sym {
  let inv = ops.rsqrt(ops.add(variance, epsilon));
  if (scale) inv = ops.mul(inv, scale);
  const shift = offset ? ops.sub(offset, ops.mul(mean, inv)) : ops.neg(ops.mul(mean, inv));
  return ops.add(ops.mul(x, inv), shift);
}
