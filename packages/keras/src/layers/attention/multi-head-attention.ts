import { ops, Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { serializeOptional, toConstraint, toInitializer, toRegularizer, zOptionalIdentifier } from '../../arguments/layer-arguments.js';
import { serialize, type Serializable } from '../../serialization/registry.js';
import { Layer, parseArgs, type CallContext, type InputShape, type LayerArgs, type Mask, type ScoresOnRequest } from '../../engine/layer.js';
import type { SymbolicShape } from '../../engine/keras-tensor.js';
import type { VariableRegularizer } from '../../engine/variable.js';
import { Tensor } from '../../tensor.js';
import { causalMask, dropoutOf, maskList, showShape } from './base-dense-attention.js';
import { EinsumProjection } from './einsum-projection.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasShapeError, KerasTypeError, KerasValueError } from '../../errors.js';

const zShapeArg = z.array(z.number().int().nonnegative().nullable());

const MultiHeadAttentionArgs = z.looseObject({
  /** Number of attention heads. */
  numHeads: z.number().int().positive(),
  /** Size of each head for query and key. */
  keyDim: z.number().int().positive(),
  /** Size of each head for value (default: keyDim). */
  valueDim: z.number().int().nonnegative().nullable().optional(),
  /** Dropout on the attention probabilities in training (default 0). */
  dropout: z.number().min(0).max(1).default(0),
  useBias: z.boolean().default(true),
  /** Trailing shape of the output (default: the query's last dimension). */
  outputShape: z.union([z.number().int().positive(), z.array(z.number().int().positive()).min(1)]).nullable().optional(),
  /** Axes attention runs over (default: every axis but the batch, the heads and the features). */
  attentionAxes: z.union([z.number().int(), z.array(z.number().int()).min(1)]).nullable().optional(),
  kernelInitializer: zOptionalIdentifier,
  biasInitializer: zOptionalIdentifier,
  kernelRegularizer: zOptionalIdentifier,
  biasRegularizer: zOptionalIdentifier,
  /** Given to each of the four projections (as Keras). */
  activityRegularizer: zOptionalIdentifier,
  kernelConstraint: zOptionalIdentifier,
  biasConstraint: zOptionalIdentifier,
  // Keras 2 config: the shapes the layer was built for (it is rebuilt from them).
  /** Keras 2 configs: the shapes to build for at construction. */
  queryShape: zShapeArg.nullable().optional(),
  keyShape: zShapeArg.nullable().optional(),
  valueShape: zShapeArg.nullable().optional(),
  // tf-keras and Keras 3 arguments, read at their neutral values.
  softmaxRobustMasking: z.literal(false, { error: 'softmax_robust_masking is not supported; expected false' }).optional(),
  useGate: z.literal(false, { error: 'use_gate (Keras 3) is not supported; expected false' }).optional(),
  slidingWindow: z.null({ error: 'sliding_window (Keras 3) is not supported; expected null' }).optional(),
  flashAttention: z.union([z.null(), z.literal(false)], { error: 'flash_attention (Keras 3) is not supported; expected null or false' }).optional(),
  /** Seed added to the dropout's per-run seed (Keras 3 argument). */
  seed: z.number().int().nullable().optional(),
});

/** The arguments of `MultiHeadAttention` (each is documented on its schema, `MultiHeadAttentionArgs`). */
export interface MultiHeadAttentionArgs extends LayerArgs, z.input<typeof MultiHeadAttentionArgs> {}

const range = (a: number, b: number) => Array.from({ length: Math.max(b - a, 0) }, (_, i) => a + i);
const prod = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

/**
 * Multi-head attention (Vaswani et al., 2017). Called on `[query, value]` or
 * `[query, value, key]` (key defaults to value) of shapes `[B, T, dim]`, `[B, S, dim_v]`,
 * `[B, S, dim_k]` (or with more axes, see `attentionAxes`). Query, key and value are projected to
 * `heads` heads (`query/kernel` `[dim, heads, key_dim]`, ...), the scaled dot products
 * `softmax(q k^T / sqrt(key_dim))` weight the values, and the heads are projected back
 * (`attention_output/kernel` `[heads, value_dim, out]`) to `[B, T, out]`.
 *
 * Call arguments (`apply(inputs, { ... })`): `attention_mask` (boolean `[B, T, S]`, true where
 * attention is allowed; a symbolic or concrete tensor), `use_causal_mask`,
 * `return_attention_scores` (also return the `[B, heads, T, S]` probabilities), `training`. The
 * Keras masks of query, value and key are combined into the attention mask, as Keras does.
 *
 * @example
 * const q = Input({ shape: [8, 16] });
 * const v = Input({ shape: [4, 16] });
 * const y = new MultiHeadAttention({ numHeads: 2, keyDim: 2 }).apply([q, v]); // [null, 8, 16]
 */
export class MultiHeadAttention extends Layer implements ScoresOnRequest {
  /** `apply(inputs, { return_attention_scores: true })` returns `[output, scores]` (typed so). */
  readonly returnsScoresOnRequest = true as const;
  static override readonly className = 'MultiHeadAttention';
  /** Keras' call arguments, in order: a model config names the second and third tensors by them. */
  static readonly callArgNames = ['query', 'value', 'key'] as const;
  static override readonly argsSchema: ArgsDeclaration = MultiHeadAttentionArgs;
  readonly numHeads: number;
  readonly keyDim: number;
  readonly valueDim: number;
  readonly dropout: number;
  readonly useBias: boolean;
  readonly outputShape: number | number[] | null;
  /** As given; after building, the axes used (Keras 2 writes these). */
  attentionAxes: number[] | null;
  readonly kernelInitializer;
  readonly biasInitializer;
  readonly kernelRegularizer;
  readonly biasRegularizer;
  /** The projections' activity regularizer (the layer's own output is not regularized, as Keras). */
  readonly projectionActivityRegularizer: (VariableRegularizer & Serializable) | null;
  readonly kernelConstraint;
  readonly biasConstraint;
  readonly seed: number | null;
  // Declared in Keras' weight order: query, key, value, attention_output.
  queryDense: EinsumProjection | null = null;
  keyDense: EinsumProjection | null = null;
  valueDense: EinsumProjection | null = null;
  outputDense: EinsumProjection | null = null;
  queryShape: SymbolicShape | null = null;
  keyShape: SymbolicShape | null = null;
  valueShape: SymbolicShape | null = null;
  private builtFromSignature = false;

  constructor(args: MultiHeadAttentionArgs) {
    super(args);
    const a = parseArgs(MultiHeadAttentionArgs, args, `MultiHeadAttention '${this.name}'`);
    this.numHeads = a.numHeads;
    this.keyDim = a.keyDim;
    this.valueDim = a.valueDim ? a.valueDim : a.keyDim;
    this.dropout = a.dropout;
    this.useBias = a.useBias;
    this.outputShape = a.outputShape === undefined || a.outputShape === null ? null : typeof a.outputShape === 'number' ? a.outputShape : [...a.outputShape];
    this.attentionAxes = a.attentionAxes === undefined || a.attentionAxes === null ? null : typeof a.attentionAxes === 'number' ? [a.attentionAxes] : [...a.attentionAxes];
    this.kernelInitializer = toInitializer(a.kernelInitializer, 'glorot_uniform');
    this.biasInitializer = toInitializer(a.biasInitializer, 'zeros');
    this.kernelRegularizer = toRegularizer(a.kernelRegularizer);
    this.biasRegularizer = toRegularizer(a.biasRegularizer);
    this.projectionActivityRegularizer = toRegularizer(a.activityRegularizer);
    this.kernelConstraint = toConstraint(a.kernelConstraint);
    this.biasConstraint = toConstraint(a.biasConstraint);
    this.seed = a.seed ?? null;
    this.supportsMasking = true;
    if (a.queryShape && a.valueShape && a.keyShape) this.maybeBuild([a.queryShape, a.valueShape, a.keyShape]);
  }

  /** Builds from `[query, value]` or `[query, value, key]` shapes. A single shape defers building to the first call. */
  override build(inputShape: InputShape): void {
    const list = inputShape.length > 0 && inputShape.every((s) => Array.isArray(s)) ? (inputShape as readonly SymbolicShape[]) : null;
    if (!list) return;
    if (list.length < 2 || list.length > 3) {
      throw new KerasValueError(`${this.label} must be called on [query, value] or [query, value, key]; got ${list.length} input(s): ${list.map(showShape).join(', ')}`);
    }
    this.buildFromSignature(list[0], list[1], list[2] ?? null);
  }

  private buildFromSignature(query: SymbolicShape, value: SymbolicShape, key: SymbolicShape | null): void {
    const k = key ?? value;
    const shapes = `query ${showShape(query)}, value ${showShape(value)}${key ? `, key ${showShape(key)}` : ''}`;
    if (query.length < 2) throw new KerasShapeError(`${this.label}: the query must have rank 2 or more; got ${shapes}`);
    if (value.length !== query.length || k.length !== query.length) throw new KerasShapeError(`${this.label}: query, value and key must have the same rank; got ${shapes}`);
    this.queryShape = [...query];
    this.valueShape = [...value];
    this.keyShape = [...k];
    const rank = query.length + 1; // of the projected tensors [..., heads, dim]
    const axes = (this.attentionAxes ?? range(1, rank - 2)).map((a) => (a < 0 ? a + query.length : a));
    if (axes.some((a) => a < 0 || a > rank - 3) || new Set(axes).size !== axes.length) {
      throw new KerasValueError(`${this.label}: attention_axes ${JSON.stringify(this.attentionAxes)} must name distinct axes of the query other than its last (0 to ${rank - 3}); got ${shapes}`);
    }
    this.attentionAxes = axes;
    const common = {
      useBias: this.useBias,
      kernelInitializer: this.kernelInitializer,
      biasInitializer: this.biasInitializer,
      kernelRegularizer: this.kernelRegularizer,
      biasRegularizer: this.biasRegularizer,
      activityRegularizer: this.projectionActivityRegularizer,
      kernelConstraint: this.kernelConstraint,
      biasConstraint: this.biasConstraint,
    };
    const out = this.outputShape === null ? [query[query.length - 1]] : typeof this.outputShape === 'number' ? [this.outputShape] : this.outputShape;
    if (out.some((d) => typeof d !== 'number')) throw new KerasShapeError(`${this.label}: the last axis of the query must be known when output_shape is not given; got ${shapes}`);
    this.queryDense = new EinsumProjection({ ...common, name: 'query', contractedAxes: 1, outputDims: [this.numHeads, this.keyDim] });
    this.keyDense = new EinsumProjection({ ...common, name: 'key', contractedAxes: 1, outputDims: [this.numHeads, this.keyDim] });
    this.valueDense = new EinsumProjection({ ...common, name: 'value', contractedAxes: 1, outputDims: [this.numHeads, this.valueDim] });
    this.outputDense = new EinsumProjection({ ...common, name: 'attention_output', contractedAxes: 2, outputDims: out as number[] });
    this.queryDense.maybeBuild(query);
    this.keyDense.maybeBuild(k);
    this.valueDense.maybeBuild(value);
    this.outputDense.maybeBuild([...query.slice(0, -1), this.numHeads, this.valueDim]);
    // Keras' variable paths: multi_head_attention/query/kernel, ...
    for (const l of [this.queryDense, this.keyDense, this.valueDense, this.outputDense]) for (const w of l.weights) w.path = `${this.name}/${w.path}`;
    this.builtFromSignature = true;
  }

  override call(inputs: Sym | Sym[], ctx: CallContext): Sym | Sym[] {
    let query: Sym;
    let value: Sym;
    let key: Sym | null;
    let masks: (Sym | null)[];
    if (Array.isArray(inputs)) {
      if (inputs.length < 2 || inputs.length > 3) {
        throw new KerasValueError(`${this.label} must be called on [query, value] or [query, value, key]; got ${inputs.length} input(s): ${inputs.map((x) => showShape(x.shape)).join(', ')}`);
      }
      [query, value] = inputs;
      key = inputs[2] ?? null;
      masks = maskList(ctx.mask, inputs.length) ?? [null, null, null];
    } else {
      // Keras 2 functional configs pass the value (and key) as call keyword arguments.
      query = inputs;
      const v = ctx.kwargs.value;
      if (!(v instanceof Sym)) throw new KerasValueError(`${this.label} must be called on [query, value] or [query, value, key]; got a single input of shape ${showShape(inputs.shape)}`);
      value = v;
      key = ctx.kwargs.key instanceof Sym ? ctx.kwargs.key : null;
      masks = [Array.isArray(ctx.mask) ? ((ctx.mask as (Sym | null)[])[0] ?? null) : ((ctx.mask as Sym | null) ?? null), null, null];
    }
    if (!this.builtFromSignature) {
      const batchless = (s: Sym) => [null, ...s.shape.slice(1)];
      this.buildFromSignature(batchless(query), batchless(value), key ? batchless(key) : null);
    }
    const k = key ?? value;
    const attentionMask = this.attentionMask(query, value, masks, ctx);

    const q = this.queryDense!.apply(query); // [B, T, N, key_dim]
    const kp = this.keyDense!.apply(k); // [B, S, N, key_dim]
    const vp = this.valueDense!.apply(value); // [B, S, N, value_dim]
    const [context, scores] = this.computeAttention(q, kp, vp, attentionMask, ctx.training);
    const output = this.outputDense!.apply(context);
    return ctx.kwargs.return_attention_scores === true ? [output, scores] : output;
  }

  /** The boolean attention mask: the given one ANDed with the query/value/key masks and the causal mask. */
  private attentionMask(query: Sym, value: Sym, masks: (Sym | null)[], ctx: CallContext): Sym | null {
    let given: Sym | null = null;
    const am = ctx.kwargs.attention_mask;
    if (am instanceof Sym) given = am;
    else if (am instanceof Tensor) given = ops.constant(query.graph, am.data, am.shape, am.dtype);
    else if (am !== undefined && am !== null) throw new KerasTypeError(`${this.label}: attention_mask must be a tensor, got ${typeof am}`);
    if (given && given.dtype !== 'bool') given = ops.cast(given, 'bool');
    const [qm, vm, km] = masks;
    let auto: Sym | null = null;
    const and = (m: Sym) => (auto = auto ? ops.logicalAnd(auto, m) : m);
    if (qm) and(ops.expandDims(qm, -1)); // [B, T, 1]
    if (vm) and(ops.expandDims(vm, 1)); // [B, 1, S]
    if (km) and(ops.expandDims(km, 1));
    if (ctx.kwargs.use_causal_mask === true) and(causalMask(query, 3, query.shape[1], value.shape[1])); // [1, T, S]
    if (!auto) return given;
    return given ? ops.logicalAnd(given, auto) : auto;
  }

  /**
   * Scaled dot-product attention over the attention axes of the projected tensors (Keras'
   * einsum equations, written as transposes and batched matmuls). Returns the context
   * `[..., heads, value_dim]` in the query's layout and the probabilities
   * `[<batch dims>, heads, <query attention dims>, <key attention dims>]`.
   */
  private computeAttention(q: Sym, k: Sym, v: Sym, mask: Sym | null, training: boolean): [Sym, Sym] {
    const rank = q.rank;
    const attn = this.attentionAxes!;
    const batchAxes = range(0, rank - 1).filter((i) => !attn.includes(i)); // includes the heads axis
    const perm = [...batchAxes, ...attn, rank - 1];
    const bDims = batchAxes.map((i) => q.shape[i]);
    const qAttn = attn.map((i) => q.shape[i]);
    const kAttn = attn.map((i) => k.shape[i]);
    const kb = batchAxes.map((i) => k.shape[i]);
    if (kb.some((d, i) => d !== bDims[i]) || batchAxes.some((i) => v.shape[i] !== k.shape[i]) || attn.some((i) => v.shape[i] !== k.shape[i])) {
      throw new KerasShapeError(
        `${this.label}: the query, key and value must agree on every axis but the attention axes ${JSON.stringify(attn)} and the features; projected shapes query ${showShape(q.shape)}, key ${showShape(k.shape)}, value ${showShape(v.shape)}`,
      );
    }
    const flat = (x: Sym, attnDims: number[]) => ops.reshape(ops.transpose(x, perm), [...bDims, prod(attnDims), x.shape[rank - 1]]);
    const qf = flat(ops.mul(q, 1 / Math.sqrt(this.keyDim)), qAttn);
    let scores = ops.matmul(qf, flat(k, kAttn), false, true); // [bDims, Tq, Tk]
    const full = [...bDims, ...qAttn, ...kAttn];
    if (mask) {
      let m = mask;
      while (m.rank < full.length) m = ops.expandDims(m, -attn.length * 2 - 1);
      const adder = ops.mul(ops.sub(1, ops.cast(m, 'float32')), -1e9);
      scores = ops.reshape(ops.add(ops.reshape(scores, full), adder), [...bDims, prod(qAttn), prod(kAttn)]);
    }
    const probs = ops.softmax(scores, -1);
    const dropped = training && this.dropout > 0 ? dropoutOf(this.label, probs, this.dropout, this.seed) : probs;
    const ctxFlat = ops.matmul(dropped, flat(v, kAttn)); // [bDims, Tq, value_dim]
    const inverse = new Array<number>(rank);
    perm.forEach((p, i) => (inverse[p] = i));
    const context = ops.transpose(ops.reshape(ctxFlat, [...bDims, ...qAttn, v.shape[rank - 1]]), inverse);
    return [context, ops.reshape(probs, full)];
  }

  override computeOutputShape(inputShape: InputShape): SymbolicShape {
    const list = inputShape.length > 0 && inputShape.every((s) => Array.isArray(s)) ? (inputShape as readonly SymbolicShape[]) : [inputShape as SymbolicShape];
    const q = list[0];
    if (this.outputShape === null) return [...q];
    return [...q.slice(0, -1), ...(typeof this.outputShape === 'number' ? [this.outputShape] : this.outputShape)];
  }

  override computeMask(inputs: Sym | Sym[], mask: Mask): Mask {
    const masks = maskList(mask, Array.isArray(inputs) ? inputs.length : 1);
    return masks?.[0] ?? null;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      num_heads: this.numHeads,
      key_dim: this.keyDim,
      value_dim: this.valueDim,
      dropout: this.dropout,
      use_bias: this.useBias,
      output_shape: this.outputShape === null || typeof this.outputShape === 'number' ? this.outputShape : [...this.outputShape],
      attention_axes: this.attentionAxes ? [...this.attentionAxes] : null,
      kernel_initializer: serialize(this.kernelInitializer),
      bias_initializer: serialize(this.biasInitializer),
      kernel_regularizer: serializeOptional(this.kernelRegularizer),
      bias_regularizer: serializeOptional(this.biasRegularizer),
      activity_regularizer: serializeOptional(this.projectionActivityRegularizer),
      kernel_constraint: serializeOptional(this.kernelConstraint),
      bias_constraint: serializeOptional(this.biasConstraint),
      query_shape: this.queryShape ? [...this.queryShape] : null,
      key_shape: this.keyShape ? [...this.keyShape] : null,
      value_shape: this.valueShape ? [...this.valueShape] : null,
    };
  }
}
