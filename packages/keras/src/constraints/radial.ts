import { fmtShape, ops, type Sym } from '@keras-ts/spec';
import { registerClass } from '../serialization/registry.js';
import { refuseUnknown } from '../regularizers/regularizer.js';
import { Constraint } from './constraint.js';
import { KerasShapeError } from '../errors.js';

/**
 * For each position of an n x n kernel, the diagonal position whose value Keras 2's
 * RadialConstraint copies there. Keras builds the kernel from its center outward: a core (1 x 1
 * for odd n, 2 x 2 for even n) holding `k[s-1, s-1]` (s = floor(n / 2)), then rings padded around
 * it, ring r holding `k[s+r-1, s+r-1]` (odd n) or `k[s+r, s+r]` (even n).
 */
export function radialSourceIndex(n: number): Int32Array {
  const s = Math.floor(n / 2);
  const odd = n % 2 === 1;
  const ring = (i: number) => (odd ? Math.abs(i - s) : i < s ? s - 1 - i : i - s);
  const out = new Int32Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const r = Math.max(ring(i), ring(j));
      const m = r === 0 ? s - 1 : odd ? s + r - 1 : s + r;
      out[i * n + j] = m * n + m;
    }
  }
  return out;
}

/**
 * Makes each 2D kernel of a Conv2D weight `[rows, cols, in, out]` radially symmetric: every
 * ring around the center takes one value, read from the kernel's diagonal, as Keras 2's
 * RadialConstraint computes it (which differs from the example in Keras' own docstring).
 * @example new Conv2D({ filters: 8, kernelSize: 5, kernelConstraint: new RadialConstraint() })
 */
export class RadialConstraint extends Constraint {
  static override readonly className = 'RadialConstraint';
  constructor(args: Record<string, never> = {}) {
    super();
    refuseUnknown('RadialConstraint', args, []);
  }
  override apply(w: Sym): Sym {
    if (w.rank !== 4) throw new KerasShapeError(`RadialConstraint: the weight must have rank 4 [rows, cols, in, out], got shape ${fmtShape(w.shape)}`);
    const [h, wd, c, k] = w.shape;
    if (h !== wd) throw new KerasShapeError(`RadialConstraint: kernels must be square, got shape ${fmtShape(w.shape)}`);
    if (h < 2) throw new KerasShapeError(`RadialConstraint: kernels must be at least 2 x 2, got shape ${fmtShape(w.shape)}`);
    const flat = ops.reshape(w, [h * wd, c * k]);
    const idx = ops.constant(w.graph, radialSourceIndex(h), [h * wd], 'int32');
    return ops.reshape(ops.gather(flat, idx, 0), [h, wd, c, k]);
  }
}

registerClass('constraint', RadialConstraint, 'radial_constraint');
