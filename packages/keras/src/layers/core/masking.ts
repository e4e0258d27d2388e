import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { Layer, parseArgs, type LayerArgs, type Mask } from '../../engine/layer.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasShapeError } from '../../errors.js';

/** The arguments of `Masking` (each is documented on its schema, `MaskingArgs`). */
export interface MaskingArgs extends LayerArgs, z.input<typeof MaskingArgs> {}

const MaskingArgs = z.looseObject({
  /** Time steps whose features all equal this value are masked (default 0). */
  maskValue: z.number().default(0),
});

/**
 * Masks time steps: a step of `[batch, steps, features]` whose features all equal `maskValue` is
 * masked for the layers downstream (such as RNNs) and its output is zeroed.
 *
 * @example
 * const x = Input({ shape: [10, 8] });
 * const y = new LSTM({ units: 4 }).apply(new Masking({ maskValue: 0 }).apply(x));
 */
export class Masking extends Layer {
  static override readonly className = 'Masking';
  static override readonly argsSchema: ArgsDeclaration = MaskingArgs;
  readonly maskValue: number;

  constructor(args: MaskingArgs = {}) {
    super(args);
    this.maskValue = parseArgs(MaskingArgs, args, `Masking '${this.name}'`).maskValue;
    this.supportsMasking = true;
  }

  /** 1 where any feature of the step differs from the mask value, else 0 (kept axis -1). */
  private keep(x: Sym, keepdims: boolean): Sym {
    if (x.rank === 0) throw new KerasShapeError(`${this.label} expects inputs with a feature axis, got a scalar`);
    return ops.max(ops.cast(ops.notEqual(x, this.maskValue), 'float32'), -1, keepdims);
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    return ops.mul(x, ops.cast(this.keep(x, true), x.dtype));
  }

  override computeMask(inputs: Sym | Sym[], _mask: Mask = null): Mask {
    return ops.greater(this.keep(inputs as Sym, false), 0);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), mask_value: this.maskValue };
  }
}
