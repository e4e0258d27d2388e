import { ops, type Sym } from '@keras-ts/spec';
import type { Serializable } from '../../serialization/registry.js';
import { Layer, type InputShape, type LayerArgs, type WeightInitializer } from '../../engine/layer.js';
import type { SymbolicShape } from '../../engine/keras-tensor.js';
import type { Variable, VariableConstraint, VariableRegularizer } from '../../engine/variable.js';
import { KerasShapeError } from '../../errors.js';

export interface EinsumProjectionArgs extends LayerArgs {
  name: string;
  /** How many trailing input axes the kernel contracts (1 for query/key/value, 2 for the output). */
  contractedAxes: number;
  /** The trailing output dimensions the contracted axes are replaced by. */
  outputDims: readonly number[];
  useBias: boolean;
  kernelInitializer: WeightInitializer;
  biasInitializer: WeightInitializer;
  kernelRegularizer: (VariableRegularizer & Serializable) | null;
  biasRegularizer: (VariableRegularizer & Serializable) | null;
  activityRegularizer: (VariableRegularizer & Serializable) | null;
  kernelConstraint: (VariableConstraint & Serializable) | null;
  biasConstraint: (VariableConstraint & Serializable) | null;
}

/**
 * The dense projections inside {@link MultiHeadAttention}, as Keras' `EinsumDense` sublayers:
 * the last `contractedAxes` input axes are contracted with a kernel of shape
 * `[...contracted dims, ...outputDims]`, and a bias of shape `outputDims` is added. For example
 * the query projection maps `[B, T, dim]` to `[B, T, heads, key_dim]` with a kernel
 * `[dim, heads, key_dim]`. Internal: not registered for deserialization.
 *
 * @example
 * const query = new EinsumProjection({
 *   name: 'query', contractedAxes: 1, outputDims: [2, 3], useBias: true,
 *   kernelInitializer: new GlorotUniform(), biasInitializer: new Zeros(),
 *   kernelRegularizer: null, biasRegularizer: null, activityRegularizer: null, kernelConstraint: null, biasConstraint: null,
 * });
 * query.maybeBuild([null, 5, 4]); // kernel [4, 2, 3], bias [2, 3]
 */
export class EinsumProjection extends Layer {
  static override readonly className = 'EinsumDense';
  readonly contractedAxes: number;
  readonly outputDims: readonly number[];
  readonly useBias: boolean;
  private readonly opts: EinsumProjectionArgs;
  kernel!: Variable;
  bias: Variable | null = null;

  constructor(args: EinsumProjectionArgs) {
    super({ name: args.name });
    this.opts = args;
    this.contractedAxes = args.contractedAxes;
    this.outputDims = [...args.outputDims];
    this.useBias = args.useBias;
    this.activityRegularizer = args.activityRegularizer;
  }

  override build(inputShape: InputShape): void {
    const shape = inputShape as SymbolicShape;
    const contracted = shape.slice(shape.length - this.contractedAxes);
    if (shape.length <= this.contractedAxes || contracted.some((d) => typeof d !== 'number')) {
      throw new KerasShapeError(`${this.label}: the last ${this.contractedAxes} axes of the input must be known, got shape [${shape.map((d) => d ?? 'None').join(', ')}]`);
    }
    const o = this.opts;
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [...(contracted as number[]), ...this.outputDims],
      initializer: o.kernelInitializer,
      regularizer: o.kernelRegularizer,
      constraint: o.kernelConstraint,
    });
    if (this.useBias) this.bias = this.addWeight({ name: 'bias', shape: [...this.outputDims], initializer: o.biasInitializer, regularizer: o.biasRegularizer, constraint: o.biasConstraint });
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    const inDims = this.kernel.shape.slice(0, this.contractedAxes);
    const lead = x.shape.slice(0, x.rank - this.contractedAxes);
    if (x.rank <= this.contractedAxes || x.shape.slice(lead.length).some((d, i) => d !== inDims[i])) {
      throw new KerasShapeError(`${this.label} expects inputs ending in [${inDims.join(', ')}], got shape [${x.shape.join(', ')}]`);
    }
    const k = inDims.reduce((a, b) => a * b, 1);
    const n = this.outputDims.reduce((a, b) => a * b, 1);
    const flat = ops.matmul(ops.reshape(x, [-1, k]), ops.reshape(this.kernel.read(), [k, n]));
    let y = ops.reshape(flat, [...lead, ...this.outputDims]);
    if (this.bias) y = ops.add(y, this.bias.read());
    return y;
  }

  /** For messages and summaries only: the projection is rebuilt by its MultiHeadAttention. */
  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), output_shape: [...this.outputDims], use_bias: this.useBias };
  }
}
