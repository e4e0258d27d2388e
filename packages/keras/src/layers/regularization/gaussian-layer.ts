import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { Layer, parseArgs, type CallContext, type LayerArgs } from '../../engine/layer.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { randomSeed } from '../core/utils.js';

/** The arguments of `GaussianNoise` and `GaussianDropout` (each is documented on its schema, `GaussianLayerArgs`). */
export interface GaussianLayerArgs extends LayerArgs, z.input<typeof GaussianLayerArgs> {}

const GaussianLayerArgs = z.looseObject({
  /** Seed of the noise; default none (a new draw each run). */
  seed: z.number().int().nullable().optional(),
});

/**
 * What GaussianNoise and GaussianDropout share: in training, the input combined (added or
 * multiplied) with Gaussian noise of the subclass' mean and stddev, drawn from the layer's
 * `seed`; the identity in inference. Masks pass through.
 */
export abstract class GaussianLayer extends Layer {
  static override readonly argsSchema: ArgsDeclaration = GaussianLayerArgs;
  readonly seed: number | null;

  constructor(args: GaussianLayerArgs) {
    super(args);
    this.seed = parseArgs(GaussianLayerArgs, args, this.label).seed ?? null;
    this.supportsMasking = true;
  }

  /** The noise's mean and stddev, or null where the layer is the identity even in training. */
  protected abstract noise(): { mean: number; stddev: number } | null;

  /** The input with the noise drawn: `ops.add` or `ops.mul`. */
  protected abstract combine(x: Sym, noise: Sym): Sym;

  /** The subclass' own config keys, written before `seed` (Keras' order). */
  protected abstract noiseConfig(): Record<string, unknown>;

  override call(inputs: Sym | Sym[], ctx: CallContext): Sym {
    const x = inputs as Sym;
    const noise = ctx.training ? this.noise() : null;
    if (!noise) return x;
    return this.combine(x, ops.randomNormal(x.graph, x.shape, randomSeed(this.label, this.seed), noise.mean, noise.stddev));
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), ...this.noiseConfig(), seed: this.seed };
  }
}
