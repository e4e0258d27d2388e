import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { Layer, parseArgs, type CallContext, type InputShape, type LayerArgs, type Mask, type ScoresOnRequest } from '../../engine/layer.js';
import type { SymbolicShape } from '../../engine/keras-tensor.js';
import { requireScope } from '../../engine/scope.js';
import { maskList, showShape } from '../merge/base-merge.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasShapeError, KerasValueError } from '../../errors.js';

export { maskList, showShape };

const BaseDenseAttentionArgs = z.looseObject({
  /** Fraction of the attention weights to drop in training (default 0). */
  dropout: z.number().min(0).max(1).default(0),
  /** Keras 2's deprecated constructor form of `use_causal_mask`. */
  causal: z.boolean().default(false),
  /** Keras 3: a seed for the dropout. */
  seed: z.number().int().nullable().optional(),
});

/** The arguments of `BaseDenseAttention` (each is documented on its schema, `BaseDenseAttentionArgs`). */
export interface BaseDenseAttentionArgs extends LayerArgs, z.input<typeof BaseDenseAttentionArgs> {}

/** A boolean lower-triangular mask `[1, ..., 1, rows, cols]` (row i may see columns j <= i). */
export function causalMask(like: Sym, rank: number, rows: number, cols: number): Sym {
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < rows; i++) for (let j = 0; j <= Math.min(i, cols - 1); j++) data[i * cols + j] = 1;
  const shape = [...new Array<number>(Math.max(rank - 2, 0)).fill(1), rows, cols];
  return ops.cast(ops.constant(like.graph, data, shape, 'float32'), 'bool');
}

/** Inverted dropout of `x` at `rate`, seeded from the trace's per-run seed (plus `seed`). */
export function dropoutOf(label: string, x: Sym, rate: number, seed: number | null): Sym {
  const s = requireScope(`${label}'s dropout`).nextSeed();
  const u = ops.randomUniform(x.graph, [...x.shape], seed === null || seed === undefined ? s : ops.add(s, seed | 0));
  return ops.mul(x, ops.mul(ops.cast(ops.greaterEqual(u, rate), 'float32'), 1 / (1 - rate)));
}

/**
 * The base of the dense attention layers (Keras 2's `BaseDenseAttention`): called on
 * `[query, value]` or `[query, value, key]` (key defaults to value), of shapes `[B, Tq, dim]`,
 * `[B, Tv, dim]`, `[B, Tv, dim]`. Subclasses give the scores `[B, Tq, Tv]`; this applies the value
 * mask and the causal mask (masked scores get -1e9), a softmax over Tv, dropout in training, and
 * returns `softmax(scores) @ value`, zeroed where the query mask is false.
 *
 * Call arguments (`apply(inputs, { ... })`): `return_attention_scores` (also return the weights),
 * `use_causal_mask` (position i cannot attend to positions j > i), `training`, and the masks
 * `[query_mask, value_mask]`.
 */
export abstract class BaseDenseAttention extends Layer implements ScoresOnRequest {
  /** `apply(inputs, { return_attention_scores: true })` returns `[output, scores]` (typed so). */
  readonly returnsScoresOnRequest = true as const;
  static override readonly className: string = 'BaseDenseAttention';
  static override readonly argsSchema: ArgsDeclaration = BaseDenseAttentionArgs;
  readonly dropout: number;
  readonly causal: boolean;
  readonly seed: number | null;

  constructor(args: BaseDenseAttentionArgs = {}) {
    super(args);
    const a = parseArgs(BaseDenseAttentionArgs, args, `${new.target.className} '${this.name}'`);
    this.dropout = a.dropout;
    this.causal = a.causal;
    this.seed = a.seed ?? null;
    this.supportsMasking = true;
  }

  /** The attention scores `[B, Tq, Tv]` of a query and a key. */
  protected abstract calculateScores(query: Sym, key: Sym): Sym;

  /** Checks the shapes of a call on `[query, value]` or `[query, value, key]`. */
  protected checkShapes(shape: InputShape): readonly SymbolicShape[] {
    const list = shape.length > 0 && shape.every((s) => Array.isArray(s)) ? (shape as readonly SymbolicShape[]) : null;
    if (!list) throw new KerasValueError(`${this.label} must be called on a list of inputs, namely [query, value] or [query, value, key]; got a single input of shape ${showShape(shape as SymbolicShape)}`);
    if (list.length < 2 || list.length > 3) {
      throw new KerasValueError(`${this.label} accepts a list of 2 or 3 inputs, namely [query, value] or [query, value, key]; got ${list.length}: ${list.map(showShape).join(', ')}`);
    }
    return list;
  }

  override call(inputs: Sym | Sym[], ctx: CallContext): Sym | Sym[] {
    const xs = this.checkShapes(Array.isArray(inputs) ? inputs.map((x) => x.shape) : inputs.shape);
    const [q, v] = inputs as Sym[];
    const k = (inputs as Sym[])[2] ?? v;
    if (xs.length === 3 && (k.shape[k.rank - 2] !== v.shape[v.rank - 2] || k.shape[0] !== v.shape[0])) {
      throw new KerasShapeError(`${this.label}: the key and the value must have the same batch and length, got value ${showShape(v.shape)} and key ${showShape(k.shape)}`);
    }
    const masks = maskList(ctx.mask, xs.length);
    const qMask = masks?.[0] ?? null;
    const vMask = masks?.[1] ?? null;
    let scores = this.calculateScores(q, k);
    let scoresMask: Sym | null = vMask ? ops.expandDims(vMask, -2) : null;
    if (this.causal || ctx.kwargs.use_causal_mask === true) {
      const c = causalMask(scores, scores.rank, scores.shape[scores.rank - 2], scores.shape[scores.rank - 1]);
      scoresMask = scoresMask ? ops.logicalAnd(scoresMask, c) : c;
    }
    if (scoresMask) scores = ops.sub(scores, ops.mul(ops.cast(ops.logicalNot(scoresMask), 'float32'), 1e9));
    let weights = ops.softmax(scores, -1);
    if (ctx.training && this.dropout > 0) weights = dropoutOf(this.label, weights, this.dropout, this.seed);
    let result = ops.matmul(weights, v);
    if (qMask) result = ops.mul(result, ops.cast(ops.expandDims(qMask, -1), 'float32'));
    return ctx.kwargs.return_attention_scores === true ? [result, weights] : result;
  }

  /** The output mask is the query's mask. */
  override computeMask(inputs: Sym | Sym[], mask: Mask): Mask {
    const masks = maskList(mask, Array.isArray(inputs) ? inputs.length : 1);
    return masks?.[0] ?? null;
  }

  override computeOutputShape(inputShape: InputShape): SymbolicShape {
    const shapes = this.checkShapes(inputShape);
    return [...shapes[0].slice(0, -1), shapes[1][shapes[1].length - 1]];
  }

  override getConfig(): Record<string, unknown> {
    // Keras 2 no longer writes the deprecated `causal`; it is kept when set so that a reload keeps it.
    return { ...super.getConfig(), dropout: this.dropout, ...(this.causal ? { causal: true } : {}) };
  }
}
