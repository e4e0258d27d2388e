import { camelKey, findKey, hasArg, pyRepr, takeArg, tsRepr } from './arg-names.js';
import { alreadyWarned, markWarned } from './warnings.js';
import { KerasTypeError } from '../errors.js';

/**
 * The machinery of Keras 2's legacy interfaces (`keras/legacy/interfaces.py`): per object, a
 * preprocessor, value conversions of old arguments, and renames old -> new, followed by one
 * "Update your `X` call to the Keras 2 API" warning listing what was converted.
 */

/** One conversion made, for the warning: Keras 1 names, the Keras 2 name (null: dropped) and its value. */
export interface Converted {
  readonly olds: readonly string[];
  readonly name: string | null;
  readonly value?: unknown;
}

/**
 * What conversions work on: the converter's own copy of the arguments (which the rules rewrite;
 * the caller's object is never touched) and where to record what changed.
 */
export interface ConvertContext {
  /** The object in messages: a layer class (`Dense`) or a method (`fit_generator`). */
  readonly object: string;
  /** The object in error messages: `Dense 'dense_1'`. */
  readonly what: string;
  readonly args: Record<string, unknown>;
  readonly converted: Converted[];
  /** What the warning's signature starts with (a method's positional argument). */
  readonly leading?: string;
  /** Anything else a preprocessor needs (the generator of fit_generator). */
  readonly extra?: unknown;
}

export type Preprocessor = (ctx: ConvertContext) => void;

/** The conversions of one object, as Keras 2's `generate_legacy_interface` arguments. */
export interface Rules {
  /** Run first (structural changes: nb_row + nb_col -> kernel_size, ...). */
  readonly pre?: readonly Preprocessor[];
  /** Value conversions of old arguments, keyed by the old snake_case name ('tf' -> 'channels_last'). */
  readonly values?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Renames, [Keras 1 snake_case, Keras 2 snake_case]. */
  readonly renames?: readonly (readonly [string, string])[];
}

/** Keras 2's error for an argument given in both spellings. */
export function duplicateArgError(what: string, oldName: string, newName: string): Error {
  return new KerasTypeError(
    `${what}: the Keras 2 argument \`${newName}\` (${camelKey(newName)}) and its Keras 1 spelling \`${oldName}\` were both given; keep only \`${newName}\``,
  );
}

/** Moves an argument from its old name to its new one (camelCase key), refusing both at once. */
export function rename(ctx: ConvertContext, oldName: string, newName: string): boolean {
  if (findKey(ctx.args, oldName) === undefined) return false;
  const value = takeArg(ctx.args, oldName);
  if (hasArg(ctx.args, newName)) throw duplicateArgError(ctx.what, oldName, newName);
  ctx.args[camelKey(newName)] = value;
  ctx.converted.push({ olds: [oldName], name: newName, value });
  return true;
}

/** Applies an object's rules to its arguments, in Keras 2's order. */
export function applyRules(rules: Rules, ctx: ConvertContext): void {
  for (const p of rules.pre ?? []) p(ctx);
  for (const [oldName, map] of Object.entries(rules.values ?? {})) {
    const k = findKey(ctx.args, oldName);
    if (k === undefined) continue;
    const v = ctx.args[k];
    if (typeof v === 'string' && Object.prototype.hasOwnProperty.call(map, v)) ctx.args[k] = map[v];
  }
  for (const [oldName, newName] of rules.renames ?? []) rename(ctx, oldName, newName);
}

/**
 * Warns once per (object, Keras 1 name) about the conversions made, with the Keras 2 call that
 * gives the same (`Dense(units=10)`) and its TypeScript spelling.
 */
export function warnConverted(ctx: ConvertContext): void {
  const fresh = ctx.converted.filter((c) => c.olds.some((o) => !alreadyWarned(`${ctx.object}|${o}`)));
  if (!fresh.length) return;
  markWarned(fresh.flatMap((c) => c.olds.map((o) => `${ctx.object}|${o}`)));
  const kept = fresh.filter((c) => c.name !== null);
  const seen = new Set<string>();
  const unique = kept.filter((c) => !seen.has(c.name!) && seen.add(c.name!));
  const py = [...(ctx.leading ? [ctx.leading] : []), ...unique.map((c) => `${c.name}=${pyRepr(c.value)}`)].join(', ');
  const ts = unique.map((c) => `${camelKey(c.name!)}: ${tsRepr(c.value)}`).join(', ');
  const from = [...new Set(fresh.flatMap((c) => c.olds))].map((o) => `\`${o}\``).join(', ');
  const dropped = fresh.filter((c) => c.name === null).flatMap((c) => c.olds);
  let msg = `Update your \`${ctx.object}\` call to the Keras 2 API: \`${ctx.object}(${py})\``;
  if (unique.length) msg += ` (in TypeScript: \`{ ${ts} }\`)`;
  msg += `. Keras 1 argument(s) ${from} converted`;
  if (dropped.length) msg += `; ${dropped.map((o) => `\`${o}\``).join(', ')} no longer exist(s) in Keras 2 and ${dropped.length === 1 ? 'was' : 'were'} ignored`;
  console.warn(`${msg}.`);
}
