import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass } from '../../config/serialization';
import { Layer, parseArgs, type CallContext, type InputShape } from '../../engine/layer';
import type { Variable } from '../../engine/variable';
import { activationName, constraintConfig, initConfig, regConfig, resolveCommon, zCellCommon, zUnits, type CellCommonArgs, type ResolvedCommon } from './cell-args';
import { DropoutMasks, firstShape, fmtSymShape, type RNNCellLike } from './rnn-utils';

const Args = z.looseObject({ units: zUnits, ...zCellCommon });

export interface SimpleRNNCellArgs extends CellCommonArgs {
  /** Size of the output and of the state. */
  units: number;
}

/**
 * One step of a fully connected RNN: `h = activation(x·kernel + bias + h_prev·recurrent_kernel)`.
 * Weights: kernel [input, units], recurrent_kernel [units, units], bias [units].
 *
 * @example
 * const rnn = new RNN({ cell: new SimpleRNNCell({ units: 4 }) });
 */
export class SimpleRNNCell extends Layer implements RNNCellLike {
  static override readonly className = 'SimpleRNNCell';
  readonly units: number;
  readonly opts: ResolvedCommon;
  kernel!: Variable;
  recurrentKernel!: Variable;
  bias: Variable | null = null;
  private readonly masks = new DropoutMasks();

  constructor(args: SimpleRNNCellArgs) {
    super(args);
    const a = parseArgs(Args, args, this.label);
    this.units = a.units;
    this.opts = resolveCommon(a, 'tanh');
  }

  get stateSize(): number {
    return this.units;
  }

  get outputSize(): number {
    return this.units;
  }

  resetDropoutMasks(): void {
    this.masks.reset();
  }

  override build(inputShape: InputShape): void {
    const shape = firstShape(inputShape);
    const inDim = shape.at(-1);
    if (typeof inDim !== 'number') throw new Error(`${this.label}: the last axis of the input must be known, got shape ${fmtSymShape(shape)}`);
    const o = this.opts;
    this.kernel = this.addWeight({ name: 'kernel', shape: [inDim, this.units], initializer: o.kernelInitializer, regularizer: o.kernelRegularizer, constraint: o.kernelConstraint });
    this.recurrentKernel = this.addWeight({
      name: 'recurrent_kernel',
      shape: [this.units, this.units],
      initializer: o.recurrentInitializer,
      regularizer: o.recurrentRegularizer,
      constraint: o.recurrentConstraint,
    });
    if (o.useBias) this.bias = this.addWeight({ name: 'bias', shape: [this.units], initializer: o.biasInitializer, regularizer: o.biasRegularizer, constraint: o.biasConstraint });
  }

  override call(inputs: Sym | Sym[], ctx: CallContext): Sym[] {
    const [x, hPrev] = inputs as Sym[];
    if (!hPrev) throw new Error(`${this.label} is called on [x, state]; got ${Array.isArray(inputs) ? inputs.length : 1} tensor(s)`);
    const dp = this.masks.get('input', x, this.opts.dropout, 1, ctx.training);
    const rdp = this.masks.get('recurrent', hPrev, this.opts.recurrentDropout, 1, ctx.training);
    let h = ops.matmul(dp ? ops.mul(x, dp[0]) : x, this.kernel.read());
    if (this.bias) h = ops.add(h, this.bias.read());
    const prev = rdp ? ops.mul(hPrev, rdp[0]) : hPrev;
    const out = this.opts.activation(ops.add(h, ops.matmul(prev, this.recurrentKernel.read())));
    return [out, out];
  }

  override getConfig(): Record<string, unknown> {
    const o = this.opts;
    return {
      ...super.getConfig(),
      units: this.units,
      activation: activationName(o.activation),
      use_bias: o.useBias,
      ...initConfig(o),
      ...regConfig(o),
      ...constraintConfig(o),
      dropout: o.dropout,
      recurrent_dropout: o.recurrentDropout,
    };
  }
}

registerClass('layer', SimpleRNNCell);
