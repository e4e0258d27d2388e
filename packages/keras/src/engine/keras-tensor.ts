import type { DType } from '@keras-ts/spec';
import type { Layer } from './layer.js';
import { KerasTypeError } from '../errors.js';

/** A shape with `null` for a dimension not known until data arrives (the batch, usually). */
export type SymbolicShape = readonly (number | null)[];

let nextId = 0;

/**
 * A placeholder for the functional API: what `Input()` returns and what a layer called on
 * placeholders returns. It records where it came from, so that a `Model` can be built from its
 * inputs and outputs.
 *
 * @example
 * const x = Input({ shape: [8] });
 * const y = new Dense({ units: 2 }).apply(x);
 * y.shape; // [null, 2]
 */
export class KerasTensor {
  readonly id = nextId++;
  constructor(
    readonly shape: SymbolicShape,
    readonly dtype: DType,
    /** The layer whose output this is, the index of that call, and the output index. */
    readonly source: { readonly layer: Layer; readonly nodeIndex: number; readonly tensorIndex: number },
    readonly name: string,
    /** Whether a mask travels with this tensor (Embedding(mask_zero), Masking, ...). */
    readonly hasMask = false,
  ) {}

  get rank(): number {
    return this.shape.length;
  }

  /**
   * A placeholder belongs to no traced graph: an op of `@keras-ts/spec` given one fails here with
   * what to use instead (Keras 2 wraps such a call in a TFOpLambda layer; keras-ts' backend
   * functions do the same).
   */
  get graph(): never {
    throw new KerasTypeError(
      `${this.toString()} is a placeholder of the functional API, not a symbolic tensor: the ops of @keras-ts/spec run inside a traced function ` +
        `(a Lambda, a layer's call, a loss). On placeholders use the backend functions (keras.backend: K.add, K.mean, K.concatenate, ...), ` +
        `which add a layer node to the model, or wrap the computation in a Lambda layer`,
    );
  }

  /** The tensor as Keras prints it: `KerasTensor(shape=[None, 4], dtype=float32, name=...)`. */
  toString(): string {
    return `KerasTensor(shape=[${this.shape.map((d) => d ?? 'None').join(', ')}], dtype=${this.dtype}, name=${this.name})`;
  }
}

/** One call of a layer on placeholders: its inputs, outputs and call arguments. */
export interface LayerNode {
  readonly inputs: readonly KerasTensor[];
  readonly outputs: readonly KerasTensor[];
  /** Whether the inputs were passed as a list (merge layers) or a single tensor. */
  readonly inputIsList: boolean;
  readonly kwargs: Readonly<Record<string, unknown>>;
}
