import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { parseArgs, type InputShape, type LayerArgs, type Mask } from '../../engine/layer.js';
import type { KerasTensor, SymbolicShape } from '../../engine/keras-tensor.js';
import { maskList, Merge, showShapes } from './base-merge.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasShapeError, KerasValueError } from '../../errors.js';

const ConcatenateArgs = z.looseObject({
  /** The axis to concatenate along (default -1). */
  axis: z.number().int().default(-1),
});

/** The arguments of `Concatenate` (each is documented on its schema, `ConcatenateArgs`). */
export interface ConcatenateArgs extends LayerArgs, z.input<typeof ConcatenateArgs> {}

/**
 * Concatenates a list of inputs along `axis`; all other dimensions must match. The output mask
 * (when an input has one) is the concatenation of the input masks, with unmasked inputs counted
 * as all-true, reduced with AND over the last axis (as Keras 2).
 *
 * @example
 * const a = Input({ shape: [3, 2] });
 * const b = Input({ shape: [3, 4] });
 * const y = new Concatenate().apply([a, b]); // KerasTensor [null, 3, 6]
 */
export class Concatenate extends Merge {
  static override readonly className = 'Concatenate';
  static override readonly argsSchema: ArgsDeclaration = ConcatenateArgs;
  readonly axis: number;

  constructor(args: ConcatenateArgs = {}) {
    super(args);
    const a = parseArgs(ConcatenateArgs, args, `Concatenate '${this.name}'`);
    this.axis = a.axis;
  }

  /** The axis, resolved against a rank; an error naming the layer when it is out of range. */
  private resolveAxis(rank: number, shapes: readonly SymbolicShape[]): number {
    const ax = this.axis < 0 ? this.axis + rank : this.axis;
    if (ax < 0 || ax >= rank) throw new KerasValueError(`${this.label}: axis ${this.axis} is out of range for inputs of rank ${rank}; got shapes ${showShapes(shapes)}`);
    return ax;
  }

  override build(inputShape: InputShape): void {
    const shapes = this.shapeList(inputShape);
    const err = () => new KerasShapeError(`${this.label} requires inputs with matching shapes except for the concatenation axis (axis ${this.axis}); got shapes ${showShapes(shapes)}`);
    const ranks = new Set(shapes.map((s) => s.length));
    if (ranks.size !== 1) throw err();
    const rank = shapes[0].length;
    const ax = this.resolveAxis(rank, shapes);
    for (let i = 0; i < rank; i++) {
      if (i === ax) continue;
      const dims = new Set(shapes.map((s) => s[i]).filter((d) => d !== null));
      if (dims.size > 1) throw err();
    }
  }

  protected mergeFunction(inputs: Sym[]): Sym {
    return ops.concat(inputs, this.resolveAxis(inputs[0].rank, inputs.map((x) => x.shape)));
  }

  override call(inputs: Sym | Sym[]): Sym {
    return this.mergeFunction(this.inputList(inputs));
  }

  override computeOutputShape(inputShape: InputShape): SymbolicShape {
    const shapes = this.shapeList(inputShape);
    const ax = this.resolveAxis(shapes[0].length, shapes);
    const out = [...shapes[0]];
    for (const s of shapes.slice(1)) {
      if (out[ax] === null || s[ax] === null) {
        out[ax] = null;
        break;
      }
      out[ax] = (out[ax] as number) + (s[ax] as number);
    }
    return out;
  }

  override computeMask(inputs: Sym | Sym[], mask: Mask): Mask {
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    const masks = maskList(mask, xs.length);
    if (!masks) return null;
    // Each mask stretched to its input's full shape (all true where an input has none).
    const full = xs.map((x, i) => {
      const m = masks[i];
      if (!m) return ops.fill(x.graph, x.shape, 1);
      let f = ops.cast(m, 'float32');
      while (f.rank < x.rank) f = ops.expandDims(f, -1);
      return ops.broadcastTo(f, x.shape);
    });
    const joined = ops.concat(full, this.resolveAxis(xs[0].rank, xs.map((x) => x.shape)));
    return ops.cast(ops.min(joined, -1), 'bool');
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axis: this.axis };
  }
}

/**
 * Functional form of {@link Concatenate}: `concatenate(inputs, { axis })`.
 * @example const y = concatenate([a, b], { axis: 1 });
 */
export function concatenate(inputs: KerasTensor[], args: ConcatenateArgs = {}): KerasTensor {
  return new Concatenate(args).apply(inputs);
}
