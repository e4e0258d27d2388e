import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { Layer, parseArgs, type CallContext, type LayerArgs } from '../../engine/layer.js';
import { randomSeed } from '../core/utils.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';

/** The arguments of `GaussianNoise` (each is documented on its schema, `GaussianNoiseArgs`). */
export interface GaussianNoiseArgs extends LayerArgs, z.input<typeof GaussianNoiseArgs> {}

const GaussianNoiseArgs = z.looseObject({
  /** Standard deviation of the noise. */
  stddev: z.number().nonnegative(),
  seed: z.number().int().nullable().optional(),
});

/**
 * Adds zero-centered Gaussian noise in training (a regularizer); the identity in inference.
 *
 * @example
 * const layer = new GaussianNoise({ stddev: 0.1 });
 */
export class GaussianNoise extends Layer {
  static override readonly className = 'GaussianNoise';
  static override readonly argsSchema: ArgsDeclaration = GaussianNoiseArgs;
  readonly stddev: number;
  readonly seed: number | null;

  constructor(args: GaussianNoiseArgs) {
    super(args);
    const a = parseArgs(GaussianNoiseArgs, args, `GaussianNoise '${this.name}'`);
    this.stddev = a.stddev;
    this.seed = a.seed ?? null;
    this.supportsMasking = true;
  }

  override call(inputs: Sym | Sym[], ctx: CallContext): Sym {
    const x = inputs as Sym;
    if (!ctx.training) return x;
    return ops.add(x, ops.randomNormal(x.graph, x.shape, randomSeed(this.label, this.seed), 0, this.stddev));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), stddev: this.stddev, seed: this.seed };
  }
}
