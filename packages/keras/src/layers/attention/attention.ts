import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { parseArgs, type InputShape } from '../../engine/layer.js';
import type { Variable } from '../../engine/variable.js';
import { Ones } from '../../initializers/constant.js';
import { BaseDenseAttention, type BaseDenseAttentionArgs } from './base-dense-attention.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';

const AttentionArgs = z.looseObject({
  /** Whether to learn a scalar `scale` for the scores (initialized to 1). */
  useScale: z.boolean().default(false),
  /** `'dot'`: scores are `query @ key^T`; `'concat'`: `sum(tanh(query + key))` over the features. */
  scoreMode: z.enum(['dot', 'concat']).default('dot'),
});

/** The arguments of `Attention` (each is documented on its schema, `AttentionArgs`). */
export interface AttentionArgs extends BaseDenseAttentionArgs, z.input<typeof AttentionArgs> {}

/**
 * Dot-product (Luong-style) attention. Called on `[query, value]` or `[query, value, key]` of
 * shapes `[B, Tq, dim]`, `[B, Tv, dim]`, `[B, Tv, dim]`; returns `[B, Tq, dim]`:
 * `softmax(scores) @ value` with `scores = scale * (query @ key^T)` (`score_mode: 'dot'`) or
 * `scores = concat_score_weight * sum(tanh(scale * (query + key)), -1)` (`'concat'`).
 *
 * @example
 * const q = Input({ shape: [3, 4] });
 * const v = Input({ shape: [5, 4] });
 * const y = new Attention({ useScale: true }).apply([q, v]); // KerasTensor [null, 3, 4]
 */
export class Attention extends BaseDenseAttention {
  static override readonly className = 'Attention';
  static override readonly argsSchema: ArgsDeclaration = AttentionArgs;
  readonly useScale: boolean;
  readonly scoreMode: 'dot' | 'concat';
  scale: Variable | null = null;
  concatScoreWeight: Variable | null = null;

  constructor(args: AttentionArgs = {}) {
    super(args);
    const a = parseArgs(AttentionArgs, args, `Attention '${this.name}'`);
    this.useScale = a.useScale;
    this.scoreMode = a.scoreMode;
  }

  override build(inputShape: InputShape): void {
    this.checkShapes(inputShape);
    if (this.useScale) this.scale = this.addWeight({ name: 'scale', shape: [], initializer: new Ones() });
    if (this.scoreMode === 'concat') this.concatScoreWeight = this.addWeight({ name: 'concat_score_weight', shape: [], initializer: new Ones() });
  }

  protected calculateScores(query: Sym, key: Sym): Sym {
    if (this.scoreMode === 'dot') {
      const scores = ops.matmul(query, key, false, true);
      return this.scale ? ops.mul(scores, this.scale.read()) : scores;
    }
    // [B, Tq, 1, dim] + [B, 1, Tv, dim] -> sum over dim -> [B, Tq, Tv].
    let sum = ops.add(ops.expandDims(query, -2), ops.expandDims(key, -3));
    if (this.scale) sum = ops.mul(sum, this.scale.read());
    return ops.mul(ops.sum(ops.tanh(sum), -1), this.concatScoreWeight!.read());
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), use_scale: this.useScale, score_mode: this.scoreMode };
  }
}
