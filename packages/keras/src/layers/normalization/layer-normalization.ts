import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { serializeOptional, toConstraint, toInitializer, toRegularizer, zOptionalIdentifier } from '../../config/arguments';
import { registerClass, serialize } from '../../config/serialization';
import { Layer, parseArgs, type InputShape, type LayerArgs } from '../../engine/layer';
import type { SymbolicShape } from '../../engine/keras-tensor';
import type { Variable } from '../../engine/variable';
import { broadcastShape, knownDims, validateAxes, zAxisArg } from './axes';
import { batchNormalize } from './math';

const LayerNormalizationArgs = z.looseObject({
  axis: zAxisArg.default(-1),
  epsilon: z.number().nonnegative().default(1e-3),
  center: z.boolean().default(true),
  scale: z.boolean().default(true),
  betaInitializer: zOptionalIdentifier,
  gammaInitializer: zOptionalIdentifier,
  betaRegularizer: zOptionalIdentifier,
  gammaRegularizer: zOptionalIdentifier,
  betaConstraint: zOptionalIdentifier,
  gammaConstraint: zOptionalIdentifier,
  // Keras 3 only; read at its neutral value.
  rmsScaling: z.literal(false, { error: 'rms_scaling (Keras 3) is not supported; expected false' }).optional(),
});

export interface LayerNormalizationArgs extends LayerArgs {
  /** The axis or axes to normalize over (default -1); gamma and beta have their sizes. */
  axis?: number | number[];
  epsilon?: number;
  center?: boolean;
  scale?: boolean;
  betaInitializer?: unknown;
  gammaInitializer?: unknown;
  betaRegularizer?: unknown;
  gammaRegularizer?: unknown;
  betaConstraint?: unknown;
  gammaConstraint?: unknown;
}

/**
 * Normalizes each sample over `axis` (the last by default) to mean 0 and variance 1, then scales
 * by `gamma` and shifts by `beta` (both shaped like the normalized axes). The same in training
 * and inference.
 *
 * @example
 * const ln = new LayerNormalization({ axis: [1, 2] });
 * const y = ln.apply(Input({ shape: [3, 4] })); // gamma and beta are [3, 4]
 */
export class LayerNormalization extends Layer {
  static override readonly className = 'LayerNormalization';
  /** The axis argument; after `build`, the resolved list of non-negative axes (as Keras 2). */
  axis: number | number[];
  readonly epsilon: number;
  readonly center: boolean;
  readonly scale: boolean;
  readonly betaInitializer;
  readonly gammaInitializer;
  readonly betaRegularizer;
  readonly gammaRegularizer;
  readonly betaConstraint;
  readonly gammaConstraint;
  gamma: Variable | null = null;
  beta: Variable | null = null;
  private builtShape: SymbolicShape = [];

  constructor(args: LayerNormalizationArgs = {}) {
    super(args);
    const a = parseArgs(LayerNormalizationArgs, args, `LayerNormalization '${this.name}'`);
    this.axis = typeof a.axis === 'number' ? a.axis : [...a.axis];
    this.epsilon = a.epsilon;
    this.center = a.center;
    this.scale = a.scale;
    this.betaInitializer = toInitializer(a.betaInitializer, 'zeros');
    this.gammaInitializer = toInitializer(a.gammaInitializer, 'ones');
    this.betaRegularizer = toRegularizer(a.betaRegularizer);
    this.gammaRegularizer = toRegularizer(a.gammaRegularizer);
    this.betaConstraint = toConstraint(a.betaConstraint);
    this.gammaConstraint = toConstraint(a.gammaConstraint);
    this.supportsMasking = true;
  }

  override build(inputShape: InputShape): void {
    const shape = inputShape as SymbolicShape;
    const axes = validateAxes(this.label, this.axis, shape);
    const dims = knownDims(this.label, axes, shape);
    this.axis = axes;
    this.builtShape = [...shape];
    if (this.scale) this.gamma = this.addWeight({ name: 'gamma', shape: dims, initializer: this.gammaInitializer, regularizer: this.gammaRegularizer, constraint: this.gammaConstraint });
    if (this.center) this.beta = this.addWeight({ name: 'beta', shape: dims, initializer: this.betaInitializer, regularizer: this.betaRegularizer, constraint: this.betaConstraint });
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    const axes = this.axis as number[];
    if (x.rank !== this.builtShape.length || axes.some((a) => x.shape[a] !== this.builtShape[a])) {
      throw new Error(`${this.label} was built for inputs of shape [${this.builtShape.map((d) => d ?? 'None').join(', ')}], got shape [${x.shape.join(', ')}]`);
    }
    const bshape = broadcastShape(
      x.rank,
      axes,
      axes.map((a) => x.shape[a]),
    );
    // As Keras 2, the weights are reshaped (not transposed) into the broadcast shape.
    const toB = (v: Sym) => ops.reshape(v, bshape);
    const [mean, variance] = ops.moments(x, axes, true);
    return batchNormalize(x, mean, variance, this.beta ? toB(this.beta.read()) : null, this.gamma ? toB(this.gamma.read()) : null, this.epsilon);
  }

  override computeOutputShape(inputShape: InputShape): SymbolicShape {
    return inputShape as SymbolicShape;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      axis: Array.isArray(this.axis) ? [...this.axis] : this.axis,
      epsilon: this.epsilon,
      center: this.center,
      scale: this.scale,
      beta_initializer: serialize(this.betaInitializer),
      gamma_initializer: serialize(this.gammaInitializer),
      beta_regularizer: serializeOptional(this.betaRegularizer),
      gamma_regularizer: serializeOptional(this.gammaRegularizer),
      beta_constraint: serializeOptional(this.betaConstraint),
      gamma_constraint: serializeOptional(this.gammaConstraint),
    };
  }
}

registerClass('layer', LayerNormalization);
