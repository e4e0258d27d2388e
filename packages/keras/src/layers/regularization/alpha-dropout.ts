import { fmtShape, ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { Layer, parseArgs, type CallContext, type LayerArgs } from '../../engine/layer.js';
import { randomSeed } from '../core/utils.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasShapeError } from '../../errors.js';

const SELU_ALPHA = 1.6732632423543772848170429916717;
const SELU_SCALE = 1.0507009873554804934193349852946;

/** The arguments of `AlphaDropout` (each is documented on its schema, `AlphaDropoutArgs`). */
export interface AlphaDropoutArgs extends LayerArgs, z.input<typeof AlphaDropoutArgs> {}

const AlphaDropoutArgs = z.looseObject({
  /** Drop probability. */
  rate: z.number().min(0).max(1),
  /** Shape of the keep mask (broadcast over the input); default the input's shape. */
  noiseShape: z.array(z.number().int().positive().nullable()).nullable().optional(),
  seed: z.number().int().nullable().optional(),
});

/**
 * Dropout for self-normalizing networks (SELU): in training, dropped inputs are set to SELU's
 * negative saturation value and the result is affinely rescaled so that the mean and variance
 * are kept; the identity in inference (and for a rate of 0 or 1).
 *
 * @example
 * const layer = new AlphaDropout({ rate: 0.1 });
 */
export class AlphaDropout extends Layer {
  static override readonly className = 'AlphaDropout';
  static override readonly argsSchema: ArgsDeclaration = AlphaDropoutArgs;
  readonly rate: number;
  readonly noiseShape: (number | null)[] | null;
  readonly seed: number | null;

  constructor(args: AlphaDropoutArgs) {
    super(args);
    const a = parseArgs(
      AlphaDropoutArgs,
      args,
      `AlphaDropout '${this.name}'`,
    );
    this.rate = a.rate;
    this.noiseShape = a.noiseShape ? [...a.noiseShape] : null;
    this.seed = a.seed ?? null;
    this.supportsMasking = true;
  }

  override call(inputs: Sym | Sym[], ctx: CallContext): Sym {
    const x = inputs as Sym;
    const rate = this.rate;
    if (!ctx.training || !(rate > 0 && rate < 1)) return x;
    const shape = this.noiseShape ? this.noiseShape.map((d, i) => d ?? x.shape[i]) : [...x.shape];
    const ok = shape.length === x.rank && shape.every((d, i) => d === 1 || d === x.shape[i]);
    if (!ok) throw new KerasShapeError(`${this.label}: noise_shape ${JSON.stringify(this.noiseShape)} does not broadcast to the input shape ${fmtShape(x.shape)}`);
    const alphaP = -SELU_ALPHA * SELU_SCALE;
    const keep = ops.cast(ops.greaterEqual(ops.randomUniform(x.graph, shape, randomSeed(this.label, this.seed)), rate), x.dtype);
    const a = ((1 - rate) * (1 + rate * alphaP ** 2)) ** -0.5;
    const b = -a * alphaP * rate;
    // x where kept, alpha' where dropped; then a * . + b.
    const dropped = ops.add(ops.mul(x, keep), ops.mul(ops.sub(1, keep), alphaP));
    return ops.add(ops.mul(dropped, a), b);
  }

  /** Keras 2 writes `rate` and `seed`; `noise_shape` is added when one is set. */
  override getConfig(): Record<string, unknown> {
    const c: Record<string, unknown> = { ...super.getConfig(), rate: this.rate, seed: this.seed };
    if (this.noiseShape) c.noise_shape = [...this.noiseShape];
    return c;
  }
}
