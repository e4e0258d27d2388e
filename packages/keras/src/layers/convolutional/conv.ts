import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { serializeOptional, toConstraint, toInitializer, toRegularizer, zOptionalIdentifier } from '../../arguments/layer-arguments.js';
import { serialize } from '../../serialization/registry.js';
import { parseArgs, type InputShape } from '../../engine/layer.js';
import type { Variable } from '../../engine/variable.js';
import type { Initializer } from '../../initializers/initializer.js';
import { BaseConv, type BaseConvArgs } from './base-conv.js';
import { refuseLora } from './conv-utils.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasShapeError, KerasValueError } from '../../errors.js';

const ConvArgs = z.looseObject({
  /** The number of output channels. */
  filters: z.number().int().positive(),
  /** Channel groups (default 1): each group of input channels is convolved with filters / groups filters. */
  groups: z.number().int().positive().nullable().default(1),
  kernelInitializer: zOptionalIdentifier,
  kernelRegularizer: zOptionalIdentifier,
  kernelConstraint: zOptionalIdentifier,
  loraRank: z.unknown().optional(),
});

/** The arguments of Conv1D, Conv2D and Conv3D. */
export interface ConvArgs extends BaseConvArgs, z.input<typeof ConvArgs> {}

/**
 * The base of Conv1D, Conv2D and Conv3D (and of the transposed convolutions): `filters`,
 * `groups` and the kernel's initializer, regularizer and constraint. The kernel has shape
 * [...kernel_size, in_channels / groups, filters].
 */
export abstract class Conv extends BaseConv {
  static override readonly argsSchema: ArgsDeclaration = ConvArgs;
  readonly filters: number;
  readonly groups: number;
  readonly kernelInitializer: Initializer;
  readonly kernelRegularizer;
  readonly kernelConstraint;
  kernel!: Variable;

  constructor(rank: number, args: ConvArgs, allowCausal = false) {
    super(rank, args, allowCausal);
    const what = this.label;
    const a = parseArgs(ConvArgs, args, what);
    refuseLora(a.loraRank, what);
    this.filters = a.filters;
    this.groups = a.groups ?? 1;
    if (this.filters % this.groups !== 0) {
      throw new KerasValueError(`${what}: argument 'groups' got ${this.groups}: the number of filters (${this.filters}) must be divisible by the number of groups`);
    }
    this.kernelInitializer = toInitializer(a.kernelInitializer, 'glorot_uniform');
    this.kernelRegularizer = toRegularizer(a.kernelRegularizer);
    this.kernelConstraint = toConstraint(a.kernelConstraint);
  }

  protected outputChannels(): number {
    return this.filters;
  }

  /** Conv layers also take extra leading batch axes, as Keras 2. */
  protected override acceptsRank(rank: number): boolean {
    return rank >= this.rank + 2;
  }

  override build(inputShape: InputShape): void {
    const channels = this.checkBuildShape(inputShape);
    if (channels % this.groups !== 0) {
      throw new KerasShapeError(`${this.label}: the ${channels} input channels (input shape [${(inputShape as (number | null)[]).join(', ')}]) must be divisible by groups = ${this.groups}`);
    }
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [...this.kernelSize, channels / this.groups, this.filters],
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    this.addBias(this.filters);
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    this.checkCallInput(x, this.kernel.shape[this.rank] * this.groups);
    const options = { strides: this.strides, dilations: this.dilationRate, padding: this.padding, groups: this.groups };
    let y: Sym;
    if (x.rank === this.rank + 2) {
      y = ops.conv(x, this.kernel.read(), options);
    } else {
      // Extra leading batch axes: fold them into one, convolve, unfold.
      const lead = x.shape.slice(0, x.rank - this.rank - 1);
      const inner = x.shape.slice(x.rank - this.rank - 1);
      const folded = ops.conv(ops.reshape(x, [-1, ...inner]), this.kernel.read(), options);
      y = ops.reshape(folded, [...lead, ...folded.shape.slice(1)]);
    }
    return this.finish(y);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      ...this.windowConfig(),
      dilation_rate: [...this.dilationRate],
      groups: this.groups,
      activation: this.serializedActivation,
      use_bias: this.useBias,
      kernel_initializer: serialize(this.kernelInitializer),
      bias_initializer: this.serializedBiasInitializer,
      kernel_regularizer: serializeOptional(this.kernelRegularizer),
      bias_regularizer: this.serializedBiasRegularizer,
      activity_regularizer: this.serializedActivityRegularizer,
      kernel_constraint: serializeOptional(this.kernelConstraint),
      bias_constraint: this.serializedBiasConstraint,
    };
  }
}
