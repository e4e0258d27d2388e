import { ops, type Sym } from '@keras-ts/spec';

/** Repeats every element of `x` `times` times along `axis` (Keras' `repeat_elements`). */
export function repeatElements(x: Sym, times: number, axis: number): Sym {
  if (times === 1) return x;
  const expanded = ops.expandDims(x, axis + 1);
  const target = [...expanded.shape];
  target[axis + 1] = times;
  const shape = [...x.shape];
  shape[axis] *= times;
  return ops.reshape(ops.broadcastTo(expanded, target), shape);
}
