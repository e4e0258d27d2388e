const counts = new Map<string, number>();

/**
 * Keras' unique names: the first `dense`, then `dense_1`, `dense_2`, ... With `zeroBased`
 * false (Keras 2's inputs), the first is `input_1`.
 */
export function uniqueName(prefix: string, zeroBased = true): string {
  const n = counts.get(prefix) ?? 0;
  counts.set(prefix, n + 1);
  if (!zeroBased) return `${prefix}_${n + 1}`;
  return n === 0 ? prefix : `${prefix}_${n}`;
}

/** Keras' snake_case of a class name: `Conv2D` -> `conv2d`, `BatchNormalization` -> `batch_normalization`. */
export function toSnakeCase(name: string): string {
  return name
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** snake_case to camelCase: `kernel_size` -> `kernelSize`. */
export function snakeToCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** camelCase to snake_case: `kernelSize` -> `kernel_size`. */
export function camelToSnake(key: string): string {
  return key.replace(/([A-Z])/g, (c) => `_${c.toLowerCase()}`);
}

/** Resets the name counters (tests). */
export function resetNames(): void {
  counts.clear();
}
