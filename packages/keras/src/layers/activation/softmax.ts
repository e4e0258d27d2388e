import { broadcastShapes, fmtShape, ops, resolveAxes, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { Layer, parseArgs, type CallContext, type LayerArgs } from '../../engine/layer.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasShapeError, KerasValueError } from '../../errors.js';

/** Keras 2's large negative number added to masked logits (float32). */
const LARGE_NEGATIVE = -1e9;

const SoftmaxArgs = z.looseObject({
  /** The axis (or axes) the softmax normalizes over (default -1). */
  axis: z.union([z.number().int(), z.array(z.number().int()).min(1)], { error: 'expected an integer axis or a non-empty list of axes' }).default(-1),
  /** Replace masked logits by a large negative number instead of adding it (tf.keras 2.13+). */
  robustMasking: z.boolean().default(false),
});

/** The arguments of `Softmax` (each is documented on its schema, `SoftmaxArgs`). */
export interface SoftmaxArgs extends LayerArgs, z.input<typeof SoftmaxArgs> {}

/**
 * Softmax over an axis (or several). Called with a mask (1 = keep, 0 = drop, broadcastable to
 * the input), masked entries get (about) zero probability.
 *
 * @example
 * const p = new Softmax({ axis: 1 }).apply(scores, { mask: keep });
 */
export class Softmax extends Layer {
  static override readonly className = 'Softmax';
  static override readonly argsSchema: ArgsDeclaration = SoftmaxArgs;
  readonly axis: number | number[];
  readonly robustMasking: boolean;

  constructor(args: SoftmaxArgs = {}) {
    super(args);
    const a = parseArgs(SoftmaxArgs, args, `Softmax '${this.name}'`);
    this.axis = typeof a.axis === 'number' ? a.axis : [...a.axis];
    this.robustMasking = a.robustMasking;
    this.supportsMasking = true;
  }

  override call(inputs: Sym | Sym[], ctx: CallContext): Sym {
    let x = inputs as Sym;
    const axes = typeof this.axis === 'number' ? [this.axis] : this.axis;
    if (axes.some((ax) => ax < -x.rank || ax >= x.rank)) {
      throw new KerasValueError(`${this.label}: axis ${JSON.stringify(this.axis)} is out of range for inputs of shape ${fmtShape(x.shape)}`);
    }
    const mask = Array.isArray(ctx.mask) ? null : (ctx.mask as Sym | null);
    if (mask) {
      if (!broadcastShapes(mask.shape, x.shape)) {
        throw new KerasShapeError(`${this.label}: the mask of shape ${fmtShape(mask.shape)} does not broadcast to the inputs of shape ${fmtShape(x.shape)}`);
      }
      if (this.robustMasking) {
        const keep = mask.dtype === 'bool' ? mask : ops.greater(ops.cast(mask, 'float32'), 0.5);
        x = ops.where(ops.broadcastTo(keep, broadcastShapes(keep.shape, x.shape)!), x, LARGE_NEGATIVE);
      } else {
        x = ops.add(x, ops.mul(ops.sub(1, ops.cast(mask, x.dtype)), LARGE_NEGATIVE));
      }
    }
    if (axes.length === 1) return ops.softmax(x, axes[0]);
    const keep = resolveAxes(axes, x.rank);
    return ops.exp(ops.sub(x, ops.logsumexp(x, keep, true)));
  }

  override getConfig(): Record<string, unknown> {
    const c: Record<string, unknown> = { ...super.getConfig(), axis: typeof this.axis === 'number' ? this.axis : [...this.axis] };
    if (this.robustMasking) c.robust_masking = true;
    return c;
  }
}
