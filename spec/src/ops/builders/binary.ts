/** The builder functions of the binary elementwise ops: each adds its op to the graph of its inputs. */
import type { Sym } from '../../graph/graph.js';
import { lift, type Operand } from '../operand.js';

const bin =
  (name: string) =>
  (a: Operand, b: Operand): Sym => {
    const [x, y] = lift([a, b]);
    return x.graph.apply(name, [x, y]);
  };

/**
 * Elementwise a + b.
 * @example add(matmul(x, w), bias) // bias [out] broadcast over the batch
 */
export const add = bin('add');
/** Elementwise a - b. */
export const sub = bin('sub');
/**
 * Elementwise a · b.
 * @example mul(x, 0.5)
 */
export const mul = bin('mul');
/** Elementwise a / b; int32 division floors (rounds toward negative infinity), as TensorFlow. */
export const div = bin('div');
/** Elementwise a raised to b (float32). */
export const pow = bin('pow');
/** Elementwise larger of a and b. */
export const maximum = bin('maximum');
/** Elementwise smaller of a and b. */
export const minimum = bin('minimum');
/** Elementwise a == b, as bool. */
export const equal = bin('equal');
/** Elementwise a != b, as bool. */
export const notEqual = bin('not_equal');
/** Elementwise a < b, as bool. */
export const less = bin('less');
/** Elementwise a <= b, as bool. */
export const lessEqual = bin('less_equal');
/** Elementwise a > b, as bool. */
export const greater = bin('greater');
/** Elementwise a >= b, as bool. */
export const greaterEqual = bin('greater_equal');
/** Elementwise logical AND of bool tensors. */
export const logicalAnd = bin('logical_and');
/** Elementwise logical OR of bool tensors. */
export const logicalOr = bin('logical_or');
