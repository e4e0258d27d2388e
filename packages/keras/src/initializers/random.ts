import { allocData, sizeOf, type DType } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass } from '../serialization/registry.js';
import { parseArgs } from '../engine/layer.js';
import { Tensor } from '../tensor.js';
import { Initializer } from './initializer.js';
import { prngFor, type Prng } from './prng.js';

const zSeed = z.number().int().nullable().optional();

function fill(shape: readonly number[], dtype: DType, draw: () => number): Tensor {
  const data = allocData(dtype, sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = draw();
  return new Tensor(shape, dtype, data);
}

abstract class Seeded extends Initializer {
  readonly seed: number | null;
  constructor(seed: number | null | undefined) {
    super();
    this.seed = seed ?? null;
  }
  /**
   * The generator of one `init` call: seeded with `seed` when given (the same values every time),
   * else with a fresh seed.
   */
  protected prng(): Prng {
    return prngFor(this.seed);
  }
}

const zNormalArgs = z.object({ mean: z.number().default(0), stddev: z.number().nonnegative().default(0.05), seed: zSeed });

/** What RandomNormal and TruncatedNormal share: `mean + stddev * draw`, the draw from the subclass' standard distribution. */
abstract class NormalSamples extends Seeded {
  readonly mean: number;
  readonly stddev: number;
  constructor(args: z.input<typeof zNormalArgs>, cls: string) {
    const a = parseArgs(zNormalArgs, args, cls);
    super(a.seed);
    this.mean = a.mean;
    this.stddev = a.stddev;
  }
  /** One draw of mean 0 and stddev 1 (before truncation). */
  protected abstract draw(r: Prng): number;
  init(shape: readonly number[], dtype: DType): Tensor {
    const r = this.prng();
    return fill(shape, dtype, () => this.mean + this.stddev * this.draw(r));
  }
  override getConfig() {
    return { mean: this.mean, stddev: this.stddev, seed: this.seed };
  }
}

/** Normal samples (mean 0, stddev 0.05 by default). */
export class RandomNormal extends NormalSamples {
  static override readonly className = 'RandomNormal';
  constructor(args: { mean?: number; stddev?: number; seed?: number | null } = {}) {
    super(args, 'RandomNormal');
  }
  protected draw(r: Prng): number {
    return r.normal();
  }
  /** Rebuilds a RandomNormal from its config (what `getConfig` returns). */
  static fromConfig(c: Record<string, unknown>) {
    return new RandomNormal(c as ConstructorParameters<typeof RandomNormal>[0]);
  }
}

/** Uniform samples in [minval, maxval) (±0.05 by default). */
export class RandomUniform extends Seeded {
  static override readonly className = 'RandomUniform';
  readonly minval: number;
  readonly maxval: number;
  constructor(args: { minval?: number; maxval?: number; seed?: number | null } = {}) {
    const a = parseArgs(z.object({ minval: z.number().default(-0.05), maxval: z.number().default(0.05), seed: zSeed }), args, 'RandomUniform');
    super(a.seed);
    this.minval = a.minval;
    this.maxval = a.maxval;
  }
  init(shape: readonly number[], dtype: DType): Tensor {
    const r = this.prng();
    return fill(shape, dtype, () => this.minval + (this.maxval - this.minval) * r.uniform());
  }
  override getConfig() {
    return { minval: this.minval, maxval: this.maxval, seed: this.seed };
  }
  /** Rebuilds a RandomUniform from its config (what `getConfig` returns). */
  static fromConfig(c: Record<string, unknown>) {
    return new RandomUniform(c as ConstructorParameters<typeof RandomUniform>[0]);
  }
}

/** Normal samples redrawn beyond two standard deviations (mean 0, stddev 0.05 by default). */
export class TruncatedNormal extends NormalSamples {
  static override readonly className = 'TruncatedNormal';
  constructor(args: { mean?: number; stddev?: number; seed?: number | null } = {}) {
    super(args, 'TruncatedNormal');
  }
  protected draw(r: Prng): number {
    return r.truncatedNormal();
  }
  /** Rebuilds a TruncatedNormal from its config (what `getConfig` returns). */
  static fromConfig(c: Record<string, unknown>) {
    return new TruncatedNormal(c as ConstructorParameters<typeof TruncatedNormal>[0]);
  }
}

registerClass('initializer', RandomNormal, 'random_normal', 'normal');
registerClass('initializer', RandomUniform, 'random_uniform', 'uniform');
registerClass('initializer', TruncatedNormal, 'truncated_normal');

export { fill as fillWith, zSeed };
