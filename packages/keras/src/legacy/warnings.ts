/**
 * One-time deprecation warnings for Keras 1 spellings: each key (such as `Dense|output_dim`) is
 * reported once per process, as Python's default warning filter does for Keras 2's
 * `warnings.warn` calls.
 */

const warned = new Set<string>();

/** Warns with `console.warn` unless `key` was already warned about; returns whether it warned. */
export function warnOnce(key: string, message: string): boolean {
  if (warned.has(key)) return false;
  warned.add(key);
  console.warn(message);
  return true;
}

/** Whether a key has been warned about already. */
export function alreadyWarned(key: string): boolean {
  return warned.has(key);
}

/** Marks keys as warned about (when one message covers several). */
export function markWarned(keys: readonly string[]): void {
  for (const k of keys) warned.add(k);
}

/** Forgets which Keras 1 spellings were warned about, so they warn again (tests). */
export function resetLegacyWarnings(): void {
  warned.clear();
}
