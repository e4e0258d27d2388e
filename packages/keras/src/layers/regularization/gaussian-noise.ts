import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { parseArgs } from '../../engine/layer.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { GaussianLayer, type GaussianLayerArgs } from './gaussian-layer.js';

/** The arguments of `GaussianNoise` (each is documented on its schema, `GaussianNoiseArgs`). */
export interface GaussianNoiseArgs extends GaussianLayerArgs, z.input<typeof GaussianNoiseArgs> {}

const GaussianNoiseArgs = z.looseObject({
  /** Standard deviation of the noise. */
  stddev: z.number().nonnegative(),
});

/**
 * Adds zero-centered Gaussian noise in training (a regularizer); the identity in inference.
 *
 * @example
 * const layer = new GaussianNoise({ stddev: 0.1 });
 */
export class GaussianNoise extends GaussianLayer {
  static override readonly className = 'GaussianNoise';
  static override readonly argsSchema: ArgsDeclaration = GaussianNoiseArgs;
  readonly stddev: number;

  constructor(args: GaussianNoiseArgs) {
    super(args);
    this.stddev = parseArgs(GaussianNoiseArgs, args, this.label).stddev;
  }

  protected override noise(): { mean: number; stddev: number } {
    return { mean: 0, stddev: this.stddev };
  }

  protected override combine(x: Sym, noise: Sym): Sym {
    return ops.add(x, noise);
  }

  protected override noiseConfig(): Record<string, unknown> {
    return { stddev: this.stddev };
  }
}
