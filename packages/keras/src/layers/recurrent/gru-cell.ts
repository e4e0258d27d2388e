import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import type { ActivationFn } from '../../activations/activation.js';
import { toActivation, zActivationArg } from '../../arguments/layer-arguments.js';
import { parseArgs, type CallContext, type InputShape } from '../../engine/layer.js';
import { cellConfig, resolveCommon, zCellCommon, zImplementation, zUnits, type CellCommonArgs, type ResolvedCommon } from './cell-args.js';
import { RecurrentCell } from './recurrent-cell.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasValueError } from '../../errors.js';

/** The arguments of a GRU cell (the GRU layer reads them too). */
export const zGRUCellArgs = {
  /** Size of the output and of the state. */
  units: zUnits,
  ...zCellCommon,
  /** The gates' activation (default 'sigmoid'; Keras 2's 'hard_sigmoid' is clip(0.2x + 0.5, 0, 1)). */
  recurrentActivation: zActivationArg,
  /** 1: one product per gate (used with dropout); 2 (default): fused products. Same result without dropout. */
  implementation: zImplementation,
  /**
   * Apply the reset gate after the recurrent product (default true, cuDNN-compatible; the bias
   * is then [2, 3*units]: input bias and recurrent bias) or before it (bias [3*units]).
   */
  resetAfter: z.boolean().default(true),
};

const Args = z.looseObject(zGRUCellArgs);

/** The arguments of {@link GRUCell}. */
export interface GRUCellArgs extends CellCommonArgs, z.input<typeof Args> {}

/**
 * One step of a GRU (Cho et al. 2014). Gates in Keras' order z (update), r (reset), h:
 * `h = z*h_prev + (1-z)*hh`. Weights: kernel [input, 3*units], recurrent_kernel [units, 3*units],
 * bias [2, 3*units] with `resetAfter` (the default) or [3*units].
 *
 * @example
 * const rnn = new RNN({ cell: new GRUCell({ units: 4, resetAfter: false }) });
 */
export class GRUCell extends RecurrentCell {
  static override readonly className = 'GRUCell';
  static override readonly argsSchema: ArgsDeclaration = Args;
  readonly units: number;
  readonly opts: ResolvedCommon;
  readonly recurrentActivation: ActivationFn;
  readonly implementation: 1 | 2;
  readonly resetAfter: boolean;

  constructor(args: GRUCellArgs) {
    super(args);
    const a = parseArgs(Args, args, this.label);
    this.units = a.units;
    this.opts = resolveCommon(a, 'tanh');
    this.recurrentActivation = toActivation(a.recurrentActivation === undefined ? 'sigmoid' : (a.recurrentActivation as string | null));
    this.implementation = a.implementation === 2 && this.opts.recurrentDropout === 0 ? 2 : 1;
    this.resetAfter = a.resetAfter;
  }

  get stateSize(): number {
    return this.units;
  }

  get outputSize(): number {
    return this.units;
  }

  override build(inputShape: InputShape): void {
    const inDim = this.lastInputDim(inputShape);
    const u = this.units;
    this.addCellWeights([inDim, 3 * u], [u, 3 * u], this.resetAfter ? [2, 3 * u] : [3 * u]);
  }

  override call(inputs: Sym | Sym[], ctx: CallContext): Sym[] {
    const [x, hPrev] = inputs as Sym[];
    if (!hPrev) throw new KerasValueError(`${this.label} is called on [x, state]; got ${Array.isArray(inputs) ? inputs.length : 1} tensor(s)`);
    const o = this.opts;
    const u = this.units;
    const [dp, rdp] = this.dropoutMasks(x, hPrev, 3, ctx.training);
    const kernel = this.kernel.read();
    const rk = this.recurrentKernel.read();
    let inBias: Sym | null = null;
    let recBias: Sym | null = null;
    if (this.bias) {
      const b = this.bias.read();
      if (this.resetAfter) {
        inBias = ops.reshape(ops.slice(b, [0, 0], [1, 3 * u]), [3 * u]);
        recBias = ops.reshape(ops.slice(b, [1, 0], [1, 3 * u]), [3 * u]);
      } else inBias = b;
    }
    let xz: Sym, xr: Sym, xh: Sym, rz: Sym, rr: Sym;
    let rh: Sym | null = null;
    if (this.implementation === 2) {
      let mx = ops.matmul(dp ? ops.mul(x, dp[0]) : x, kernel);
      if (inBias) mx = ops.add(mx, inBias);
      [xz, xr, xh] = ops.split(mx, 3, 1);
      if (this.resetAfter) {
        let mi = ops.matmul(hPrev, rk);
        if (recBias) mi = ops.add(mi, recBias);
        [rz, rr, rh] = ops.split(mi, 3, 1);
      } else {
        [rz, rr] = ops.split(ops.matmul(hPrev, ops.slice(rk, [0, 0], [u, 2 * u])), 2, 1);
      }
    } else {
      const ks = ops.split(kernel, 3, 1);
      const bs = inBias ? ops.split(inBias, 3, 0) : null;
      [xz, xr, xh] = [0, 1, 2].map((g) => {
        const v = ops.matmul(dp ? ops.mul(x, dp[g]) : x, ks[g]);
        return bs ? ops.add(v, bs[g]) : v;
      });
      const rks = ops.split(rk, 3, 1);
      const rbs = recBias ? ops.split(recBias, 3, 0) : null;
      const hg = (g: number) => (rdp ? ops.mul(hPrev, rdp[g]) : hPrev);
      [rz, rr] = [0, 1].map((g) => {
        const v = ops.matmul(hg(g), rks[g]);
        return rbs ? ops.add(v, rbs[g]) : v;
      });
      if (this.resetAfter) {
        rh = ops.matmul(hg(2), rks[2]);
        if (rbs) rh = ops.add(rh, rbs[2]);
      }
    }
    const z = this.recurrentActivation(ops.add(xz, rz));
    const r = this.recurrentActivation(ops.add(xr, rr));
    let recH: Sym;
    if (this.resetAfter) recH = ops.mul(r, rh!);
    else {
      const hIn = this.implementation === 1 && rdp ? ops.mul(hPrev, rdp[2]) : hPrev;
      recH = ops.matmul(ops.mul(r, hIn), ops.slice(rk, [0, 2 * u], [u, u]));
    }
    const hh = o.activation(ops.add(xh, recH));
    const h = ops.add(ops.mul(z, hPrev), ops.mul(ops.sub(1, z), hh));
    return [h, h];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      units: this.units,
      ...cellConfig(this.opts, { recurrentActivation: this.recurrentActivation }),
      implementation: this.implementation,
      reset_after: this.resetAfter,
    };
  }
}
