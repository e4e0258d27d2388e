import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { parseArgs, type InputShape, type LayerArgs, type Mask } from '../../engine/layer.js';
import type { KerasTensor, SymbolicShape } from '../../engine/keras-tensor.js';
import { Merge, showShape, showShapes } from './base-merge.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasShapeError, KerasValueError } from '../../errors.js';

const DotArgs = z.looseObject({
  /** The axis to contract, the same in both inputs, or one axis per input. Axis 0 (the batch) cannot be used. */
  axes: z.union([z.number().int(), z.tuple([z.number().int(), z.number().int()])]),
  /** Whether to L2-normalize both inputs along the contracted axes first (the result is then the cosine similarity). */
  normalize: z.boolean().default(false),
});

/** The arguments of `Dot` (each is documented on its schema, `DotArgs`). */
export interface DotArgs extends LayerArgs, z.input<typeof DotArgs> {}

/**
 * The dot product of two batched inputs along `axes` (Keras' `batch_dot`): for inputs of shapes
 * `[B, ...a]` and `[B, ...b]` it contracts one axis of each and returns `[B, ...a', ...b']` (the
 * remaining axes of the first input, then of the second); two 2D inputs give `[B, 1]`.
 *
 * @example
 * const a = Input({ shape: [3, 4] });
 * const b = Input({ shape: [5, 4] });
 * const y = new Dot({ axes: -1 }).apply([a, b]); // KerasTensor [null, 3, 5]
 */
export class Dot extends Merge {
  static override readonly className = 'Dot';
  static override readonly argsSchema: ArgsDeclaration = DotArgs;
  readonly axes: number | [number, number];
  readonly normalize: boolean;

  constructor(args: DotArgs) {
    super(args);
    const a = parseArgs(DotArgs, args, `Dot '${this.name}'`);
    this.axes = typeof a.axes === 'number' ? a.axes : [a.axes[0], a.axes[1]];
    this.normalize = a.normalize;
  }

  /** The two contracted axes, resolved against the inputs' ranks. */
  private resolveAxes(r1: number, r2: number): [number, number] {
    if (typeof this.axes === 'number') return this.axes < 0 ? [mod(this.axes, r1), mod(this.axes, r2)] : [this.axes, this.axes];
    return [this.axes[0] < 0 ? mod(this.axes[0], r1) : this.axes[0], this.axes[1] < 0 ? mod(this.axes[1], r2) : this.axes[1]];
  }

  /** Checks two shapes and returns the contracted axes. */
  private check(s1: SymbolicShape, s2: SymbolicShape): [number, number] {
    const shapes = [s1, s2];
    if (s1.length < 2 || s2.length < 2) throw new KerasShapeError(`${this.label} needs inputs of rank 2 or more, got shapes ${showShapes(shapes)}`);
    const [a1, a2] = this.resolveAxes(s1.length, s2.length);
    if (a1 < 0 || a1 >= s1.length || a2 < 0 || a2 >= s2.length) {
      throw new KerasValueError(`${this.label}: axes ${JSON.stringify(this.axes)} are out of range for input shapes ${showShapes(shapes)}`);
    }
    if (a1 === 0 || a2 === 0) throw new KerasValueError(`${this.label}: cannot take the dot product over axis 0 (the batch axis); axes ${JSON.stringify(this.axes)}, input shapes ${showShapes(shapes)}`);
    if (s1[0] !== null && s2[0] !== null && s1[0] !== s2[0]) throw new KerasShapeError(`${this.label}: the inputs' batch sizes differ, shapes ${showShapes(shapes)}`);
    if (s1[a1] !== null && s2[a2] !== null && s1[a1] !== s2[a2]) {
      throw new KerasShapeError(`${this.label}: incompatible input shapes: axis values ${s1[a1]} (at axis ${a1}) != ${s2[a2]} (at axis ${a2}); full input shapes ${showShape(s1)}, ${showShape(s2)}`);
    }
    return [a1, a2];
  }

  override build(inputShape: InputShape): void {
    const shapes = this.shapeList(inputShape);
    if (shapes.length !== 2) throw new KerasValueError(`${this.label} should be called on a list of 2 inputs, got ${shapes.length} with shapes ${showShapes(shapes)}`);
    this.check(shapes[0], shapes[1]);
  }

  protected mergeFunction(inputs: Sym[]): Sym {
    if (inputs.length !== 2) throw new KerasValueError(`${this.label} should be called on exactly 2 inputs, got ${inputs.length} with shapes ${showShapes(inputs.map((x) => x.shape))}`);
    let [x, y] = inputs;
    const [a1, a2] = this.check(x.shape, y.shape);
    if (this.normalize) {
      x = l2Normalize(x, a1);
      y = l2Normalize(y, a2);
    }
    // x -> [B, M, K] with the contracted axis last; y -> [B, K, N] with it second.
    const restX = x.shape.filter((_, i) => i !== 0 && i !== a1);
    const restY = y.shape.filter((_, i) => i !== 0 && i !== a2);
    const permX = [0, ...x.shape.map((_, i) => i).filter((i) => i !== 0 && i !== a1), a1];
    const permY = [0, a2, ...y.shape.map((_, i) => i).filter((i) => i !== 0 && i !== a2)];
    const batch = x.shape[0];
    const k = x.shape[a1];
    const xm = ops.reshape(ops.transpose(x, permX), [batch, size(restX), k]);
    const ym = ops.reshape(ops.transpose(y, permY), [batch, k, size(restY)]);
    const out = [batch, ...restX, ...restY];
    return ops.reshape(ops.matmul(xm, ym), out.length === 1 ? [batch, 1] : out);
  }

  override call(inputs: Sym | Sym[]): Sym {
    return this.mergeFunction(this.inputList(inputs));
  }

  override computeOutputShape(inputShape: InputShape): SymbolicShape {
    const shapes = this.shapeList(inputShape);
    const [s1, s2] = shapes;
    const [a1, a2] = this.check(s1, s2);
    const out = [s1[0], ...s1.filter((_, i) => i !== 0 && i !== a1), ...s2.filter((_, i) => i !== 0 && i !== a2)];
    return out.length === 1 ? [out[0], 1] : out;
  }

  override computeMask(_inputs: Sym | Sym[], _mask: Mask): Mask {
    return null;
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), axes: typeof this.axes === 'number' ? this.axes : [...this.axes], normalize: this.normalize };
  }
}

function mod(a: number, n: number): number {
  return ((a % n) + n) % n;
}

function size(s: readonly number[]): number {
  return s.reduce((a, b) => a * b, 1);
}

/** `tf.math.l2_normalize`: `x / sqrt(max(sum(x^2, axis), 1e-12))`. */
function l2Normalize(x: Sym, axis: number): Sym {
  return ops.mul(x, ops.rsqrt(ops.maximum(ops.sum(ops.square(x), [axis], true), 1e-12)));
}

/**
 * Functional form of {@link Dot}: `dot(inputs, { axes })`.
 * @example const y = dot([a, b], { axes: -1 });
 */
export function dot(inputs: KerasTensor[], args: DotArgs): KerasTensor {
  return new Dot(args).apply(inputs);
}
