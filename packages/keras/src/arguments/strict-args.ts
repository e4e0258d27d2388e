import { describeValue, KerasTypeError } from '../errors.js';
import { snakeToCamel } from '../naming.js';

/**
 * Strict arguments: an argument a class or method does not take is an error that names the class,
 * the argument, its value and the nearest argument it does take, as Keras 2 refuses unknown
 * keyword arguments (`TypeError: Keyword argument not understood`). The TypeScript API spells
 * arguments in camelCase, so a snake_case spelling of a known argument gets
 * "did you mean 'inputShape'? (arguments are camelCase in TypeScript)".
 *
 * Configs read from files (Keras' snake_case wire format, through `deserialize`, or `fromConfig`
 * with `configToArgs`) are not checked here: see {@link checksUnknownArgs}.
 */

const wire = new WeakSet<object>();

/** Marks an arguments object as made from a Keras config (a file), which is not checked for unknown keys. */
export function markWireArgs<T extends object>(args: T): T {
  wire.add(args);
  return args;
}

/** Whether an arguments object was made from a Keras config (see {@link markWireArgs}). */
export function isWireArgs(args: unknown): boolean {
  return typeof args === 'object' && args !== null && wire.has(args);
}

/** `copy` (made from `args`) marked as `args` is: a copy of a config's arguments is not checked either. */
export function keepWireMark<T extends object>(args: unknown, copy: T): T {
  return isWireArgs(args) ? markWireArgs(copy) : copy;
}

const layerArgs = new WeakSet<object>();

/**
 * Marks the arguments a layer was constructed with: their keys are the layer constructor's to
 * check (against the class and its ancestors), not those of a schema that holds only some of
 * them (a user's layer calling `parseArgs` with a plain `z.object` of its own arguments).
 */
export function markLayerArgs(args: unknown): void {
  if (typeof args === 'object' && args !== null) layerArgs.add(args);
}

/** Whether `args` are a layer's constructor arguments (see {@link markLayerArgs}). */
export function isLayerArgs(args: unknown): boolean {
  return typeof args === 'object' && args !== null && layerArgs.has(args);
}

let wireDepth = 0;

/**
 * Runs `read` as a reader of a Keras config: arguments built inside it are not checked for
 * unknown keys (`deserialize` runs every `fromConfig` this way).
 */
export function readingWireConfig<T>(read: () => T): T {
  wireDepth++;
  try {
    return read();
  } finally {
    wireDepth--;
  }
}

/** Whether arguments are checked for unknown keys: not for configs read from files. */
export function checksUnknownArgs(args: unknown): boolean {
  return wireDepth === 0 && !isWireArgs(args);
}

/**
 * The edit distance of two strings (optimal string alignment: insertions, deletions,
 * substitutions and swaps of adjacent characters each count one).
 */
export function editDistance(a: string, b: string): number {
  const m = a.length;
  const n = b.length;
  const d: number[][] = Array.from({ length: m + 1 }, (_, i) => Array.from({ length: n + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= m; i++) {
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[m][n];
}

/**
 * The accepted argument nearest to an unknown one, or undefined when none is near: the camelCase
 * form of a snake_case spelling (`input_shape` -> `inputShape`), the same name in another case
 * (`batchsize` -> `batchSize`), or a small typo (`epoch` -> `epochs`, `lerning_rate` ->
 * `learningRate`): at most 1 edit for names up to 4 characters, 2 up to 8, 3 beyond.
 */
export function nearestKey(key: string, accepted: Iterable<string>): string | undefined {
  const list = [...accepted];
  const exact = list.find((k) => k === snakeToCamel(key));
  if (exact) return exact;
  const folded = (s: string) => s.replace(/_/g, '').toLowerCase();
  const sameLetters = list.find((k) => folded(k) === folded(key));
  if (sameLetters) return sameLetters;
  const limit = folded(key).length <= 4 ? 1 : folded(key).length <= 8 ? 2 : 3;
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of list) {
    // Lengths further apart than the limit are further apart in edits too: not measured (a key of
    // 100,000 characters from a file would cost seconds per accepted name).
    if (Math.abs(folded(key).length - folded(k).length) > limit) continue;
    const dist = editDistance(folded(key), folded(k));
    if (dist < bestDistance) [best, bestDistance] = [k, dist];
  }
  return bestDistance <= limit ? best : undefined;
}

/** One unknown argument as a message names it: its value and the nearest accepted argument. */
function describeUnknown(key: string, value: unknown, accepted: readonly string[]): string {
  const near = nearestKey(key, accepted);
  const camel = near !== undefined && near === snakeToCamel(key) && near !== key;
  const hint = near === undefined ? '' : `; did you mean '${near}'?${camel ? ' (arguments are camelCase in TypeScript)' : ''}`;
  return `'${key}' (got ${describeValue(value)})${hint}`;
}

/** Lists of accepted arguments up to this long are always shown in full. */
const SHORT_LIST = 10;

/**
 * The error for unknown arguments: names `what` (the class, the object), each argument with its
 * value and the nearest accepted argument, and the arguments accepted (when none is near, or
 * when they are few).
 *
 * @example
 * unknownArgumentsError('Dense', { use_bias: false }, ['units', 'useBias']).message;
 * // "Dense: unknown argument 'use_bias' (got false); did you mean 'useBias'? (arguments are camelCase in TypeScript) Dense takes units, useBias"
 */
export function unknownArgumentsError(what: string, unknown: Readonly<Record<string, unknown>>, accepted: readonly string[]): TypeError {
  const keys = Object.keys(unknown);
  const parts = keys.map((k) => describeUnknown(k, unknown[k], accepted));
  const allNear = keys.every((k) => nearestKey(k, accepted) !== undefined);
  const cls = what.replace(/ '.*$/, '');
  const sep = /[?)]$/.test(parts[parts.length - 1]) && parts[parts.length - 1].includes('did you mean') ? ' ' : '; ';
  const takes = allNear && accepted.length > SHORT_LIST ? '' : `${sep}${cls} takes ${accepted.length ? accepted.join(', ') : 'no arguments'}`;
  return new KerasTypeError(`${what}: unknown argument${keys.length > 1 ? 's' : ''} ${parts.join('; ')}${takes}`);
}

/**
 * The keys of `args` that are not accepted (keys holding `undefined` count as not given).
 */
export function unknownKeys(args: object, accepted: ReadonlySet<string> | readonly string[]): string[] {
  const has = (k: string) => (Array.isArray(accepted) ? (accepted as readonly string[]).includes(k) : (accepted as ReadonlySet<string>).has(k));
  return Object.keys(args).filter((k) => (args as Record<string, unknown>)[k] !== undefined && !has(k));
}

/**
 * Refuses keys of `args` that are not in `accepted` (unless `args` came from a Keras config, see
 * {@link checksUnknownArgs}), with {@link unknownArgumentsError}.
 */
export function checkArgKeys(args: unknown, accepted: readonly string[], what: string): void {
  if (args === null || typeof args !== 'object' || !checksUnknownArgs(args)) return;
  const bad = unknownKeys(args, accepted);
  if (!bad.length) return;
  throw unknownArgumentsError(what, Object.fromEntries(bad.map((k) => [k, (args as Record<string, unknown>)[k]])), accepted);
}

/**
 * Checks that the options argument of a method is an object (or absent) and holds only accepted
 * keys; a number, string or array in its place (Keras' positional forms, say
 * `fit(x, y, 32, 10)`) is refused with what to pass instead.
 */
export function checkOptionsObject(args: unknown, accepted: readonly string[], what: string, example: string): void {
  if (args === undefined || args === null) return;
  if (typeof args !== 'object' || Array.isArray(args) || Object.getPrototypeOf(args) !== Object.prototype && Object.getPrototypeOf(args) !== null) {
    throw new KerasTypeError(`${what}: expected an options object such as ${example}, got ${describeValue(args)}`);
  }
  checkArgKeys(args, accepted, what);
}
