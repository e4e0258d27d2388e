import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { parseArgs, type InputShape } from '../../engine/layer.js';
import type { Variable } from '../../engine/variable.js';
import { GlorotUniform } from '../../initializers/variance-scaling.js';
import { BaseDenseAttention, showShape, type BaseDenseAttentionArgs } from './base-dense-attention.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasShapeError } from '../../errors.js';

const AdditiveAttentionArgs = z.looseObject({
  /** Whether to learn a per-feature `scale` vector for the scores (glorot_uniform; default true). */
  useScale: z.boolean().default(true),
});

/** The arguments of `AdditiveAttention` (each is documented on its schema, `AdditiveAttentionArgs`). */
export interface AdditiveAttentionArgs extends BaseDenseAttentionArgs, z.input<typeof AdditiveAttentionArgs> {}

/**
 * Additive (Bahdanau-style) attention. Called on `[query, value]` or `[query, value, key]` of
 * shapes `[B, Tq, dim]`, `[B, Tv, dim]`, `[B, Tv, dim]`; returns `[B, Tq, dim]`:
 * `softmax(scores) @ value` with `scores = sum(scale * tanh(query + key), -1)` (query and key
 * broadcast against each other as `[B, Tq, 1, dim]` and `[B, 1, Tv, dim]`).
 *
 * @example
 * const q = Input({ shape: [3, 4] });
 * const v = Input({ shape: [5, 4] });
 * const y = new AdditiveAttention().apply([q, v]); // KerasTensor [null, 3, 4]
 */
export class AdditiveAttention extends BaseDenseAttention {
  static override readonly className = 'AdditiveAttention';
  static override readonly argsSchema: ArgsDeclaration = AdditiveAttentionArgs;
  readonly useScale: boolean;
  scale: Variable | null = null;

  constructor(args: AdditiveAttentionArgs = {}) {
    super(args);
    const a = parseArgs(AdditiveAttentionArgs, args, `AdditiveAttention '${this.name}'`);
    this.useScale = a.useScale;
  }

  override build(inputShape: InputShape): void {
    const shapes = this.checkShapes(inputShape);
    const dim = shapes[1][shapes[1].length - 1];
    if (typeof dim !== 'number') throw new KerasShapeError(`${this.label}: the last axis of the value must be known, got shape ${showShape(shapes[1])}`);
    if (this.useScale) this.scale = this.addWeight({ name: 'scale', shape: [dim], initializer: new GlorotUniform() });
  }

  protected calculateScores(query: Sym, key: Sym): Sym {
    const t = ops.tanh(ops.add(ops.expandDims(query, -2), ops.expandDims(key, -3)));
    return ops.sum(this.scale ? ops.mul(t, this.scale.read()) : t, -1);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), use_scale: this.useScale };
  }
}
