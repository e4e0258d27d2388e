import { snakeToCamel } from '../naming.js';

/**
 * How a Keras argument may be spelled in an arguments object: the Keras snake_case name (as in
 * Keras' Python API), the camelCase the config loader produces (`W_regularizer` -> `WRegularizer`,
 * `dropout_W` stays `dropout_W`), and the camelCase a TypeScript user writes (`dropoutW`,
 * `wRegularizer`).
 */
export function spellings(snake: string): string[] {
  const full = snake.replace(/_([A-Za-z0-9])/g, (_, c: string) => c.toUpperCase());
  const lowerFirst = full.charAt(0).toLowerCase() + full.slice(1);
  return [...new Set([snakeToCamel(snake), snake, full, lowerFirst])];
}

/** The camelCase key a Keras 2 argument has in an arguments object (`use_bias` -> `useBias`). */
export function camelKey(snake: string): string {
  return snakeToCamel(snake);
}

/** The key under which an argument is present (not undefined), in any of its spellings. */
export function findKey(args: Readonly<Record<string, unknown>>, snake: string): string | undefined {
  return spellings(snake).find((k) => Object.prototype.hasOwnProperty.call(args, k) && args[k] !== undefined);
}

/** Whether an argument is given (not undefined), in any spelling. */
export function hasArg(args: Readonly<Record<string, unknown>>, snake: string): boolean {
  return findKey(args, snake) !== undefined;
}

/** The value of an argument in any spelling (undefined when absent). */
export function getArg(args: Readonly<Record<string, unknown>>, snake: string): unknown {
  const k = findKey(args, snake);
  return k === undefined ? undefined : args[k];
}

/** Removes every spelling of an argument; returns the value it had (undefined when absent). */
export function takeArg(args: Record<string, unknown>, snake: string): unknown {
  const k = findKey(args, snake);
  const v = k === undefined ? undefined : args[k];
  for (const s of spellings(snake)) delete args[s];
  return v;
}

/** Whether a value is a plain object (an arguments object): not null, an array or a class instance. */
export function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto: unknown = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}

/** Whether two arguments objects hold the same keys with the same values (`===`). */
export function sameEntries(a: Readonly<Record<string, unknown>>, b: Readonly<Record<string, unknown>>): boolean {
  const ka = Object.keys(a);
  return ka.length === Object.keys(b).length && ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && a[k] === b[k]);
}

/** `JSON.stringify` for messages; an object JSON cannot hold (a KerasTensor, a cycle) as `<ClassName>`. */
function jsonOf(v: unknown): string | undefined {
  try {
    return JSON.stringify(v);
  } catch {
    return `<${(v as object).constructor?.name ?? 'object'}>`;
  }
}

/** A value as Keras' legacy warnings print it (Python literals, long values cut to 10 characters). */
export function pyRepr(v: unknown): string {
  if (typeof v === 'string') return `"${v}"`;
  let s: string;
  if (v === null || v === undefined) s = 'None';
  else if (typeof v === 'boolean') s = v ? 'True' : 'False';
  else if (Array.isArray(v)) s = `(${v.map((x) => (x === null ? 'None' : typeof x === 'string' ? `'${x}'` : jsonOf(x))).join(', ')}${v.length === 1 ? ',' : ''})`;
  else if (typeof v === 'object') s = jsonOf(v) ?? String(v);
  else s = String(v);
  return s.length > 10 ? `${s.slice(0, 10)}...` : s;
}

/** A value as a TypeScript literal for messages (long values cut). */
export function tsRepr(v: unknown): string {
  const s = typeof v === 'function' ? '<function>' : (jsonOf(v) ?? String(v));
  return s.length > 24 ? `${s.slice(0, 24)}...` : s;
}
