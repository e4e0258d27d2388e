import { ops, type Sym } from '@keras-ts/spec';
import type { CallContext, Mask } from '../../engine/layer.js';
import { fmtSymShape } from '../convolutional/conv-utils.js';
import { GlobalPooling, type GlobalPoolingArgs } from './base-global-pooling.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasShapeError } from '../../errors.js';

/** The arguments of GlobalAveragePooling1D. */
export type GlobalAveragePooling1DArgs = GlobalPoolingArgs;

/**
 * Global average pooling over the steps of temporal data: [batch, steps, channels] to
 * [batch, channels] ([batch, 1, channels] with keepdims). With a mask [batch, steps] (from
 * Embedding(mask_zero) or Masking), only the unmasked steps are averaged, as Keras 2 (a sample
 * whose steps are all masked gives NaN, 0 / 0). The mask stops here.
 *
 * @example
 * const x = Input({ shape: [null], dtype: 'int32' });
 * const e = new Embedding({ inputDim: 100, outputDim: 8, maskZero: true }).apply(x);
 * const y = new GlobalAveragePooling1D().apply(e); // KerasTensor [null, 8], padding ignored
 */
export class GlobalAveragePooling1D extends GlobalPooling {
  static override readonly className = 'GlobalAveragePooling1D';
  static override readonly argsSchema: ArgsDeclaration = argKeys();

  constructor(args: GlobalAveragePooling1DArgs = {}) {
    super(1, args);
    this.supportsMasking = true;
  }

  protected reduce(x: Sym, ctx: CallContext): Sym {
    const mask = Array.isArray(ctx.mask) ? ((ctx.mask as (Sym | null)[])[0] ?? null) : (ctx.mask as Sym | null);
    if (!mask) return ops.mean(x, 1, this.keepdims);
    if (mask.rank !== 2 || mask.shape[0] !== x.shape[0] || mask.shape[1] !== x.shape[1]) {
      throw new KerasShapeError(`${this.label}: the mask ${fmtSymShape(mask.shape)} does not fit the input ${fmtSymShape(x.shape)}; expected [batch, steps] = [${x.shape[0]}, ${x.shape[1]}]`);
    }
    const m = ops.expandDims(ops.cast(mask, x.dtype), 2);
    return ops.div(ops.sum(ops.mul(x, m), 1, this.keepdims), ops.sum(m, 1, this.keepdims));
  }

  override computeMask(): Mask {
    return null;
  }
}
