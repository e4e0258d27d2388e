import { fmtShape, ops, type Sym } from '@keras-ts/spec';
import { KerasTensor, type SymbolicShape } from '../../engine/keras-tensor.js';
import { Layer, type ApplyInputs, type ApplyKwargs, type CallContext, type InputShape, type Mask } from '../../engine/layer.js';
import { boolMask, firstMask, firstShape, fmtSymShape, prefixWeightPaths, toSym } from './rnn-utils.js';
import { Wrapper, type WrapperArgs } from './wrapper.js';
import { argKeys, type ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasShapeError, KerasValueError } from '../../errors.js';

/** Reduces a [batch, time, ...] mask to [batch, time] with a logical any over the other axes. */
function anyToBatchTime(m: Sym): Sym {
  if (m.rank <= 2) return m;
  const axes = Array.from({ length: m.rank - 2 }, (_, i) => i + 2);
  return ops.cast(ops.max(ops.cast(m, 'float32'), axes), 'bool');
}

/**
 * Applies a layer to every time step of its input: [batch, time, ...] is folded into
 * [batch * time, ...], the layer runs once on it, and the result is unfolded to
 * [batch, time, ...out]. The wrapped layer's weights are shared over time.
 *
 * The time length must be known (the layer is traced per input shape).
 *
 * @example
 * const td = new TimeDistributed({ layer: new Dense({ units: 8 }) });
 * const y = td.apply(Input({ shape: [10, 16] })); // KerasTensor [null, 10, 8]
 */
export class TimeDistributed extends Wrapper {
  static override readonly className = 'TimeDistributed';
  static override readonly argsSchema: ArgsDeclaration = argKeys();

  constructor(args: WrapperArgs) {
    super(args);
    this.supportsMasking = true;
  }

  private checkShape(shape: SymbolicShape): void {
    if (shape.length < 3) {
      throw new KerasShapeError(`${this.label} expects inputs of rank 3 or more ([batch, time, ...]), got shape ${fmtSymShape(shape)}`);
    }
  }

  protected override prepareApply(inputs: ApplyInputs, kwargs: ApplyKwargs): { inputs: ApplyInputs; kwargs: ApplyKwargs } {
    const first: unknown = Array.isArray(inputs) ? inputs[0] : inputs;
    if (first instanceof KerasTensor) this.checkShape(first.shape);
    return { inputs, kwargs };
  }

  override build(inputShape: InputShape): void {
    const shape = firstShape(inputShape);
    this.checkShape(shape);
    this.layer.maybeBuild([shape[0], ...shape.slice(2)]);
    prefixWeightPaths(this.layer, this.name);
  }

  override computeOutputShape(inputShape: InputShape): SymbolicShape | SymbolicShape[] {
    this.checkShape(firstShape(inputShape));
    return super.computeOutputShape(inputShape);
  }

  /** The mask folded like the inputs ([batch * time, ...]); a [batch, time] mask is not passed on. */
  private innerMask(mask: Sym | null, B: number, T: number): Sym | null {
    if (!mask || mask.rank <= 2) return null;
    return ops.reshape(mask, [B * T, ...mask.shape.slice(2)]);
  }

  private maskOf(ctx: CallContext, g: Sym['graph']): Sym | null {
    const m = firstMask(ctx.mask);
    if (m) return m;
    const kw = ctx.kwargs.mask;
    return kw === undefined || kw === null ? null : toSym(kw, g, `${this.label}: mask`);
  }

  override call(inputs: Sym | Sym[], ctx: CallContext): Sym {
    if (Array.isArray(inputs) && inputs.length !== 1) throw new KerasValueError(`${this.label} takes one input tensor, got ${inputs.length}`);
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    this.checkShape(x.shape);
    const [B, T, ...rest] = x.shape;
    const mask = this.maskOf(ctx, x.graph);
    const { mask: _m, ...kwargs } = ctx.kwargs;
    const y = this.layer.apply(ops.reshape(x, [B * T, ...rest]), { ...kwargs, training: ctx.training, mask: this.innerMask(mask, B, T) });
    if (Array.isArray(y)) throw new KerasValueError(`${this.label}: the wrapped layer ${this.layer.label} returned ${y.length} outputs; TimeDistributed needs a single output`);
    const ys = y as Sym;
    if (ys.shape[0] !== B * T) {
      throw new KerasShapeError(`${this.label}: the wrapped layer ${this.layer.label} changed the batch axis (${fmtShape(x.shape)} folded to ${B * T}, got ${fmtShape(ys.shape)})`);
    }
    return ops.reshape(ys, [B, T, ...ys.shape.slice(1)]);
  }

  override computeMask(inputs: Sym | Sym[], mask: Mask): Mask {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const m = firstMask(mask);
    const [B, T, ...rest] = x.shape;
    const inner = this.layer.computeMask(ops.reshape(x, [B * T, ...rest]), this.innerMask(m, B, T));
    const im = firstMask(inner);
    if (!im) return m ? anyToBatchTime(boolMask(m)) : null;
    return anyToBatchTime(boolMask(ops.reshape(im, [B, T, ...im.shape.slice(1)])));
  }
}
