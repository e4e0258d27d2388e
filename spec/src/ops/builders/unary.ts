/** The builder functions of the unary elementwise ops: each adds its op to the graph of its inputs. */
import type { Sym } from '../../graph/graph.js';

const u = (name: string) => (x: Sym): Sym => x.graph.apply(name, [x]);

/** Elementwise negation, -x. */
export const neg = u('neg');
/** Elementwise absolute value, |x|. */
export const abs = u('abs');
/** The sign of each element: -1, 0 or 1. */
export const sign = u('sign');
/** Elementwise e^x. */
export const exp = u('exp');
/** Elementwise natural logarithm. */
export const log = u('log');
/** Elementwise log(1 + x), accurate for x near 0. */
export const log1p = u('log1p');
/** Elementwise e^x - 1, accurate for x near 0. */
export const expm1 = u('expm1');
/** Elementwise square root. */
export const sqrt = u('sqrt');
/** Elementwise reciprocal square root, 1 / sqrt(x). */
export const rsqrt = u('rsqrt');
/** Elementwise square, x². */
export const square = u('square');
/** Elementwise reciprocal, 1 / x. */
export const reciprocal = u('reciprocal');
/** Elementwise sine (radians). */
export const sin = u('sin');
/** Elementwise cosine (radians). */
export const cos = u('cos');
/** Elementwise hyperbolic tangent. */
export const tanh = u('tanh');
/** Elementwise logistic function, 1 / (1 + e^-x). */
export const sigmoid = u('sigmoid');
/**
 * Elementwise max(x, 0).
 * @example relu(matmul(x, w))
 */
export const relu = u('relu');
/** Elementwise Gauss error function. */
export const erf = u('erf');
/** Rounds each element down to an integer (float32). */
export const floor = u('floor');
/** Rounds each element up to an integer (float32). */
export const ceil = u('ceil');
/** Rounds each element to the nearest integer, halves to even (float32). */
export const round = u('round');
/** Elementwise log(1 + e^x). */
export const softplus = u('softplus');
/** Elementwise logical NOT of a bool tensor. */
export const logicalNot = u('logical_not');
