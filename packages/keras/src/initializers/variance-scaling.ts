import type { DType } from '@keras-ts/spec';
import { z } from 'zod';
import { registerClass, type SerializableClass } from '../serialization/registry.js';
import { parseArgs } from '../engine/layer.js';
import type { Tensor } from '../tensor.js';
import { Initializer } from './initializer.js';
import { prngFor } from './prng.js';
import { fillWith, zSeed } from './random.js';

/** Keras' fan-in and fan-out of a weight shape (conv kernels count the receptive field). */
export function computeFans(shape: readonly number[]): [number, number] {
  if (shape.length === 0) return [1, 1];
  if (shape.length === 1) return [shape[0], shape[0]];
  if (shape.length === 2) return [shape[0], shape[1]];
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return [shape.at(-2)! * receptive, shape.at(-1)! * receptive];
}

type Mode = 'fan_in' | 'fan_out' | 'fan_avg';
type Distribution = 'truncated_normal' | 'untruncated_normal' | 'normal' | 'uniform';

const VSArgs = z.object({
  scale: z.number().positive().default(1),
  mode: z.enum(['fan_in', 'fan_out', 'fan_avg']).default('fan_in'),
  distribution: z.enum(['truncated_normal', 'untruncated_normal', 'normal', 'uniform']).default('truncated_normal'),
  seed: zSeed,
});

/**
 * Samples scaled to the weight's fan: stddev sqrt(scale / fan) (truncated normals are widened
 * by 1 / 0.8796 to keep that variance) or a uniform limit sqrt(3 scale / fan).
 * @example new VarianceScaling({ scale: 2, mode: 'fan_in', distribution: 'uniform' })
 */
export class VarianceScaling extends Initializer {
  static override readonly className: string = 'VarianceScaling';
  readonly scale: number;
  readonly mode: Mode;
  readonly distribution: Distribution;
  readonly seed: number | null;

  constructor(args: { scale?: number; mode?: Mode; distribution?: Distribution; seed?: number | null } = {}) {
    super();
    const a = parseArgs(VSArgs, args, (new.target as { className: string }).className);
    this.scale = a.scale;
    this.mode = a.mode;
    this.distribution = a.distribution === 'normal' ? 'truncated_normal' : a.distribution;
    this.seed = a.seed ?? null;
  }

  init(shape: readonly number[], dtype: DType): Tensor {
    const [fanIn, fanOut] = computeFans(shape);
    const fan = this.mode === 'fan_in' ? fanIn : this.mode === 'fan_out' ? fanOut : (fanIn + fanOut) / 2;
    const scale = this.scale / Math.max(1, fan);
    const r = prngFor(this.seed);
    if (this.distribution === 'uniform') {
      const limit = Math.sqrt(3 * scale);
      return fillWith(shape, dtype, () => -limit + 2 * limit * r.uniform());
    }
    if (this.distribution === 'truncated_normal') {
      const sd = Math.sqrt(scale) / 0.8796256610342398;
      return fillWith(shape, dtype, () => sd * r.truncatedNormal());
    }
    const sd = Math.sqrt(scale);
    return fillWith(shape, dtype, () => sd * r.normal());
  }

  override getConfig(): Record<string, unknown> {
    return { scale: this.scale, mode: this.mode, distribution: this.distribution, seed: this.seed };
  }

  /** Rebuilds a VarianceScaling from its config (what `getConfig` returns). */
  static fromConfig(c: Record<string, unknown>): VarianceScaling {
    return new VarianceScaling(c as ConstructorParameters<typeof VarianceScaling>[0]);
  }
}

/** The named variance-scaling initializers; their config holds only the seed. */
function preset(className: string, scale: number, mode: Mode, distribution: Distribution) {
  type PresetClass = (new (args?: { seed?: number | null }) => VarianceScaling) & SerializableClass<VarianceScaling>;
  const Cls: PresetClass = class extends VarianceScaling {
    static override readonly className = className;
    constructor(args: { seed?: number | null } = {}) {
      const a = parseArgs(z.object({ seed: zSeed, inputAxes: z.null().optional(), outputAxes: z.null().optional() }), args, className);
      super({ scale, mode, distribution, seed: a.seed ?? null });
    }
    override getConfig(): Record<string, unknown> {
      return { seed: this.seed };
    }
    static override fromConfig(c: Record<string, unknown>): VarianceScaling {
      // Keras 3 writes input_axes / output_axes (null); the constructor checks them.
      const args = { seed: (c.seed as number | null) ?? null, ...(c.input_axes === undefined ? {} : { inputAxes: c.input_axes }), ...(c.output_axes === undefined ? {} : { outputAxes: c.output_axes }) };
      return new Cls(args);
    }
  };
  return Cls;
}

/** Uniform in ±sqrt(6 / (fan_in + fan_out)). The default kernel initializer. */
export const GlorotUniform = preset('GlorotUniform', 1, 'fan_avg', 'uniform');
/** Truncated normal with stddev sqrt(2 / (fan_in + fan_out)) (`glorot_normal`). */
export const GlorotNormal = preset('GlorotNormal', 1, 'fan_avg', 'truncated_normal');
/** Truncated normal with stddev sqrt(2 / fan_in) (`he_normal`), for relu layers. */
export const HeNormal = preset('HeNormal', 2, 'fan_in', 'truncated_normal');
/** Uniform in ±sqrt(6 / fan_in) (`he_uniform`), for relu layers. */
export const HeUniform = preset('HeUniform', 2, 'fan_in', 'uniform');
/** Truncated normal with stddev sqrt(1 / fan_in) (`lecun_normal`), for selu layers. */
export const LecunNormal = preset('LecunNormal', 1, 'fan_in', 'truncated_normal');
/** Uniform in ±sqrt(3 / fan_in) (`lecun_uniform`). */
export const LecunUniform = preset('LecunUniform', 1, 'fan_in', 'uniform');

registerClass('initializer', VarianceScaling, 'variance_scaling');
registerClass('initializer', GlorotUniform, 'glorot_uniform');
registerClass('initializer', GlorotNormal, 'glorot_normal');
registerClass('initializer', HeNormal, 'he_normal');
registerClass('initializer', HeUniform, 'he_uniform');
registerClass('initializer', LecunNormal, 'lecun_normal');
registerClass('initializer', LecunUniform, 'lecun_uniform');
