import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { serializeOptional, toConstraint, toInitializer, toRegularizer, zOptionalIdentifier } from '../../config/arguments';
import { registerClass, serialize } from '../../config/serialization';
import { Layer, parseArgs, type InputShape, type LayerArgs } from '../../engine/layer';
import type { SymbolicShape } from '../../engine/keras-tensor';
import type { Variable } from '../../engine/variable';
import { validateAxes } from './axes';
import { batchNormalize } from './math';

const GroupNormalizationArgs = z.looseObject({
  groups: z.number().int().refine((g) => g === -1 || g > 0, { message: 'expected a positive number of groups, or -1 for one group per channel' }).default(32),
  axis: z.number().int().default(-1),
  epsilon: z.number().nonnegative().default(1e-3),
  center: z.boolean().default(true),
  scale: z.boolean().default(true),
  betaInitializer: zOptionalIdentifier,
  gammaInitializer: zOptionalIdentifier,
  betaRegularizer: zOptionalIdentifier,
  gammaRegularizer: zOptionalIdentifier,
  betaConstraint: zOptionalIdentifier,
  gammaConstraint: zOptionalIdentifier,
});

export interface GroupNormalizationArgs extends LayerArgs {
  /** Number of channel groups (default 32); -1 makes one group per channel. */
  groups?: number;
  /** The channel axis (default -1). */
  axis?: number;
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
 * Splits the channels into `groups` groups and normalizes each sample over every non-batch axis
 * within each group, then applies the per-channel `gamma` and `beta`. `groups` must divide the
 * number of channels; `groups: 1` is layer normalization over all axes, and one group per channel
 * is instance normalization.
 *
 * @example
 * const gn = new GroupNormalization({ groups: 2 });
 * const y = gn.apply(Input({ shape: [3, 4] })); // 2 groups of 2 channels
 */
export class GroupNormalization extends Layer {
  static override readonly className = 'GroupNormalization';
  groups: number;
  readonly axis: number;
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
  private channelAxis = -1;

  constructor(args: GroupNormalizationArgs = {}) {
    super(args);
    const a = parseArgs(GroupNormalizationArgs, args, `GroupNormalization '${this.name}'`);
    this.groups = a.groups;
    this.axis = a.axis;
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
    const [axis] = validateAxes(this.label, this.axis, shape);
    const dim = shape[axis];
    const shown = `[${shape.map((d) => d ?? 'None').join(', ')}]`;
    if (typeof dim !== 'number') throw new Error(`${this.label}: axis ${this.axis} of the input must have a known size, got shape ${shown}`);
    if (this.groups === -1) this.groups = dim;
    if (dim < this.groups) throw new Error(`${this.label}: the number of groups (${this.groups}) cannot be more than the number of channels (${dim}) of input shape ${shown}`);
    if (dim % this.groups !== 0) throw new Error(`${this.label}: the number of groups (${this.groups}) must divide the number of channels (${dim}) of input shape ${shown}`);
    this.channelAxis = axis;
    this.builtShape = [...shape];
    if (this.scale) this.gamma = this.addWeight({ name: 'gamma', shape: [dim], initializer: this.gammaInitializer, regularizer: this.gammaRegularizer, constraint: this.gammaConstraint });
    if (this.center) this.beta = this.addWeight({ name: 'beta', shape: [dim], initializer: this.betaInitializer, regularizer: this.betaRegularizer, constraint: this.betaConstraint });
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    const axis = this.channelAxis;
    if (x.rank !== this.builtShape.length || x.shape[axis] !== this.builtShape[axis]) {
      throw new Error(`${this.label} was built for inputs of shape [${this.builtShape.map((d) => d ?? 'None').join(', ')}], got shape [${x.shape.join(', ')}]`);
    }
    // [..., C, ...] -> [..., groups, C / groups, ...]; statistics over all but the batch and group axes.
    const grouped = [...x.shape];
    grouped.splice(axis, 1, this.groups, x.shape[axis] / this.groups);
    const g = ops.reshape(x, grouped);
    const reduce = Array.from({ length: g.rank }, (_, i) => i).filter((i) => i !== 0 && i !== axis);
    const [mean, variance] = ops.moments(g, reduce, true);
    const wshape = grouped.map((d, i) => (i === axis || i === axis + 1 ? d : 1));
    const toW = (v: Variable | null) => (v ? ops.reshape(v.read(), wshape) : null);
    return ops.reshape(batchNormalize(g, mean, variance, toW(this.beta), toW(this.gamma), this.epsilon), x.shape);
  }

  override computeOutputShape(inputShape: InputShape): SymbolicShape {
    return inputShape as SymbolicShape;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      groups: this.groups,
      axis: this.axis,
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

registerClass('layer', GroupNormalization);
