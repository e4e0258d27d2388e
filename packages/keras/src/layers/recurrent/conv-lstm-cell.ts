import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import type { ActivationFn } from '../../activations/activation.js';
import { toActivation, zActivationArg } from '../../arguments/layer-arguments.js';
import { parseArgs, type CallContext, type InputShape } from '../../engine/layer.js';
import { cellConfig, resolveCommon, zCellCommon, type CellCommonArgs, type ResolvedCommon } from './cell-args.js';
import { RecurrentCell } from './recurrent-cell.js';
import { convOutputLength, firstShape, fmtSymShape } from './rnn-utils.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasShapeError, KerasStateError, KerasValueError } from '../../errors.js';

const zIntTuple = z.union([z.number().int().positive(), z.array(z.number().int().positive())]);

/** The arguments of {@link ConvLSTMCell} (the ConvLSTM layers read them too, but `rank`). */
export const ConvLSTMCellArgsSchema = z.looseObject({
  /** Number of spatial dimensions: 1, 2 or 3. */
  rank: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  /** Number of output channels. */
  filters: z.number().int().positive(),
  kernelSize: zIntTuple,
  strides: zIntTuple.default(1),
  /** 'valid' (default) or 'same' for the input convolution; the recurrent one is always 'same'. */
  padding: z
    .string()
    .transform((s) => s.toLowerCase())
    .pipe(z.enum(['valid', 'same'], { message: "expected 'valid' or 'same'" }))
    .default('valid'),
  /** 'channels_last' (default) or 'channels_first'. */
  dataFormat: z.enum(['channels_last', 'channels_first']).nullable().optional(),
  dilationRate: zIntTuple.default(1),
  ...zCellCommon,
  /** The gates' activation (Keras 2 default for ConvLSTM: 'hard_sigmoid', clip(0.2x + 0.5, 0, 1)). */
  recurrentActivation: zActivationArg,
  unitForgetBias: z.boolean().default(true),
});
const Args = ConvLSTMCellArgsSchema;

/** The arguments of {@link ConvLSTMCell}. */
export interface ConvLSTMCellArgs extends CellCommonArgs, z.input<typeof ConvLSTMCellArgsSchema> {}

function tuple(v: number | readonly number[], rank: number, what: string, label: string): number[] {
  const t = typeof v === 'number' ? new Array<number>(rank).fill(v) : [...v];
  if (t.length !== rank) throw new KerasValueError(`${label}: argument '${what}' got ${JSON.stringify(v)}: expected ${rank} integer(s)`);
  return t;
}

/**
 * One step of a convolutional LSTM (Shi et al. 2015): an LSTM whose products are
 * convolutions. Gates i, f, c, o along the kernels' last axis: kernel [...kernelSize, channels,
 * 4*filters], recurrent_kernel [...kernelSize, filters, 4*filters], bias [4*filters]. The input
 * convolution uses `strides`, `padding` and `dilationRate`; the recurrent one stride 1, 'same'.
 *
 * @example
 * const cell = new ConvLSTMCell({ rank: 2, filters: 4, kernelSize: 3, padding: 'same' });
 */
export class ConvLSTMCell extends RecurrentCell {
  static override readonly className = 'ConvLSTMCell';
  static override readonly argsSchema: ArgsDeclaration = Args;
  readonly rank: 1 | 2 | 3;
  readonly filters: number;
  readonly kernelSize: number[];
  readonly strides: number[];
  readonly padding: 'valid' | 'same';
  readonly dataFormat: 'channels_last' | 'channels_first';
  readonly dilationRate: number[];
  readonly opts: ResolvedCommon;
  readonly recurrentActivation: ActivationFn;
  readonly unitForgetBias: boolean;
  private outSpatial: number[] | null = null;

  constructor(args: ConvLSTMCellArgs) {
    super(args);
    const a = parseArgs(Args, args, this.label);
    this.rank = a.rank;
    this.filters = a.filters;
    this.kernelSize = tuple(a.kernelSize, a.rank, 'kernel_size', this.label);
    this.strides = tuple(a.strides, a.rank, 'strides', this.label);
    this.padding = a.padding;
    this.dataFormat = a.dataFormat ?? 'channels_last';
    this.dilationRate = tuple(a.dilationRate, a.rank, 'dilation_rate', this.label);
    if (this.strides.some((s) => s > 1) && this.dilationRate.some((d) => d > 1)) {
      throw new KerasValueError(`${this.label}: strides ${JSON.stringify(this.strides)} > 1 cannot be combined with dilation_rate ${JSON.stringify(this.dilationRate)} > 1`);
    }
    this.opts = resolveCommon(a, 'tanh');
    this.recurrentActivation = toActivation(a.recurrentActivation === undefined ? 'hard_sigmoid' : (a.recurrentActivation as string | null));
    this.unitForgetBias = a.unitForgetBias;
  }

  /** [h, c], each [...outputSpatial, filters] (channels_last) once built. */
  get stateSize(): number[][] {
    if (!this.outSpatial) throw new KerasStateError(`${this.label}: the state size is known once the cell is built for an input shape`);
    const s = this.dataFormat === 'channels_last' ? [...this.outSpatial, this.filters] : [this.filters, ...this.outSpatial];
    return [s, [...s]];
  }

  get outputSize(): number[] {
    return this.stateSize[0];
  }

  override build(inputShape: InputShape): void {
    const shape = firstShape(inputShape);
    if (shape.length !== this.rank + 2) {
      throw new KerasShapeError(`${this.label} expects step inputs of rank ${this.rank + 2} ([batch, ...spatial, channels]), got shape ${fmtSymShape(shape)}`);
    }
    const last = this.dataFormat === 'channels_last';
    const channels = last ? shape.at(-1) : shape[1];
    const spatial = last ? shape.slice(1, -1) : shape.slice(2);
    if (typeof channels !== 'number') throw new KerasShapeError(`${this.label}: the channel axis of the input must be known, got shape ${fmtSymShape(shape)}`);
    if (spatial.some((d) => d === null)) throw new KerasShapeError(`${this.label}: the spatial dimensions of the input must be known, got shape ${fmtSymShape(shape)}`);
    this.outSpatial = (spatial as number[]).map((n, i) => convOutputLength(n, this.kernelSize[i], this.padding, this.strides[i], this.dilationRate[i]));
    if (this.outSpatial.some((n) => n <= 0)) {
      throw new KerasShapeError(`${this.label}: input shape ${fmtSymShape(shape)} is too small for kernel_size ${JSON.stringify(this.kernelSize)} with padding '${this.padding}'`);
    }
    const f = this.filters;
    this.addCellWeights([...this.kernelSize, channels, 4 * f], [...this.kernelSize, f, 4 * f], [4 * f], this.unitForgetBias ? f : null);
  }

  /** channels_first <-> channels_last permutations of a [batch, ...] tensor of this rank. */
  private toLast(x: Sym): Sym {
    return this.dataFormat === 'channels_last' ? x : ops.transpose(x, [0, ...Array.from({ length: this.rank }, (_, i) => i + 2), 1]);
  }

  private toFirst(x: Sym): Sym {
    return this.dataFormat === 'channels_last' ? x : ops.transpose(x, [0, this.rank + 1, ...Array.from({ length: this.rank }, (_, i) => i + 1)]);
  }

  override call(inputs: Sym | Sym[], ctx: CallContext): Sym[] {
    const [x0, h0, c0] = inputs as Sym[];
    if (!c0) throw new KerasValueError(`${this.label} is called on [x, h, c]; got ${Array.isArray(inputs) ? inputs.length : 1} tensor(s)`);
    const o = this.opts;
    const [dp, rdp] = this.dropoutMasks(x0, h0, 4, ctx.training);
    const x = this.toLast(x0);
    const hPrev = this.toLast(h0);
    const cPrev = this.toLast(c0);
    const kernel = this.kernel.read();
    const rk = this.recurrentKernel.read();
    const bias = this.bias?.read() ?? null;
    const inConv = (v: Sym, k: Sym) => ops.conv(v, k, { strides: this.strides, dilations: this.dilationRate, padding: this.padding });
    const recConv = (v: Sym, k: Sym) => ops.conv(v, k, { padding: 'same' });
    let zs: Sym[];
    if (!dp && !rdp) {
      let zx = inConv(x, kernel);
      if (bias) zx = ops.add(zx, bias);
      zs = ops.split(ops.add(zx, recConv(hPrev, rk)), 4, -1);
    } else {
      const ks = ops.split(kernel, 4, -1);
      const rks = ops.split(rk, 4, -1);
      const bs = bias ? ops.split(bias, 4, 0) : null;
      zs = [0, 1, 2, 3].map((g) => {
        let xg = inConv(dp ? this.toLast(ops.mul(x0, dp[g])) : x, ks[g]);
        if (bs) xg = ops.add(xg, bs[g]);
        return ops.add(xg, recConv(rdp ? this.toLast(ops.mul(h0, rdp[g])) : hPrev, rks[g]));
      });
    }
    const i = this.recurrentActivation(zs[0]);
    const f = this.recurrentActivation(zs[1]);
    const c = ops.add(ops.mul(f, cPrev), ops.mul(i, o.activation(zs[2])));
    const og = this.recurrentActivation(zs[3]);
    const h = this.toFirst(ops.mul(og, o.activation(c)));
    return [h, h, this.toFirst(c)];
  }

  override getConfig(): Record<string, unknown> {
    return {
      ...super.getConfig(),
      rank: this.rank,
      filters: this.filters,
      kernel_size: [...this.kernelSize],
      strides: [...this.strides],
      padding: this.padding,
      data_format: this.dataFormat,
      dilation_rate: [...this.dilationRate],
      ...cellConfig(this.opts, { recurrentActivation: this.recurrentActivation, unitForgetBias: this.unitForgetBias }),
    };
  }
}
