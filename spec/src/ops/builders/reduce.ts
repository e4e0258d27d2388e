/** The builder functions of the reductions: each adds its op to the graph of its inputs. */
import type { Sym } from '../../graph/graph.js';
import { shapesEqual, type Shape } from '../../shape.js';
import { reshape } from './shape.js';

const red =
  (name: string) =>
  (x: Sym, axes: number | readonly number[] | null = null, keepdims = false): Sym =>
    x.graph.apply(name, [x], { axes: typeof axes === 'number' ? [axes] : axes, keepdims });

/**
 * Sum over `axes` (a number, a list, or null for every axis); `keepdims` keeps the reduced axes as
 * size 1.
 * @example sum(x, -1) // [2, 3] -> [2]
 */
export const sum = red('sum');
/**
 * Product over `axes` (a number, a list, or null for every axis); `keepdims` keeps the reduced axes
 * as size 1.
 */
export const prod = red('prod');
/**
 * Maximum over `axes` (a number, a list, or null for every axis); `keepdims` keeps the reduced axes
 * as size 1.
 * @example max(x, [1], true) // [2, 3] -> [2, 1]
 */
export const max = red('max');
/**
 * Minimum over `axes` (a number, a list, or null for every axis); `keepdims` keeps the reduced axes
 * as size 1.
 */
export const min = red('min');
/**
 * Arithmetic mean over `axes` (a number, a list, or null for every axis); `keepdims` keeps the
 * reduced axes as size 1.
 * @example mean(x) // a scalar
 */
export const mean = red('mean');
/**
 * log(sum(exp(x))) over `axes` (a number, a list, or null for every axis), computed stably around
 * the maximum.
 */
export const logsumexp = red('logsumexp');

/**
 * The int32 index of the largest element along `axis` (default the last).
 * @example argmax(logits) // [batch, classes] -> [batch]
 */
export function argmax(x: Sym, axis = -1): Sym {
  return x.graph.apply('argmax', [x], { axis });
}

/** The int32 index of the smallest element along `axis` (default the last). */
export function argmin(x: Sym, axis = -1): Sym {
  return x.graph.apply('argmin', [x], { axis });
}

/**
 * Sums a broadcast adjoint back to `shape`: over the leading axes it gained and over the axes
 * where `shape` has size 1. The inverse of numpy broadcasting, used by gradients.
 */
export function sumToShape(g: Sym, shape: Shape): Sym {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.rank - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.rank; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  const s = axes.length ? sum(g, axes, false) : g;
  return shapesEqual(s.shape, shape) ? s : reshape(s, shape);
}
