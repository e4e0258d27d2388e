/** The builder functions of where, cast and clip: each adds its op to the graph of its inputs. */
import type { DType } from '../../dtype.js';
import type { Sym } from '../../graph/graph.js';
import { lift, type Operand } from '../operand.js';

/**
 * Elementwise `cond ? a : b`, with numpy broadcasting over all three; a number becomes a scalar of
 * the other branch's dtype (float32 when both are numbers).
 * @example where(greater(x, 0), x, 0) // relu
 */
export function where(cond: Sym, a: Operand, b: Operand): Sym {
  const [x, y] = lift([a, b]);
  return cond.graph.apply('where', [cond, x, y]);
}

/**
 * Converts `x` to `dtype` (returns `x` itself when it already has it): float to int truncates
 * toward zero; to bool tests != 0.
 * @example cast(greater(x, 0), 'float32') // 1 where x > 0, else 0
 */
export function cast(x: Sym, dtype: DType): Sym {
  return x.dtype === dtype ? x : x.graph.apply('cast', [x], { dtype });
}

/**
 * Clamps `x` into [min, max]; the gradient passes where min ≤ x ≤ max.
 * @example clip(x, 0, 6) // relu6
 */
export function clip(x: Sym, min: number, max: number): Sym {
  return x.graph.apply('clip', [x], { min, max });
}
