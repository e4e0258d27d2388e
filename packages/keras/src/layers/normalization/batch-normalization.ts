import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { toInitializer, zOptionalIdentifier } from '../../arguments/layer-arguments.js';
import { serialize } from '../../serialization/registry.js';
import { parseArgs, type CallContext, type InputShape, type Mask } from '../../engine/layer.js';
import { keras2Args } from '../../engine/keras1-entry.js';
import type { SymbolicShape } from '../../engine/keras-tensor.js';
import { requireScope } from '../../engine/scope.js';
import type { Variable } from '../../engine/variable.js';
import { AffineNormalization, zAffineArgs, type AffineNormalizationArgs } from './affine-normalization.js';
import { broadcastShape, knownDims, validateAxes, zAxisArg } from './axes.js';
import { batchNormalize } from './math.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasNotImplementedError, KerasShapeError, KerasValueError } from '../../errors.js';

const BatchNormalizationArgs = z.looseObject({
  /** The feature axis (or axes); the others are reduced over. Default -1. */
  axis: zAxisArg.default(-1),
  momentum: z.number().default(0.99),
  ...zAffineArgs({ movingMeanInitializer: zOptionalIdentifier, movingVarianceInitializer: zOptionalIdentifier }),
  // Keras 2 arguments that have no effect here (or are refused below when not neutral).
  renorm: z.boolean().default(false),
  renormClipping: z.record(z.string(), z.number().nullable()).nullable().optional(),
  renormMomentum: z.number().optional(),
  /** Keras 2's fused implementation: null picks it for 4D/5D channel axes (as Keras 2). */
  fused: z.boolean().nullable().default(null),
  virtualBatchSize: z.number().int().nullable().optional(),
  adjustment: z.unknown().optional(),
  /** Cross-replica statistics; there is a single replica here, so it changes nothing. */
  synchronized: z.boolean().default(false),
});

/** The arguments of {@link BatchNormalization}. */
export interface BatchNormalizationArgs extends AffineNormalizationArgs, z.input<typeof BatchNormalizationArgs> {}

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
export class BatchNormalization extends AffineNormalization {
  static override readonly className = 'BatchNormalization';
  static override readonly argsSchema: ArgsDeclaration = BatchNormalizationArgs;
  /** The axis argument; after `build`, the resolved list of non-negative axes (as Keras 2). */
  axis: number | number[];
  readonly momentum: number;
  readonly movingMeanInitializer;
  readonly movingVarianceInitializer;
  readonly synchronized: boolean;
  /** Whether the fused path is used; null until `build` decides. */
  fused: boolean | null;
  movingMean!: Variable;
  movingVariance!: Variable;
  private paramShape: number[] = [];

  constructor(args: BatchNormalizationArgs = {}) {
    let a!: z.output<typeof BatchNormalizationArgs>;
    super(args, (what) => {
      const given = keras2Args(args);
      if ('mode' in given) {
        throw new KerasValueError(
          `${what}: argument 'mode' got ${JSON.stringify(given.mode)}: 'mode' is a Keras 1 argument that Keras 2 removed ` +
            `(Keras 2 always normalizes feature-wise, as Keras 1's mode 0); remove it`,
        );
      }
      a = parseArgs(BatchNormalizationArgs, args, what);
      if (a.renorm) throw new KerasNotImplementedError(`${what}: argument 'renorm' got true: batch renormalization is not supported; use renorm=false`);
      if (a.virtualBatchSize !== undefined && a.virtualBatchSize !== null) {
        throw new KerasNotImplementedError(`${what}: argument 'virtual_batch_size' got ${a.virtualBatchSize}: ghost batch normalization is not supported; use null`);
      }
      if (a.adjustment !== undefined && a.adjustment !== null) throw new KerasNotImplementedError(`${what}: argument 'adjustment' is not supported; leave it out`);
      if (a.synchronized && a.fused) throw new KerasValueError(`${what}: argument 'fused' got true: fused=true is not supported with synchronized=true`);
      return a;
    });
    this.axis = typeof a.axis === 'number' ? a.axis : [...a.axis];
    this.momentum = a.momentum;
    this.movingMeanInitializer = toInitializer(a.movingMeanInitializer, 'zeros');
    this.movingVarianceInitializer = toInitializer(a.movingVarianceInitializer, 'ones');
    this.synchronized = a.synchronized;
    const axes = typeof a.axis === 'number' ? [a.axis] : a.axis;
    const fusable = axes.length === 1 && FUSABLE_AXES.includes(axes[0]);
    if (a.fused && !fusable) {
      throw new KerasValueError(`${this.label}: argument 'fused' got true: the fused implementation needs a single axis 1 or 3 (rank 4) or 1 or 4 (rank 5), got axis ${JSON.stringify(a.axis)}`);
    }
    this.fused = a.synchronized ? false : a.fused === null && !fusable ? false : a.fused;
  }

  override build(inputShape: InputShape): void {
    const shape = inputShape as SymbolicShape;
    const axes = validateAxes(this.label, this.axis, shape);
    const rank = shape.length;
    if (this.fused === null) this.fused = rank === 4 || rank === 5;
    else if (this.fused && rank !== 4 && rank !== 5) {
      throw new KerasShapeError(`${this.label}: fused=true needs a 4D or 5D input, got shape [${shape.map((d) => d ?? 'None').join(', ')}]`);
    }
    if (this.fused) {
      const ok = axes.length === 1 && (axes[0] === 1 || axes[0] === rank - 1);
      if (!ok) this.fused = false;
    }
    const dims = knownDims(this.label, axes, shape);
    this.axis = axes;
    this.paramShape = axes.length === 1 ? [dims[0]] : broadcastShape(rank, axes, dims);
    const p = this.paramShape;
    this.addAffineWeights(shape, p);
    this.movingMean = this.addWeight({ name: 'moving_mean', shape: p, initializer: this.movingMeanInitializer, trainable: false });
    this.movingVariance = this.addWeight({ name: 'moving_variance', shape: p, initializer: this.movingVarianceInitializer, trainable: false });
  }

  override call(inputs: Sym | Sym[], ctx: CallContext): Sym {
    const x = inputs as Sym;
    const axes = this.axis as number[];
    this.checkBuiltFor(x, axes);
    const toB = this.broadcaster(x, axes);
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

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: Array.isArray(this.axis) ? [...this.axis] : this.axis,
      momentum: this.momentum,
      ...this.affineConfig({
        moving_mean_initializer: serialize(this.movingMeanInitializer),
        moving_variance_initializer: serialize(this.movingVarianceInitializer),
      }),
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
