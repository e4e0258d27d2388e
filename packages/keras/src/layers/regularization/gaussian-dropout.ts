import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { Layer, parseArgs, type CallContext, type LayerArgs } from '../../engine/layer.js';
import { randomSeed } from '../core/utils.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of `GaussianDropout` (each is documented on its schema, `GaussianDropoutArgs`). */
export interface GaussianDropoutArgs extends LayerArgs, z.input<typeof GaussianDropoutArgs> {}

const GaussianDropoutArgs = z.looseObject({
  /** Drop probability: the noise has stddev sqrt(rate / (1 - rate)). */
  rate: z.number().min(0).max(1),
  seed: z.number().int().nullable().optional(),
});

/**
 * Multiplies by Gaussian noise of mean 1 and stddev `sqrt(rate / (1 - rate))` in training; the
 * identity in inference (and for a rate of 0 or 1).
 *
 * @example
 * const layer = new GaussianDropout({ rate: 0.2 });
 */
export class GaussianDropout extends Layer {
  static override readonly className = 'GaussianDropout';
  static override readonly argsSchema: ArgsDeclaration = GaussianDropoutArgs;
  readonly rate: number;
  readonly seed: number | null;

  constructor(args: GaussianDropoutArgs) {
    super(args);
    const a = parseArgs(GaussianDropoutArgs, args, `GaussianDropout '${this.name}'`);
    this.rate = a.rate;
    this.seed = a.seed ?? null;
    this.supportsMasking = true;
  }

  override call(inputs: Sym | Sym[], ctx: CallContext): Sym {
    const x = inputs as Sym;
    if (!ctx.training || !(this.rate > 0 && this.rate < 1)) return x;
    const stddev = Math.sqrt(this.rate / (1 - this.rate));
    return ops.mul(x, ops.randomNormal(x.graph, x.shape, randomSeed(this.label, this.seed), 1, stddev));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), rate: this.rate, seed: this.seed };
  }
}
