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

const SeparableConvArgs = z.looseObject({
  /** The number of output channels (of the pointwise step). */
  filters: z.number().int().positive(),
  /** The number of depthwise output channels per input channel (default 1). */
  depthMultiplier: z.number().int().positive().default(1),
  groups: z.number().int().nullable().optional(),
  depthwiseInitializer: zOptionalIdentifier,
  pointwiseInitializer: zOptionalIdentifier,
  depthwiseRegularizer: zOptionalIdentifier,
  pointwiseRegularizer: zOptionalIdentifier,
  depthwiseConstraint: zOptionalIdentifier,
  pointwiseConstraint: zOptionalIdentifier,
  // Keras 2 writes these (inherited from Conv, unused) into SeparableConv configs.
  kernelInitializer: zOptionalIdentifier,
  kernelRegularizer: zOptionalIdentifier,
  kernelConstraint: zOptionalIdentifier,
});

/** The arguments of SeparableConv1D and SeparableConv2D. */
export interface SeparableConvArgs extends BaseConvArgs, z.input<typeof SeparableConvArgs> {}

/**
 * The base of SeparableConv1D and SeparableConv2D: a depthwise convolution (kernel
 * [...kernel_size, in_channels, depth_multiplier], with the strides, dilation and padding)
 * followed by a pointwise 1x1 convolution (kernel [...1, in_channels * depth_multiplier, filters]).
 */
export abstract class SeparableConv extends BaseConv {
  static override readonly argsSchema: ArgsDeclaration = SeparableConvArgs;
  readonly filters: number;
  readonly depthMultiplier: number;
  readonly depthwiseInitializer: Initializer;
  readonly pointwiseInitializer: Initializer;
  readonly depthwiseRegularizer;
  readonly pointwiseRegularizer;
  readonly depthwiseConstraint;
  readonly pointwiseConstraint;
  /** Unused; kept because Keras 2 writes it into the config. */
  private readonly unusedKernelInitializer: Initializer;
  private readonly unusedKernelRegularizer;
  private readonly unusedKernelConstraint;
  depthwiseKernel!: Variable;
  pointwiseKernel!: Variable;

  constructor(rank: number, args: SeparableConvArgs, allowCausal = false) {
    super(rank, args, allowCausal);
    const what = this.label;
    const a = parseArgs(SeparableConvArgs, args, what);
    if (a.groups !== null && a.groups !== undefined && a.groups !== 1) {
      throw new KerasValueError(`${what}: argument 'groups' got ${a.groups}: separable convolutions take no groups (expected 1)`);
    }
    this.filters = a.filters;
    this.depthMultiplier = a.depthMultiplier;
    this.depthwiseInitializer = toInitializer(a.depthwiseInitializer, 'glorot_uniform');
    this.pointwiseInitializer = toInitializer(a.pointwiseInitializer, 'glorot_uniform');
    this.depthwiseRegularizer = toRegularizer(a.depthwiseRegularizer);
    this.pointwiseRegularizer = toRegularizer(a.pointwiseRegularizer);
    this.depthwiseConstraint = toConstraint(a.depthwiseConstraint);
    this.pointwiseConstraint = toConstraint(a.pointwiseConstraint);
    this.unusedKernelInitializer = toInitializer(a.kernelInitializer, 'glorot_uniform');
    this.unusedKernelRegularizer = toRegularizer(a.kernelRegularizer);
    this.unusedKernelConstraint = toConstraint(a.kernelConstraint);
  }

  protected outputChannels(): number {
    return this.filters;
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
    this.pointwiseKernel = this.addWeight({
      name: 'pointwise_kernel',
      shape: [...new Array<number>(this.rank).fill(1), channels * this.depthMultiplier, this.filters],
      initializer: this.pointwiseInitializer,
      regularizer: this.pointwiseRegularizer,
      constraint: this.pointwiseConstraint,
    });
    this.addBias(this.filters);
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    this.checkCallInput(x, this.depthwiseKernel.shape[this.rank]);
    const d = ops.depthwiseConv(x, this.depthwiseKernel.read(), { strides: this.strides, dilations: this.dilationRate, padding: this.padding });
    const y = ops.conv(d, this.pointwiseKernel.read());
    return this.finish(y);
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      filters: this.filters,
      ...this.windowConfig(),
      dilation_rate: [...this.dilationRate],
      groups: 1,
      activation: this.serializedActivation,
      use_bias: this.useBias,
      kernel_initializer: serialize(this.unusedKernelInitializer),
      bias_initializer: this.serializedBiasInitializer,
      kernel_regularizer: serializeOptional(this.unusedKernelRegularizer),
      bias_regularizer: this.serializedBiasRegularizer,
      activity_regularizer: this.serializedActivityRegularizer,
      kernel_constraint: serializeOptional(this.unusedKernelConstraint),
      bias_constraint: this.serializedBiasConstraint,
      depth_multiplier: this.depthMultiplier,
      depthwise_initializer: serialize(this.depthwiseInitializer),
      pointwise_initializer: serialize(this.pointwiseInitializer),
      depthwise_regularizer: serializeOptional(this.depthwiseRegularizer),
      pointwise_regularizer: serializeOptional(this.pointwiseRegularizer),
      depthwise_constraint: serializeOptional(this.depthwiseConstraint),
      pointwise_constraint: serializeOptional(this.pointwiseConstraint),
    };
  }
}
