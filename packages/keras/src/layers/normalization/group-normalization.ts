import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { parseArgs, type InputShape } from '../../engine/layer.js';
import type { SymbolicShape } from '../../engine/keras-tensor.js';
import type { Variable } from '../../engine/variable.js';
import { AffineNormalization, zAffineArgs, type AffineNormalizationArgs } from './affine-normalization.js';
import { validateAxes } from './axes.js';
import { batchNormalize } from './math.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasShapeError } from '../../errors.js';

const GroupNormalizationArgs = z.looseObject({
  /** Number of channel groups (default 32); -1 makes one group per channel. */
  groups: z.number().int().refine((g) => g === -1 || g > 0, { message: 'expected a positive number of groups, or -1 for one group per channel' }).default(32),
  /** The channel axis (default -1). */
  axis: z.number().int().default(-1),
  ...zAffineArgs(),
});

/** The arguments of {@link GroupNormalization}. */
export interface GroupNormalizationArgs extends AffineNormalizationArgs, z.input<typeof GroupNormalizationArgs> {}

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
export class GroupNormalization extends AffineNormalization {
  static override readonly className = 'GroupNormalization';
  static override readonly argsSchema: ArgsDeclaration = GroupNormalizationArgs;
  groups: number;
  readonly axis: number;
  private channelAxis = -1;

  constructor(args: GroupNormalizationArgs = {}) {
    let a!: z.output<typeof GroupNormalizationArgs>;
    super(args, (what) => (a = parseArgs(GroupNormalizationArgs, args, what)));
    this.groups = a.groups;
    this.axis = a.axis;
  }

  override build(inputShape: InputShape): void {
    const shape = inputShape as SymbolicShape;
    const [axis] = validateAxes(this.label, this.axis, shape);
    const dim = shape[axis];
    const shown = `[${shape.map((d) => d ?? 'None').join(', ')}]`;
    if (typeof dim !== 'number') throw new KerasShapeError(`${this.label}: axis ${this.axis} of the input must have a known size, got shape ${shown}`);
    if (this.groups === -1) this.groups = dim;
    if (dim < this.groups) throw new KerasShapeError(`${this.label}: the number of groups (${this.groups}) cannot be more than the number of channels (${dim}) of input shape ${shown}`);
    if (dim % this.groups !== 0) throw new KerasShapeError(`${this.label}: the number of groups (${this.groups}) must divide the number of channels (${dim}) of input shape ${shown}`);
    this.channelAxis = axis;
    this.addAffineWeights(shape, [dim]);
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    const axis = this.channelAxis;
    this.checkBuiltFor(x, [axis]);
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

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), groups: this.groups, axis: this.axis, ...this.affineConfig() };
  }
}
