/** How a monitored quantity improves: Keras' 'auto' picks max for accuracy and AUC, min otherwise. */
export function monitorMode(monitor: string, mode: 'auto' | 'min' | 'max'): 'min' | 'max' {
  if (mode !== 'auto') return mode;
  return /(acc|accuracy|auc)$/.test(monitor) ? 'max' : 'min';
}

export function warnMissing(who: string, monitor: string, logs: Record<string, number>): void {
  console.warn(`${who}: the metric '${monitor}' is not available; available metrics are: ${Object.keys(logs).join(', ')}`);
}
