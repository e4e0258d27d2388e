import { fmtShape, shapesEqual, type DType, type HostTensor, type Shape, type Sym } from '@keras-ts/spec';
import { Tensor } from '../tensor.js';
import { currentScope } from './scope.js';
import { KerasShapeError, KerasStateError } from '../errors.js';

/** A weight's constraint, applied to the new value after each optimizer update (as Keras). */
export interface VariableConstraint {
  apply(w: Sym): Sym;
}

/** A weight's regularizer: a penalty added to the training loss. */
export interface VariableRegularizer {
  penalty(w: Sym): Sym;
}

let nextVariableId = 0;

/**
 * A weight or state value owned by a layer, optimizer or metric. Its value lives in host memory
 * between steps; inside a traced function `read()` gives the symbolic tensor it is fed as.
 */
export class Variable {
  /** A process-unique id (compiled functions are keyed by the variables they train). */
  readonly id = nextVariableId++;
  private _value: Tensor;
  constraint: VariableConstraint | null = null;
  regularizer: VariableRegularizer | null = null;

  constructor(
    /** Short name, such as `kernel`. */
    readonly name: string,
    value: HostTensor,
    public trainable = true,
    /** Keras' variable path, such as `dense/kernel`. */
    public path = name,
  ) {
    this._value = Tensor.from(value);
    this._value.stable = true;
  }

  get shape(): readonly number[] {
    return this._value.shape;
  }

  get dtype(): DType {
    return this._value.dtype;
  }

  get value(): Tensor {
    return this._value;
  }

  /** Replaces the value; the shape and dtype must stay the same. */
  assign(value: HostTensor): void {
    if (!shapesEqual(value.shape, this._value.shape) || value.dtype !== this._value.dtype) {
      throw new KerasShapeError(
        `variable '${this.path}' is ${this._value.dtype}${fmtShape(this._value.shape)}; cannot assign a ${value.dtype}${fmtShape(value.shape)} value`,
      );
    }
    // A variable's value is never mutated in place (assign replaces it), so backends may cache it.
    this._value = Tensor.from(value);
    this._value.stable = true;
  }

  /** The symbolic tensor of this variable in the function being traced. */
  read(): Sym {
    const scope = currentScope();
    if (!scope) throw new KerasStateError(`variable '${this.path}' can only be read inside a traced function (a layer's call)`);
    return scope.read(this);
  }
}

export function checkShape(path: string, want: Shape, got: Shape): void {
  if (!shapesEqual(want, got)) throw new KerasShapeError(`weight '${path}' has shape ${fmtShape(want)}; the value given has shape ${fmtShape(got)}`);
}
