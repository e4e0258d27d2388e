import { L1, L2, L1L2, type L1L2Args } from './l1-l2.js';

/**
 * Keras 2's `regularizers.l1(l=0.01)`: an L1 regularizer; the factor positional or as `{ l1 }`.
 * @example new Dense({ units: 64, kernelRegularizer: regularizers.l1(1e-4) })
 */
export function l1(l: number | { l1?: number | null; l?: number | null } = 0.01): L1 {
  return new L1(typeof l === 'number' ? { l1: l } : l);
}

/**
 * Keras 2's `regularizers.l2(l=0.01)`: an L2 regularizer; the factor positional or as `{ l2 }`.
 * @example new Dense({ units: 64, kernelRegularizer: regularizers.l2(0.01) })
 */
export function l2(l: number | { l2?: number | null; l?: number | null } = 0.01): L2 {
  return new L2(typeof l === 'number' ? { l2: l } : l);
}

/**
 * Keras 2's `regularizers.l1_l2(l1=0.01, l2=0.01)`, positional or as `{ l1, l2 }` (both default
 * to 0.01, unlike the `L1L2` class, whose defaults are 0).
 * @example regularizers.l1_l2(1e-5, 1e-4)
 */
export function l1_l2(l1Factor: number | L1L2Args = 0.01, l2Factor = 0.01): L1L2 {
  const a = typeof l1Factor === 'number' ? { l1: l1Factor, l2: l2Factor } : l1Factor;
  return new L1L2({ l1: a.l1 ?? 0.01, l2: a.l2 ?? 0.01 });
}
