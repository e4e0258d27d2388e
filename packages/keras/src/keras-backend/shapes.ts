/**
 * Keras 2's backend functions that read a tensor's shape or type rather than compute: they work on
 * symbolic tensors, placeholders and concrete tensors alike.
 */
import { Sym, type DType } from '@keras-ts/spec';
import { KerasTensor } from '../engine/keras-tensor.js';
import { Variable } from '../engine/variable.js';
import { Tensor } from '../tensor.js';
import type { AnyTensor } from './dispatch.js';
import { KerasTypeError } from '../errors.js';

function check(x: unknown, what: string): AnyTensor {
  if (x instanceof Sym || x instanceof KerasTensor || x instanceof Tensor) return x;
  if (x instanceof Variable) return x.value;
  throw new KerasTypeError(`K.${what}: expected a tensor (symbolic, KerasTensor or Tensor), got ${x === null ? 'null' : typeof x}`);
}

/**
 * The shape as a tuple, `null` for a dimension not known yet (the batch of a placeholder).
 * @example K.int_shape(Input({ shape: [4] })) // [null, 4]
 */
export function intShape(x: AnyTensor | Variable): (number | null)[] {
  return [...check(x, 'int_shape').shape];
}

/**
 * The shape. Keras 2 gives a symbolic tensor; a traced keras-ts graph has static shapes, so inside
 * a Lambda or a layer's call every dimension is a number (the batch too): `K.shape(z)[0]` is the
 * batch size of the step being traced.
 */
export function shape(x: AnyTensor | Variable): (number | null)[] {
  return [...check(x, 'shape').shape];
}

/** The number of axes. */
export function ndim(x: AnyTensor | Variable): number {
  return check(x, 'ndim').shape.length;
}

/** The dtype name. */
export function dtype(x: AnyTensor | Variable): DType {
  return check(x, 'dtype').dtype;
}

/** A variable's value (a copy), as Keras' `K.get_value`. */
export function getValue(x: Variable | Tensor): Tensor {
  if (x instanceof Variable) return x.value.clone();
  if (x instanceof Tensor) return x.clone();
  throw new KerasTypeError(`K.get_value: expected a Variable or a Tensor, got ${x === null ? 'null' : typeof x}`);
}

/** Sets a variable's value (same shape), as Keras' `K.set_value`. */
export function setValue(x: Variable, value: Tensor): void {
  if (!(x instanceof Variable)) throw new KerasTypeError(`K.set_value: expected a Variable, got ${x === null ? 'null' : typeof x}`);
  x.assign(value);
}

/** The number of scalars in a variable or tensor. */
export function countParams(x: Variable | Tensor): number {
  return (x instanceof Variable ? x.value : x).size;
}
