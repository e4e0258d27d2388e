import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { parseArgs } from '../../engine/layer.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { GaussianLayer, type GaussianLayerArgs } from './gaussian-layer.js';

/** The arguments of `GaussianDropout` (each is documented on its schema, `GaussianDropoutArgs`). */
export interface GaussianDropoutArgs extends GaussianLayerArgs, z.input<typeof GaussianDropoutArgs> {}

const GaussianDropoutArgs = z.looseObject({
  /** Drop probability: the noise has stddev sqrt(rate / (1 - rate)). */
  rate: z.number().min(0).max(1),
});

/**
 * Multiplies by Gaussian noise of mean 1 and stddev `sqrt(rate / (1 - rate))` in training; the
 * identity in inference (and for a rate of 0 or 1).
 *
 * @example
 * const layer = new GaussianDropout({ rate: 0.2 });
 */
export class GaussianDropout extends GaussianLayer {
  static override readonly className = 'GaussianDropout';
  static override readonly argsSchema: ArgsDeclaration = GaussianDropoutArgs;
  readonly rate: number;

  constructor(args: GaussianDropoutArgs) {
    super(args);
    this.rate = parseArgs(GaussianDropoutArgs, args, this.label).rate;
  }

  protected override noise(): { mean: number; stddev: number } | null {
    return this.rate > 0 && this.rate < 1 ? { mean: 1, stddev: Math.sqrt(this.rate / (1 - this.rate)) } : null;
  }

  protected override combine(x: Sym, noise: Sym): Sym {
    return ops.mul(x, noise);
  }

  protected override noiseConfig(): Record<string, unknown> {
    return { rate: this.rate };
  }
}
