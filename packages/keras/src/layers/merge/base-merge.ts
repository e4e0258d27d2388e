import { ops, type Sym } from '@keras-ts/spec';
import { Layer, type CallContext, type InputShape, type LayerArgs, type Mask } from '../../engine/layer.js';
import type { SymbolicShape } from '../../engine/keras-tensor.js';
import { KerasShapeError, KerasValueError } from '../../errors.js';

/** Formats a shape as Keras prints it: `(None, 3)`. */
export function showShape(s: SymbolicShape): string {
  return `(${s.map((d) => d ?? 'None').join(', ')}${s.length === 1 ? ',' : ''})`;
}

/** Formats a list of shapes. */
export function showShapes(shapes: readonly SymbolicShape[]): string {
  return `[${shapes.map(showShape).join(', ')}]`;
}

/** Whether `build` got one shape per input (a call on a list) rather than a single shape. */
export function isShapeList(s: InputShape): s is readonly SymbolicShape[] {
  return s.length > 0 && s.every((x) => Array.isArray(x));
}

/** The masks of a list of inputs (null entries for unmasked inputs), or null when there are none. */
export function maskList(mask: Mask, count: number): (Sym | null)[] | null {
  if (mask === null || mask === undefined) return null;
  const list = Array.isArray(mask) ? (mask as (Sym | null)[]) : [mask as Sym];
  if (list.every((m) => !m)) return null;
  return Array.from({ length: count }, (_, i) => list[i] ?? null);
}

/**
 * The base of the layers that merge a list of inputs elementwise (Add, Subtract, Multiply,
 * Average, Maximum, Minimum), Keras 2's `_Merge`. Inputs of lower rank get size-1 axes inserted at
 * axis 1 until all ranks agree; then the inputs broadcast as numpy does (size-1 axes stretch). The
 * output mask is the AND of the input masks.
 */
export abstract class Merge extends Layer {
  static override readonly className: string = 'Merge';
  /** Whether the inputs' ranks differ, so that some must be expanded (set by `build`). */
  protected reshapeRequired = false;

  constructor(args: LayerArgs = {}) {
    super(args);
    this.supportsMasking = true;
  }

  /** Merges inputs that all have the same rank. */
  protected abstract mergeFunction(inputs: Sym[]): Sym;

  /** The shapes of a list call; an error naming the layer when it was called on a single tensor. */
  protected shapeList(inputShape: InputShape): readonly SymbolicShape[] {
    if (!isShapeList(inputShape)) {
      throw new KerasValueError(`${this.label}: a merge layer should be called on a list of inputs, got a single input of shape ${showShape(inputShape as SymbolicShape)}`);
    }
    return inputShape;
  }

  /** The list of inputs of a call; an error naming the layer when it got a single tensor. */
  protected inputList(inputs: Sym | Sym[]): Sym[] {
    if (!Array.isArray(inputs)) {
      throw new KerasValueError(`${this.label}: a merge layer should be called on a list of inputs, got a single input of shape ${showShape(inputs.shape)}`);
    }
    return inputs;
  }

  /** The broadcast shape of two shapes aligned at their ends (Keras' elementwise rule). */
  protected elementwiseShape(a: SymbolicShape | null, b: SymbolicShape | null, all: readonly SymbolicShape[]): SymbolicShape | null {
    if (a === null || b === null) return null;
    if (a.length < b.length) return this.elementwiseShape(b, a, all);
    if (b.length === 0) return a;
    const out: (number | null)[] = a.slice(0, a.length - b.length);
    a.slice(a.length - b.length).forEach((i, k) => {
      const j = b[k];
      if (i === null || j === null) out.push(null);
      else if (i === 1) out.push(j);
      else if (j === 1) out.push(i);
      else if (i !== j) throw new KerasShapeError(`${this.label}: inputs have incompatible shapes ${showShape(a)} and ${showShape(b)} (all input shapes: ${showShapes(all)})`);
      else out.push(i);
    });
    return out;
  }

  override build(inputShape: InputShape): void {
    const shapes = this.shapeList(inputShape);
    const batch = new Set(shapes.filter((s) => s.length > 0 && s[0] !== null).map((s) => s[0]));
    if (batch.size > 1) throw new KerasShapeError(`${this.label}: cannot merge tensors with different batch sizes; got shapes ${showShapes(shapes)}`);
    let out: SymbolicShape | null = shapes[0].slice(1);
    for (const s of shapes.slice(1)) out = this.elementwiseShape(out, s.slice(1), shapes);
    this.reshapeRequired = new Set(shapes.map((s) => s.length)).size !== 1;
  }

  override call(inputs: Sym | Sym[], _ctx?: CallContext): Sym {
    const xs = this.inputList(inputs);
    const maxRank = Math.max(...xs.map((x) => x.rank));
    const same = xs.map((x) => {
      let y = x;
      while (y.rank < maxRank) y = ops.expandDims(y, 1);
      return y;
    });
    return this.mergeFunction(same);
  }

  override computeOutputShape(inputShape: InputShape): SymbolicShape {
    const shapes = this.shapeList(inputShape);
    let out: SymbolicShape | null = shapes[0].slice(1);
    for (const s of shapes.slice(1)) out = this.elementwiseShape(out, s.slice(1), shapes);
    const batch = [...new Set(shapes.map((s) => s[0] ?? null).filter((d) => d !== null))];
    return [batch.length === 1 ? batch[0] : null, ...(out ?? [])];
  }

  override computeMask(inputs: Sym | Sym[], mask: Mask): Mask {
    const xs = Array.isArray(inputs) ? inputs : [inputs];
    const masks = maskList(mask, xs.length);
    if (!masks) return null;
    const given = masks.filter((m): m is Sym => m !== null);
    return given.slice(1).reduce((acc, m) => ops.logicalAnd(acc, m), given[0]);
  }
}
