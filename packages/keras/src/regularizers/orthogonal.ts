import { fmtShape, ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass } from '../serialization/registry.js';
import { parseArgs } from '../engine/layer.js';
import { l2Normalize } from '../losses/regression.js';
import { Regularizer, refuseNonFinite, refuseUnknown, zPenalty } from './regularizer.js';
import { KerasShapeError } from '../errors.js';

/** The arguments of {@link OrthogonalRegularizer}. */
export interface OrthogonalRegularizerArgs {
  /** The penalty factor (default 0.01). */
  factor?: number;
  /** 'rows' (default): penalize non-orthogonal rows; 'columns': non-orthogonal columns. */
  mode?: 'rows' | 'columns';
}

/**
 * Encourages the rows (or columns) of a 2D weight to be orthogonal: `factor` times the mean
 * absolute cosine similarity between distinct pairs of (L2-normalized) rows.
 * @example new Dense({ units: 8, kernelRegularizer: new OrthogonalRegularizer({ factor: 0.01, mode: 'columns' }) })
 */
export class OrthogonalRegularizer extends Regularizer {
  static override readonly className = 'OrthogonalRegularizer';
  readonly factor: number;
  readonly mode: 'rows' | 'columns';
  constructor(args: OrthogonalRegularizerArgs = {}) {
    super();
    refuseUnknown('OrthogonalRegularizer', args, ['factor', 'mode']);
    refuseNonFinite('OrthogonalRegularizer', args, ['factor']);
    const a = parseArgs(z.object({ factor: zPenalty(0.01), mode: z.enum(['rows', 'columns']).default('rows') }), args, 'OrthogonalRegularizer');
    this.factor = Math.fround(a.factor);
    this.mode = a.mode;
  }
  penalty(w: Sym): Sym {
    if (w.rank !== 2) throw new KerasShapeError(`OrthogonalRegularizer: the weight must have rank 2, got shape ${fmtShape(w.shape)}`);
    const rows = this.mode === 'rows';
    const x = l2Normalize(w, rows ? 1 : 0);
    const product = rows ? ops.matmul(x, ops.transpose(x)) : ops.matmul(ops.transpose(x), x);
    const size = w.shape[rows ? 0 : 1];
    const offDiagonal = new Float32Array(size * size).fill(1);
    for (let i = 0; i < size; i++) offDiagonal[i * size + i] = 0;
    const masked = ops.mul(product, ops.constant(w.graph, offDiagonal, [size, size]));
    const pairs = (size * (size - 1)) / 2;
    return ops.div(ops.mul(ops.sum(ops.abs(masked)), Math.fround(this.factor * 0.5)), pairs);
  }
  override getConfig(): Record<string, unknown> {
    return { factor: this.factor, mode: this.mode };
  }
}

registerClass('regularizer', OrthogonalRegularizer, 'orthogonal_regularizer');
