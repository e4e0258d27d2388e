import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { serializeActivation, type ActivationFn } from '../../activations/activation.js';
import { serializeOptional, toActivation, toConstraint, toInitializer, toRegularizer, zActivationArg, zOptionalIdentifier } from '../../arguments/layer-arguments.js';
import { serialize } from '../../serialization/registry.js';
import { Layer, parseArgs, type InputShape, type LayerArgs } from '../../engine/layer.js';
import type { SymbolicShape } from '../../engine/keras-tensor.js';
import type { Variable } from '../../engine/variable.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasShapeError } from '../../errors.js';

const DenseArgs = z.looseObject({
  units: z.number().int().positive(),
  activation: zActivationArg,
  useBias: z.boolean().default(true),
  kernelInitializer: zOptionalIdentifier,
  biasInitializer: zOptionalIdentifier,
  kernelRegularizer: zOptionalIdentifier,
  biasRegularizer: zOptionalIdentifier,
  activityRegularizer: zOptionalIdentifier,
  kernelConstraint: zOptionalIdentifier,
  biasConstraint: zOptionalIdentifier,
});

/** The arguments of `Dense` (each is documented on its schema, `DenseArgs`). */
export interface DenseArgs extends LayerArgs, z.input<typeof DenseArgs> {}

/**
 * A densely connected layer: `activation(dot(x, kernel) + bias)` over the last axis.
 *
 * @example
 * const layer = new Dense({ units: 4, activation: 'relu' });
 * const y = layer.apply(Input({ shape: [8] })); // KerasTensor [null, 4]
 */
export class Dense extends Layer {
  static override readonly className = 'Dense';
  static override readonly argsSchema: ArgsDeclaration = DenseArgs;
  readonly units: number;
  readonly activation: ActivationFn;
  readonly useBias: boolean;
  readonly kernelInitializer;
  readonly biasInitializer;
  readonly kernelRegularizer;
  readonly biasRegularizer;
  readonly kernelConstraint;
  readonly biasConstraint;
  kernel!: Variable;
  bias: Variable | null = null;

  constructor(args: DenseArgs) {
    super(args);
    const a = parseArgs(DenseArgs, args, `Dense '${this.name}'`);
    this.units = a.units;
    this.activation = toActivation(a.activation as string | null);
    this.useBias = a.useBias;
    this.kernelInitializer = toInitializer(a.kernelInitializer, 'glorot_uniform');
    this.biasInitializer = toInitializer(a.biasInitializer, 'zeros');
    this.kernelRegularizer = toRegularizer(a.kernelRegularizer);
    this.biasRegularizer = toRegularizer(a.biasRegularizer);
    this.activityRegularizer = toRegularizer(a.activityRegularizer);
    this.kernelConstraint = toConstraint(a.kernelConstraint);
    this.biasConstraint = toConstraint(a.biasConstraint);
    this.supportsMasking = true;
  }

  override build(inputShape: InputShape): void {
    const shape = inputShape as SymbolicShape;
    const inDim = shape.at(-1);
    if (typeof inDim !== 'number') throw new KerasShapeError(`${this.label}: the last axis of the input must be known, got shape [${shape.map((d) => d ?? 'None').join(', ')}]`);
    this.kernel = this.addWeight({ name: 'kernel', shape: [inDim, this.units], initializer: this.kernelInitializer, regularizer: this.kernelRegularizer, constraint: this.kernelConstraint });
    if (this.useBias) {
      this.bias = this.addWeight({ name: 'bias', shape: [this.units], initializer: this.biasInitializer, regularizer: this.biasRegularizer, constraint: this.biasConstraint });
    }
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    if (x.shape.at(-1) !== this.kernel.shape[0]) {
      throw new KerasShapeError(`${this.label} expects inputs whose last axis is ${this.kernel.shape[0]}, got shape [${x.shape.join(', ')}]`);
    }
    let y = x.rank === 2 ? ops.matmul(x, this.kernel.read()) : ops.reshape(ops.matmul(ops.reshape(x, [-1, this.kernel.shape[0]]), this.kernel.read()), [...x.shape.slice(0, -1), this.units]);
    if (this.bias) y = ops.add(y, this.bias.read());
    y = this.activation(y);
    return y;
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      activation: serializeActivation(this.activation),
      use_bias: this.useBias,
      kernel_initializer: serialize(this.kernelInitializer),
      bias_initializer: serialize(this.biasInitializer),
      kernel_regularizer: serializeOptional(this.kernelRegularizer),
      bias_regularizer: serializeOptional(this.biasRegularizer),
      activity_regularizer: serializeOptional(this.activityRegularizer),
      kernel_constraint: serializeOptional(this.kernelConstraint),
      bias_constraint: serializeOptional(this.biasConstraint),
    };
  }
}
