/**
 * Argument checks shared by `utils` and `preprocessing`: each error names the function, the
 * argument, the value it got and what was expected, as
 * `padSequences: argument 'padding' got "middle": expected 'pre' or 'post'`.
 */
import { checkOptionsObject } from '../arguments/strict-args.js';
import { describeValue, KerasTypeError } from '../errors.js';

/** The error for a bad argument value. */
export function argError(fn: string, arg: string, value: unknown, expected: string): TypeError {
  return new KerasTypeError(`${fn}: argument '${arg}' got ${describeValue(value)}: expected ${expected}`);
}

/**
 * Checks an options object: absent, or a plain object holding only `accepted` keys (an unknown key
 * is an error naming the nearest accepted one); returns it, `{}` when absent.
 */
export function readOptions<T extends object>(fn: string, options: T | null | undefined, accepted: readonly string[], example: string): Partial<T> {
  checkOptionsObject(options, accepted, fn, example);
  return options ?? {};
}

/** An integer at least `min`; `undefined` (and `null` when `nullable`) gives `fallback`. */
export function intArg(fn: string, arg: string, value: unknown, fallback: number, min = 0): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min) throw argError(fn, arg, value, min === 0 ? 'a non-negative integer' : min === 1 ? 'a positive integer' : `an integer >= ${min}`);
  return value;
}

/** An integer at least `min`, or null (`undefined` gives null). */
export function optionalIntArg(fn: string, arg: string, value: unknown, min = 0): number | null {
  if (value === undefined || value === null) return null;
  return intArg(fn, arg, value, 0, min);
}

/** A finite number; `undefined` gives `fallback`. */
export function numberArg(fn: string, arg: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value)) throw argError(fn, arg, value, 'a finite number');
  return value;
}

/** A boolean; `undefined` gives `fallback`. */
export function boolArg(fn: string, arg: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') throw argError(fn, arg, value, 'true or false');
  return value;
}

/** A string; `undefined` gives `fallback`. */
export function stringArg(fn: string, arg: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  if (typeof value !== 'string') throw argError(fn, arg, value, 'a string');
  return value;
}

/** One of `choices`; `undefined` gives `fallback`. */
export function choiceArg<C extends string>(fn: string, arg: string, value: unknown, choices: readonly C[], fallback: C): C {
  if (value === undefined) return fallback;
  if (!choices.includes(value as C)) throw argError(fn, arg, value, choices.map((c) => `'${c}'`).join(choices.length === 2 ? ' or ' : ', '));
  return value as C;
}
