/** The builder functions of reshape, transpose and broadcast_to: each adds its op to the graph of its inputs. */
import type { Sym } from '../../graph/graph.js';
import { shapesEqual, sizeOf, type Shape } from '../../shape.js';

/**
 * Reshapes `x`; one dimension may be -1 and is then inferred.
 * @example reshape(x, [-1, 10])
 */
export function reshape(x: Sym, shape: Shape): Sym {
  let s = [...shape];
  const unknown = s.indexOf(-1);
  if (unknown >= 0) {
    const known = sizeOf(s.filter((_, i) => i !== unknown));
    s[unknown] = known === 0 ? 0 : sizeOf(x.shape) / known;
    if (!Number.isInteger(s[unknown])) s = [...shape]; // let the rule report it
  }
  if (shapesEqual(s, x.shape)) return x;
  return x.graph.apply('reshape', [x], { shape: s });
}

/**
 * Permutes the axes of `x` (output axis i is input axis perm[i]); without `perm` it reverses them.
 * Returns `x` for the identity permutation.
 * @example transpose(x, [0, 2, 1]) // [2, 3, 4] -> [2, 4, 3]
 */
export function transpose(x: Sym, perm?: readonly number[]): Sym {
  const p = perm ? [...perm] : Array.from({ length: x.rank }, (_, i) => x.rank - 1 - i);
  if (p.every((v, i) => v === i) && p.length === x.rank) return x;
  return x.graph.apply('transpose', [x], { perm: p });
}

/**
 * Broadcasts `x` to `shape`, numpy-style; returns `x` when it has that shape already.
 * @example broadcastTo(b, [4, 3]) // [3] -> [4, 3]
 */
export function broadcastTo(x: Sym, shape: Shape): Sym {
  if (shapesEqual(x.shape, shape)) return x;
  return x.graph.apply('broadcast_to', [x], { shape: [...shape] });
}
