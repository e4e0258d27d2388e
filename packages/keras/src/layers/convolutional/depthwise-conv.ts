import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { serializeOptional, toConstraint, toInitializer, toRegularizer, zOptionalIdentifier } from '../../arguments/layer-arguments.js';
import { serialize } from '../../serialization/registry.js';
import { parseArgs, type InputShape } from '../../engine/layer.js';
import type { Variable } from '../../engine/variable.js';
import type { Initializer } from '../../initializers/initializer.js';
import { BaseConv, type BaseConvArgs } from './base-conv.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasValueError } from '../../errors.js';

const DepthwiseConvArgs = z.looseObject({
  /** The number of output channels per input channel (default 1). */
  depthMultiplier: z.number().int().positive().default(1),
  groups: z.number().int().nullable().optional(),
  depthwiseInitializer: zOptionalIdentifier,
  depthwiseRegularizer: zOptionalIdentifier,
  depthwiseConstraint: zOptionalIdentifier,
});

/** The arguments of DepthwiseConv1D and DepthwiseConv2D. */
export interface DepthwiseConvArgs extends BaseConvArgs, z.input<typeof DepthwiseConvArgs> {}

/**
 * The base of DepthwiseConv1D and DepthwiseConv2D: each input channel is convolved with its own
 * `depth_multiplier` filters. The depthwise kernel has shape
 * [...kernel_size, in_channels, depth_multiplier]; output channel c * depth_multiplier + m comes
 * from input channel c through filter m.
 */
export abstract class DepthwiseConv extends BaseConv {
  static override readonly argsSchema: ArgsDeclaration = DepthwiseConvArgs;
  readonly depthMultiplier: number;
  readonly depthwiseInitializer: Initializer;
  readonly depthwiseRegularizer;
  readonly depthwiseConstraint;
  depthwiseKernel!: Variable;

  constructor(rank: number, args: DepthwiseConvArgs) {
    super(rank, args);
    const what = this.label;
    const a = parseArgs(DepthwiseConvArgs, args, what);
    // Keras 2 writes `groups: 1` (inherited from Conv) into the config; nothing else is meaningful.
    if (a.groups !== null && a.groups !== undefined && a.groups !== 1) {
      throw new KerasValueError(`${what}: argument 'groups' got ${a.groups}: depthwise convolutions take no groups (expected 1)`);
    }
    this.depthMultiplier = a.depthMultiplier;
    this.depthwiseInitializer = toInitializer(a.depthwiseInitializer, 'glorot_uniform');
    this.depthwiseRegularizer = toRegularizer(a.depthwiseRegularizer);
    this.depthwiseConstraint = toConstraint(a.depthwiseConstraint);
  }

  protected outputChannels(inputChannels: number): number {
    return inputChannels * this.depthMultiplier;
  }

  override build(inputShape: InputShape): void {
    const channels = this.checkBuildShape(inputShape);
    this.depthwiseKernel = this.addWeight({
      name: 'depthwise_kernel',
      shape: [...this.kernelSize, channels, this.depthMultiplier],
      initializer: this.depthwiseInitializer,
      regularizer: this.depthwiseRegularizer,
      constraint: this.depthwiseConstraint,
    });
    this.addBias(channels * this.depthMultiplier);
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    this.checkCallInput(x, this.depthwiseKernel.shape[this.rank]);
    const y = ops.depthwiseConv(x, this.depthwiseKernel.read(), { strides: this.strides, dilations: this.dilationRate, padding: this.padding });
    return this.finish(y);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      ...this.windowConfig(),
      dilation_rate: [...this.dilationRate],
      groups: 1,
      activation: this.serializedActivation,
      use_bias: this.useBias,
      bias_initializer: this.serializedBiasInitializer,
      bias_regularizer: this.serializedBiasRegularizer,
      activity_regularizer: this.serializedActivityRegularizer,
      bias_constraint: this.serializedBiasConstraint,
      depth_multiplier: this.depthMultiplier,
      depthwise_initializer: serialize(this.depthwiseInitializer),
      depthwise_regularizer: serializeOptional(this.depthwiseRegularizer),
      depthwise_constraint: serializeOptional(this.depthwiseConstraint),
    };
  }
}
