import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import type { ActivationFn } from '../../activations/activation.js';
import { toActivation, zActivationArg } from '../../arguments/layer-arguments.js';
import { parseArgs, type CallContext, type InputShape } from '../../engine/layer.js';
import { cellConfig, resolveCommon, zCellCommon, zImplementation, zUnits, type CellCommonArgs, type ResolvedCommon } from './cell-args.js';
import { RecurrentCell } from './recurrent-cell.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasValueError } from '../../errors.js';

/** The arguments of an LSTM cell (the LSTM layer reads them too). */
export const zLSTMCellArgs = {
  /** Size of the output and of each state. */
  units: zUnits,
  ...zCellCommon,
  /** The gates' activation (default 'sigmoid'; Keras 2's 'hard_sigmoid' is clip(0.2x + 0.5, 0, 1)). */
  recurrentActivation: zActivationArg,
  /** Initialize the forget gate's bias to ones (default true). */
  unitForgetBias: z.boolean().default(true),
  /** 1: one product per gate (used with dropout); 2 (default): fused products. Same result without dropout. */
  implementation: zImplementation,
};

const Args = z.looseObject(zLSTMCellArgs);

/** The arguments of {@link LSTMCell}. */
export interface LSTMCellArgs extends CellCommonArgs, z.input<typeof Args> {}

/**
 * One step of an LSTM (Hochreiter 1997). Gates in Keras' order i, f, c, o:
 * `z = x·kernel + h·recurrent_kernel + bias`, `c = f*c_prev + i*act(z_c)`, `h = o*act(c)`.
 * Weights: kernel [input, 4*units], recurrent_kernel [units, 4*units], bias [4*units].
 * States: [h, c].
 *
 * @example
 * const rnn = new RNN({ cell: new LSTMCell({ units: 4 }), returnState: true });
 */
export class LSTMCell extends RecurrentCell {
  static override readonly className = 'LSTMCell';
  static override readonly argsSchema: ArgsDeclaration = Args;
  readonly units: number;
  readonly opts: ResolvedCommon;
  readonly recurrentActivation: ActivationFn;
  readonly unitForgetBias: boolean;
  readonly implementation: 1 | 2;

  constructor(args: LSTMCellArgs) {
    super(args);
    const a = parseArgs(Args, args, this.label);
    this.units = a.units;
    this.opts = resolveCommon(a, 'tanh');
    this.recurrentActivation = toActivation(a.recurrentActivation === undefined ? 'sigmoid' : (a.recurrentActivation as string | null));
    this.unitForgetBias = a.unitForgetBias;
    // Keras 2: implementation 0 means 1, and recurrent dropout forces 1.
    this.implementation = a.implementation === 2 && this.opts.recurrentDropout === 0 ? 2 : 1;
  }

  get stateSize(): number[] {
    return [this.units, this.units];
  }

  get outputSize(): number {
    return this.units;
  }

  override build(inputShape: InputShape): void {
    const inDim = this.lastInputDim(inputShape);
    const u = this.units;
    this.addCellWeights([inDim, 4 * u], [u, 4 * u], [4 * u], this.unitForgetBias ? u : null);
  }

  override call(inputs: Sym | Sym[], ctx: CallContext): Sym[] {
    const [x, hPrev, cPrev] = inputs as Sym[];
    if (!cPrev) throw new KerasValueError(`${this.label} is called on [x, h, c]; got ${Array.isArray(inputs) ? inputs.length : 1} tensor(s)`);
    const o = this.opts;
    const [dp, rdp] = this.dropoutMasks(x, hPrev, 4, ctx.training);
    const kernel = this.kernel.read();
    const rk = this.recurrentKernel.read();
    const bias = this.bias?.read() ?? null;
    let zs: Sym[];
    if (this.implementation === 2) {
      let z0 = ops.matmul(dp ? ops.mul(x, dp[0]) : x, kernel);
      z0 = ops.add(z0, ops.matmul(hPrev, rk));
      if (bias) z0 = ops.add(z0, bias);
      zs = ops.split(z0, 4, 1);
    } else {
      const ks = ops.split(kernel, 4, 1);
      const rks = ops.split(rk, 4, 1);
      const bs = bias ? ops.split(bias, 4, 0) : null;
      zs = [0, 1, 2, 3].map((g) => {
        let xg = ops.matmul(dp ? ops.mul(x, dp[g]) : x, ks[g]);
        if (bs) xg = ops.add(xg, bs[g]);
        return ops.add(xg, ops.matmul(rdp ? ops.mul(hPrev, rdp[g]) : hPrev, rks[g]));
      });
    }
    const i = this.recurrentActivation(zs[0]);
    const f = this.recurrentActivation(zs[1]);
    const c = ops.add(ops.mul(f, cPrev), ops.mul(i, o.activation(zs[2])));
    const og = this.recurrentActivation(zs[3]);
    const h = ops.mul(og, o.activation(c));
    return [h, h, c];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      ...cellConfig(this.opts, { recurrentActivation: this.recurrentActivation, unitForgetBias: this.unitForgetBias }),
      implementation: this.implementation,
    };
  }
}
