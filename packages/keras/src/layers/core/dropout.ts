import { fmtShape, ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { Layer, parseArgs, type CallContext, type LayerArgs } from '../../engine/layer.js';
import { randomSeed } from './utils.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasShapeError } from '../../errors.js';

export const zRate = z.number().min(0, 'expected a rate between 0 and 1').max(1, 'expected a rate between 0 and 1');
export const zSeed = z.number().int().nullable().optional();

const DropoutArgs = z.looseObject({
  /** Fraction of the inputs to drop, in [0, 1]. */
  rate: zRate,
  /** Shape of the keep mask, broadcast over the input; `null` entries take the input's size. */
  noiseShape: z.array(z.number().int().positive().nullable()).nullable().optional(),
  seed: zSeed,
});

/** The arguments of `Dropout` (each is documented on its schema, `DropoutArgs`). */
export interface DropoutArgs extends LayerArgs, z.input<typeof DropoutArgs> {}

/**
 * Inverted dropout: in training, sets a fraction `rate` of the inputs to 0 and scales the others
 * by 1 / (1 - rate); in inference it is the identity.
 *
 * @example
 * const layer = new Dropout({ rate: 0.5 });
 * layer.apply(x, { training: true }); // about half the entries 0, the others doubled
 */
export class Dropout extends Layer {
  static override readonly className: string = 'Dropout';
  static override readonly argsSchema: ArgsDeclaration = DropoutArgs;
  readonly rate: number;
  readonly noiseShape: (number | null)[] | null;
  readonly seed: number | null;

  constructor(args: DropoutArgs) {
    super(args);
    const a = parseArgs(DropoutArgs, args, `${new.target.className} '${this.name}'`);
    this.rate = a.rate;
    this.noiseShape = a.noiseShape ? [...a.noiseShape] : null;
    this.seed = a.seed ?? null;
    this.supportsMasking = true;
  }

  /** The shape of the keep mask for an input (null: the input's shape). */
  protected noiseShapeFor(x: Sym): number[] {
    if (!this.noiseShape) return [...x.shape];
    if (this.noiseShape.length !== x.rank) {
      throw new KerasShapeError(`${this.label}: noise_shape [${this.noiseShape.map((d) => d ?? 'None').join(', ')}] has ${this.noiseShape.length} entries; the input of shape ${fmtShape(x.shape)} has rank ${x.rank}`);
    }
    return this.noiseShape.map((d, i) => {
      const n = d ?? x.shape[i];
      if (n !== 1 && n !== x.shape[i]) {
        throw new KerasShapeError(`${this.label}: noise_shape [${this.noiseShape!.map((v) => v ?? 'None').join(', ')}] does not broadcast to the input shape ${fmtShape(x.shape)} (axis ${i}: ${n} vs ${x.shape[i]})`);
      }
      return n;
    });
  }

  override call(inputs: Sym | Sym[], ctx: CallContext): Sym {
    const x = inputs as Sym;
    if (!ctx.training || this.rate === 0) return x;
    const shape = this.noiseShapeFor(x);
    if (this.rate === 1) return ops.mul(x, 0);
    const u = ops.randomUniform(x.graph, shape, randomSeed(this.label, this.seed));
    const keep = ops.cast(ops.greaterEqual(u, this.rate), x.dtype);
    return ops.mul(x, ops.mul(keep, 1 / (1 - this.rate)));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, noise_shape: this.noiseShape ? [...this.noiseShape] : null, seed: this.seed };
  }
}
