import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { parseArgs, type CallContext, type InputShape } from '../../engine/layer.js';
import { cellConfig, resolveCommon, zCellCommon, zUnits, type CellCommonArgs, type ResolvedCommon } from './cell-args.js';
import { RecurrentCell } from './recurrent-cell.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasValueError } from '../../errors.js';

const Args = z.looseObject({
  /** Size of the output and of the state. */
  units: zUnits,
  ...zCellCommon,
});

/** The arguments of {@link SimpleRNNCell}. */
export interface SimpleRNNCellArgs extends CellCommonArgs, z.input<typeof Args> {}

/**
 * One step of a fully connected RNN: `h = activation(x·kernel + bias + h_prev·recurrent_kernel)`.
 * Weights: kernel [input, units], recurrent_kernel [units, units], bias [units].
 *
 * @example
 * const rnn = new RNN({ cell: new SimpleRNNCell({ units: 4 }) });
 */
export class SimpleRNNCell extends RecurrentCell {
  static override readonly className = 'SimpleRNNCell';
  static override readonly argsSchema: ArgsDeclaration = Args;
  readonly units: number;
  readonly opts: ResolvedCommon;

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

  override build(inputShape: InputShape): void {
    const inDim = this.lastInputDim(inputShape);
    this.addCellWeights([inDim, this.units], [this.units, this.units], [this.units]);
  }

  override call(inputs: Sym | Sym[], ctx: CallContext): Sym[] {
    const [x, hPrev] = inputs as Sym[];
    if (!hPrev) throw new KerasValueError(`${this.label} is called on [x, state]; got ${Array.isArray(inputs) ? inputs.length : 1} tensor(s)`);
    const [dp, rdp] = this.dropoutMasks(x, hPrev, 1, ctx.training);
    let h = ops.matmul(dp ? ops.mul(x, dp[0]) : x, this.kernel.read());
    if (this.bias) h = ops.add(h, this.bias.read());
    const prev = rdp ? ops.mul(hPrev, rdp[0]) : hPrev;
    const out = this.opts.activation(ops.add(h, ops.matmul(prev, this.recurrentKernel.read())));
    return [out, out];
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), units: this.units, ...cellConfig(this.opts) };
  }
}
