import type { Logs } from '../callbacks/callback.js';

const names = new WeakMap<object, string[]>();

/**
 * Records the log keys of a model's last training or test pass (without the `val_` ones): Keras
 * 2's `metrics_names`, which lists the metrics once they have run on data.
 */
export function recordMetricsNames(model: object, logs: Logs): void {
  names.set(model, Object.keys(logs).filter((k) => !k.startsWith('val_')));
}

/** The recorded names (`[]` before the first pass, as tf.keras 2). */
export function metricsNamesOf(model: object): string[] {
  return [...(names.get(model) ?? [])];
}

/** Forgets the names (a new compile). */
export function clearMetricsNames(model: object): void {
  names.delete(model);
}
