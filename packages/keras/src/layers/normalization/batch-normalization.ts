import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { serializeOptional, toConstraint, toInitializer, toRegularizer, zOptionalIdentifier } from '../../config/arguments';
import { registerClass, serialize } from '../../config/serialization';
import { Layer, parseArgs, type CallContext, type InputShape, type LayerArgs, type Mask } from '../../engine/layer';
import type { SymbolicShape } from '../../engine/keras-tensor';
import { requireScope } from '../../engine/scope';
import type { Variable } from '../../engine/variable';
import { broadcastShape, knownDims, validateAxes, zAxisArg } from './axes';
import { batchNormalize } from './math';

const BatchNormalizationArgs = z.looseObject({
  axis: zAxisArg.default(-1),
  momentum: z.number().default(0.99),
  epsilon: z.number().nonnegative().default(1e-3),
  center: z.boolean().default(true),
  scale: z.boolean().default(true),
  betaInitializer: zOptionalIdentifier,
  gammaInitializer: zOptionalIdentifier,
  movingMeanInitializer: zOptionalIdentifier,
  movingVarianceInitializer: zOptionalIdentifier,
  betaRegularizer: zOptionalIdentifier,
  gammaRegularizer: zOptionalIdentifier,
  betaConstraint: zOptionalIdentifier,
  gammaConstraint: zOptionalIdentifier,
  // Keras 2 arguments that have no effect here (or are refused below when not neutral).
  renorm: z.boolean().default(false),
  renormClipping: z.record(z.string(), z.number().nullable()).nullable().optional(),
  renormMomentum: z.number().optional(),
  fused: z.boolean().nullable().default(null),
  virtualBatchSize: z.number().int().nullable().optional(),
  adjustment: z.unknown().optional(),
  synchronized: z.boolean().default(false),
});

export interface BatchNormalizationArgs extends LayerArgs {
  /** The feature axis (or axes); the others are reduced over. Default -1. */
  axis?: number | number[];
  momentum?: number;
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  betaInitializer?: unknown;
  gammaInitializer?: unknown;
  movingMeanInitializer?: unknown;
  movingVarianceInitializer?: unknown;
  betaRegularizer?: unknown;
  gammaRegularizer?: unknown;
  betaConstraint?: unknown;
  gammaConstraint?: unknown;
  /** Keras 2's fused implementation: null picks it for 4D/5D channel axes (as Keras 2). */
  fused?: boolean | null;
  /** Cross-replica statistics; there is a single replica here, so it changes nothing. */
  synchronized?: boolean;
}

/** The channel axes (before resolving against a rank) with which Keras 2 can use its fused kernel. */
const FUSABLE_AXES = [-4, -3, -1, 1, 3, 4];

/**
 * Normalizes each feature over the batch (and every other non-feature axis).
 *
 * In training (`training: true`, and only while the layer is trainable) it uses the batch mean and
 * population variance and moves the statistics:
 * `moving = moving - (moving - batch) * (1 - momentum)`. Otherwise it uses the moving statistics.
 * Output: `gamma * (x - mean) / sqrt(variance + epsilon) + beta`.
 *
 * As Keras 2, a 4D or 5D input normalized over its channel axis takes the "fused" path, whose
 * moving variance is updated with the unbiased (Bessel-corrected) batch variance, and ignores
 * masks; other inputs use a mask, when one comes with the input, to weight the batch statistics.
 * A layer with `trainable = false` always runs in inference mode (Keras 2 behaviour).
 *
 * @example
 * const bn = new BatchNormalization({ momentum: 0.9 });
 * const y = bn.apply(Input({ shape: [16] })); // KerasTensor [null, 16]
 */
export class BatchNormalization extends Layer {
  static override readonly className = 'BatchNormalization';
  /** The axis argument; after `build`, the resolved list of non-negative axes (as Keras 2). */
  axis: number | number[];
  readonly momentum: number;
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer;
  readonly gammaInitializer;
  readonly movingMeanInitializer;
  readonly movingVarianceInitializer;
  readonly betaRegularizer;
  readonly gammaRegularizer;
  readonly betaConstraint;
  readonly gammaConstraint;
  readonly synchronized: boolean;
  /** Whether the fused path is used; null until `build` decides. */
  fused: boolean | null;
  gamma: Variable | null = null;
  beta: Variable | null = null;
  movingMean!: Variable;
  movingVariance!: Variable;
  private paramShape: number[] = [];
  private builtShape: SymbolicShape = [];

  constructor(args: BatchNormalizationArgs = {}) {
    super(args);
    const what = `BatchNormalization '${this.name}'`;
    if ('mode' in args) {
      throw new Error(
        `${what}: argument 'mode' got ${JSON.stringify(args.mode)}: 'mode' is a Keras 1 argument that Keras 2 removed ` +
          `(Keras 2 always normalizes feature-wise, as Keras 1's mode 0); remove it`,
      );
    }
    const a = parseArgs(BatchNormalizationArgs, args, what);
    if (a.renorm) throw new Error(`${what}: argument 'renorm' got true: batch renormalization is not supported; use renorm=false`);
    if (a.virtualBatchSize !== undefined && a.virtualBatchSize !== null) {
      throw new Error(`${what}: argument 'virtual_batch_size' got ${a.virtualBatchSize}: ghost batch normalization is not supported; use null`);
    }
    if (a.adjustment !== undefined && a.adjustment !== null) throw new Error(`${what}: argument 'adjustment' is not supported; leave it out`);
    if (a.synchronized && a.fused) throw new Error(`${what}: argument 'fused' got true: fused=true is not supported with synchronized=true`);
    this.axis = typeof a.axis === 'number' ? a.axis : [...a.axis];
    this.momentum = a.momentum;
    this.epsilon = a.epsilon;
    this.center = a.center;
    this.scale = a.scale;
    this.betaInitializer = toInitializer(a.betaInitializer, 'zeros');
    this.gammaInitializer = toInitializer(a.gammaInitializer, 'ones');
    this.movingMeanInitializer = toInitializer(a.movingMeanInitializer, 'zeros');
    this.movingVarianceInitializer = toInitializer(a.movingVarianceInitializer, 'ones');
    this.betaRegularizer = toRegularizer(a.betaRegularizer);
    this.gammaRegularizer = toRegularizer(a.gammaRegularizer);
    this.betaConstraint = toConstraint(a.betaConstraint);
    this.gammaConstraint = toConstraint(a.gammaConstraint);
    this.synchronized = a.synchronized;
    const axes = typeof a.axis === 'number' ? [a.axis] : a.axis;
    const fusable = axes.length === 1 && FUSABLE_AXES.includes(axes[0]);
    if (a.fused && !fusable) {
      throw new Error(`${what}: argument 'fused' got true: the fused implementation needs a single axis 1 or 3 (rank 4) or 1 or 4 (rank 5), got axis ${JSON.stringify(a.axis)}`);
    }
    this.fused = a.synchronized ? false : a.fused === null && !fusable ? false : a.fused;
    this.supportsMasking = true;
  }

  override build(inputShape: InputShape): void {
    const shape = inputShape as SymbolicShape;
    const axes = validateAxes(this.label, this.axis, shape);
    const rank = shape.length;
    if (this.fused === null) this.fused = rank === 4 || rank === 5;
    else if (this.fused && rank !== 4 && rank !== 5) {
      throw new Error(`${this.label}: fused=true needs a 4D or 5D input, got shape [${shape.map((d) => d ?? 'None').join(', ')}]`);
    }
    if (this.fused) {
      const ok = axes.length === 1 && (axes[0] === 1 || axes[0] === rank - 1);
      if (!ok) this.fused = false;
    }
    const dims = knownDims(this.label, axes, shape);
    this.axis = axes;
    this.builtShape = [...shape];
    this.paramShape = axes.length === 1 ? [dims[0]] : broadcastShape(rank, axes, dims);
    const p = this.paramShape;
    if (this.scale) this.gamma = this.addWeight({ name: 'gamma', shape: p, initializer: this.gammaInitializer, regularizer: this.gammaRegularizer, constraint: this.gammaConstraint });
    if (this.center) this.beta = this.addWeight({ name: 'beta', shape: p, initializer: this.betaInitializer, regularizer: this.betaRegularizer, constraint: this.betaConstraint });
    this.movingMean = this.addWeight({ name: 'moving_mean', shape: p, initializer: this.movingMeanInitializer, trainable: false });
    this.movingVariance = this.addWeight({ name: 'moving_variance', shape: p, initializer: this.movingVarianceInitializer, trainable: false });
  }

  override call(inputs: Sym | Sym[], ctx: CallContext): Sym {
    const x = inputs as Sym;
    const axes = this.axis as number[];
    const built = this.builtShape;
    const dimsOk = x.rank === built.length && axes.every((a) => x.shape[a] === built[a]);
    if (!dimsOk) {
      throw new Error(`${this.label} was built for inputs of shape [${built.map((d) => d ?? 'None').join(', ')}], got shape [${x.shape.join(', ')}]`);
    }
    const bshape = broadcastShape(
      x.rank,
      axes,
      axes.map((a) => x.shape[a]),
    );
    const toB = (v: Sym) => ops.reshape(v, bshape);
    const gamma = this.gamma ? toB(this.gamma.read()) : null;
    const beta = this.beta ? toB(this.beta.read()) : null;
    const training = ctx.training && this.trainable;
    if (!training) {
      return batchNormalize(x, toB(this.movingMean.read()), toB(this.movingVariance.read()), beta, gamma, this.epsilon);
    }
    const reduce = Array.from({ length: x.rank }, (_, i) => i).filter((i) => !axes.includes(i));
    const mask = this.fused ? null : singleMask(ctx.mask);
    const [mean, variance] = mask ? weightedMoments(x, mask, reduce) : ops.moments(x, reduce, true);
    // The moving statistics move toward the batch's: moving -= (moving - batch) * (1 - momentum).
    let updateVariance = variance;
    if (this.fused) {
      // Keras 2's fused kernel updates with the unbiased variance: n / (n - 1), n values per channel.
      const n = reduce.reduce((k, i) => k * x.shape[i], 1);
      if (n > 1) updateVariance = ops.mul(variance, n / (n - 1));
    }
    const scope = requireScope(`${this.label} in training mode`);
    const decay = 1 - this.momentum;
    const move = (v: Variable, batch: Sym) => {
      const old = v.read();
      scope.assign(v, ops.sub(old, ops.mul(ops.sub(old, ops.reshape(ops.stopGradient(batch), this.paramShape)), decay)));
    };
    move(this.movingMean, mean);
    move(this.movingVariance, updateVariance);
    return batchNormalize(x, mean, variance, beta, gamma, this.epsilon);
  }

  override computeOutputShape(inputShape: InputShape): SymbolicShape {
    return inputShape as SymbolicShape;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: Array.isArray(this.axis) ? [...this.axis] : this.axis,
      momentum: this.momentum,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: serialize(this.betaInitializer),
      gamma_initializer: serialize(this.gammaInitializer),
      moving_mean_initializer: serialize(this.movingMeanInitializer),
      moving_variance_initializer: serialize(this.movingVarianceInitializer),
      beta_regularizer: serializeOptional(this.betaRegularizer),
      gamma_regularizer: serializeOptional(this.gammaRegularizer),
      beta_constraint: serializeOptional(this.betaConstraint),
      gamma_constraint: serializeOptional(this.gammaConstraint),
    };
  }
}

function singleMask(mask: Mask): Sym | null {
  if (Array.isArray(mask)) return (mask as (Sym | null)[])[0] ?? null;
  return (mask as Sym | null) ?? null;
}

/**
 * `tf.nn.weighted_moments` with the mask as frequency weights (broadcast over the last axis):
 * the masked mean and population variance over `axes`, kept as size-1 axes.
 */
function weightedMoments(x: Sym, mask: Sym, axes: number[]): [Sym, Sym] {
  let w = ops.cast(mask, 'float32');
  while (w.rank < x.rank) w = ops.expandDims(w, -1);
  const total = ops.sum(ops.broadcastTo(w, x.shape), axes, true);
  const mean = ops.div(ops.sum(ops.mul(w, x), axes, true), total);
  const variance = ops.div(ops.sum(ops.mul(w, ops.square(ops.sub(x, mean))), axes, true), total);
  return [mean, variance];
}

registerClass('layer', BatchNormalization);
