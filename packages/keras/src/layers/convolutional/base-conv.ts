import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { serializeActivation, type ActivationFn } from '../../activations/activation.js';
import { serializeOptional, toActivation, toConstraint, toInitializer, toRegularizer, zActivationArg, zOptionalIdentifier } from '../../arguments/layer-arguments.js';
import { serialize } from '../../serialization/registry.js';
import { Layer, parseArgs, type InputShape, type LayerArgs } from '../../engine/layer.js';
import type { SymbolicShape } from '../../engine/keras-tensor.js';
import type { Variable } from '../../engine/variable.js';
import type { Initializer } from '../../initializers/initializer.js';
import { convOutputLength, fmtSymShape, normalizeDataFormat, normalizePadding, normalizeTuple, zDataFormatArg, zIntOrList, zPaddingArg, type PaddingMode } from './conv-utils.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasShapeError, KerasValueError } from '../../errors.js';

const BaseConvArgs = z.looseObject({
  /** The window size: one integer for every spatial axis, or one per axis. */
  kernelSize: zIntOrList,
  /** The step of the window (default 1); strides > 1 cannot be combined with dilationRate > 1. */
  strides: zIntOrList.default(1),
  /** 'valid' (default), 'same' (TF: any extra padding at the end), or 'causal' (Conv1D, SeparableConv1D). */
  padding: zPaddingArg.default('valid'),
  /** Only 'channels_last' (the default) is supported. */
  dataFormat: zDataFormatArg,
  /** The spacing of the kernel taps (default 1). */
  dilationRate: zIntOrList.default(1),
  activation: zActivationArg,
  useBias: z.boolean().default(true),
  biasInitializer: zOptionalIdentifier,
  biasRegularizer: zOptionalIdentifier,
  activityRegularizer: zOptionalIdentifier,
  biasConstraint: zOptionalIdentifier,
});

/** The arguments every convolution layer takes (camelCase; the config uses snake_case). */
export interface BaseConvArgs extends LayerArgs, z.input<typeof BaseConvArgs> {}

/**
 * The base of the convolution layers (Conv, ConvTranspose, DepthwiseConv, SeparableConv): the
 * window arguments, the bias and the activation. Channels-last only: inputs are
 * [batch, ...spatial, channels].
 */
export abstract class BaseConv extends Layer {
  static override readonly argsSchema: ArgsDeclaration = BaseConvArgs;
  /** The number of spatial axes (1, 2 or 3). */
  readonly rank: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: PaddingMode;
  readonly dataFormat = 'channels_last' as const;
  readonly dilationRate: number[];
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly biasInitializer: Initializer;
  readonly biasRegularizer;
  readonly biasConstraint;
  bias: Variable | null = null;

  constructor(rank: number, args: BaseConvArgs, allowCausal = false) {
    super(args);
    const what = this.label;
    const a = parseArgs(BaseConvArgs, args, what);
    this.rank = rank;
    this.kernelSize = normalizeTuple(a.kernelSize, rank, 'kernelSize', what);
    this.strides = normalizeTuple(a.strides, rank, 'strides', what);
    this.padding = normalizePadding(a.padding, allowCausal ? ['valid', 'same', 'causal'] : ['valid', 'same'], what);
    normalizeDataFormat(a.dataFormat, what);
    this.dilationRate = normalizeTuple(a.dilationRate, rank, 'dilationRate', what);
    if (this.strides.some((s) => s > 1) && this.dilationRate.some((d) => d > 1)) {
      throw new KerasValueError(
        `${what}: arguments 'strides' = [${this.strides}] and 'dilationRate' = [${this.dilationRate}]: strides > 1 cannot be combined with dilation_rate > 1`,
      );
    }
    this.activation = toActivation(a.activation as string | null);
    this.useBias = a.useBias;
    this.biasInitializer = toInitializer(a.biasInitializer, 'zeros');
    this.biasRegularizer = toRegularizer(a.biasRegularizer);
    this.activityRegularizer = toRegularizer(a.activityRegularizer);
    this.biasConstraint = toConstraint(a.biasConstraint);
  }

  /** The number of output channels for a number of input channels. */
  protected abstract outputChannels(inputChannels: number): number;

  /** The output spatial sizes for input spatial sizes (null for an unknown size). */
  protected spatialOutputShape(spatial: SymbolicShape): (number | null)[] {
    return spatial.map((n, i) => convOutputLength(n, this.kernelSize[i], this.padding, this.strides[i], this.dilationRate[i]));
  }

  /** The input rank the layer takes; `Conv` also takes extra leading batch axes. */
  protected acceptsRank(rank: number): boolean {
    return rank === this.rank + 2;
  }

  private rankText(): string {
    return `rank ${this.rank + 2} ([batch, ${this.rank === 1 ? 'steps' : this.rank === 2 ? 'rows, cols' : 'dim1, dim2, dim3'}, channels])`;
  }

  /**
   * Checks an input shape at build time and gives its channel count: the rank, a known channel
   * axis, and output spatial sizes that are all positive.
   */
  protected checkBuildShape(inputShape: InputShape): number {
    const shape = inputShape as SymbolicShape;
    if (Array.isArray(shape[0])) throw new KerasValueError(`${this.label} takes one input, got a list of ${shape.length} shapes`);
    if (!this.acceptsRank(shape.length)) throw new KerasShapeError(`${this.label} expects inputs of ${this.rankText()}, got shape ${fmtSymShape(shape)}`);
    const channels = shape.at(-1);
    if (typeof channels !== 'number') {
      throw new KerasShapeError(`${this.label}: the channel axis (the last) of the input must be known, got shape ${fmtSymShape(shape)}`);
    }
    const out = this.spatialOutputShape(shape.slice(-this.rank - 1, -1));
    if (out.some((d) => d !== null && d <= 0)) {
      throw new KerasShapeError(
        `${this.label}: one of the dimensions in the output is <= 0 (output spatial shape ${fmtSymShape(out)}) for input shape ${fmtSymShape(shape)} ` +
          `with kernel_size [${this.kernelSize}], strides [${this.strides}], dilation_rate [${this.dilationRate}] and padding '${this.padding}'; consider increasing the input size`,
      );
    }
    return channels;
  }

  /** Checks an input at call time against the channel count the layer was built for. */
  protected checkCallInput(x: Sym, channels: number): void {
    if (!this.acceptsRank(x.rank) || x.shape.at(-1) !== channels) {
      throw new KerasShapeError(`${this.label} was built for inputs of ${this.rankText()} with ${channels} channel(s), got shape ${fmtSymShape(x.shape)}`);
    }
    const out = this.spatialOutputShape(x.shape.slice(-this.rank - 1, -1));
    if (out.some((d) => d !== null && d <= 0)) {
      throw new KerasShapeError(
        `${this.label}: one of the dimensions in the output is <= 0 (output spatial shape ${fmtSymShape(out)}) for input shape ${fmtSymShape(x.shape)}; consider increasing the input size`,
      );
    }
  }

  /** Adds the bias (when used) and applies the activation. */
  protected finish(y: Sym): Sym {
    const out = this.bias ? ops.add(y, this.bias.read()) : y;
    return this.activation(out);
  }

  /** Adds the bias weight of `n` units when the layer uses one. */
  protected addBias(n: number): void {
    if (this.useBias) {
      this.bias = this.addWeight({ name: 'bias', shape: [n], initializer: this.biasInitializer, regularizer: this.biasRegularizer, constraint: this.biasConstraint });
    }
  }

  override computeOutputShape(inputShape: InputShape): SymbolicShape {
    const shape = inputShape as SymbolicShape;
    if (!this.acceptsRank(shape.length)) throw new KerasShapeError(`${this.label} expects inputs of ${this.rankText()}, got shape ${fmtSymShape(shape)}`);
    const c = shape.at(-1);
    const lead = shape.slice(0, -this.rank - 1);
    return [...lead, ...this.spatialOutputShape(shape.slice(-this.rank - 1, -1)), c === null || c === undefined ? null : this.outputChannels(c)];
  }

  /** The window arguments in Keras' config order: kernel_size, strides, padding, data_format. */
  protected windowConfig(): Record<string, unknown> {
    return { kernel_size: [...this.kernelSize], strides: [...this.strides], padding: this.padding, data_format: this.dataFormat };
  }

  protected get serializedActivation(): string {
    return serializeActivation(this.activation);
  }

  protected get serializedBiasInitializer() {
    return serialize(this.biasInitializer);
  }

  protected get serializedBiasRegularizer() {
    return serializeOptional(this.biasRegularizer);
  }

  protected get serializedActivityRegularizer() {
    return serializeOptional(this.activityRegularizer);
  }

  protected get serializedBiasConstraint() {
    return serializeOptional(this.biasConstraint);
  }
}
