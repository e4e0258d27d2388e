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

/*
 * Two rules turn a name into snake_case, and they differ: a class name becomes a Keras object name
 * by words (`LSTMCell` -> `lstm_cell`), an argument name becomes its Keras spelling letter by letter
 * (`kernelSize` -> `kernel_size`, the inverse of `snakeToCamel`). test/naming.test.ts shows where
 * they part.
 */

/**
 * Keras' snake_case of a class name (Keras 3's `naming.to_snake_case`): `Conv2D` -> `conv2d`,
 * `BatchNormalization` -> `batch_normalization`, `LSTMCell` -> `lstm_cell`, `ReLU` -> `re_lu`,
 * `Block2Conv` -> `block2_conv`. Default names of layers, models and metrics are made of it, and
 * Keras 3 names the groups of its weights files by it. (Keras 2's rule also splits before a capital
 * followed by digits, naming ConvLSTM2D `conv_lst_m2d`; keras-ts names it `conv_lstm2d`.)
 */
export function toSnakeCase(name: string): string {
  return name
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** snake_case to camelCase, for argument names: `kernel_size` -> `kernelSize`. */
export function snakeToCamel(key: string): string {
  return key.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** camelCase to snake_case, for argument names: `kernelSize` -> `kernel_size` (each capital starts a word). */
export function camelToSnake(key: string): string {
  return key.replace(/([A-Z])/g, (c) => `_${c.toLowerCase()}`);
}

/** Resets the name counters (tests). */
export function resetNames(): void {
  counts.clear();
}
