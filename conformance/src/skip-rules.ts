/**
 * The rules of skip lists, with no file access (browser-safe): what an entry is, how one is
 * checked, and which entry skips a case. skips.ts reads the lists from files.
 */
import { KerasValueError } from '@keras-ts/spec';

/**
 * One entry of a backend's skip list: a case id, or an id prefix, and why the backend does not
 * run it. `evidence` (optional) says how the reason was established (an issue, a comparison).
 */
export type SkipEntry =
  | { readonly id: string; readonly prefix?: undefined; readonly reason: string; readonly evidence?: string }
  | { readonly prefix: string; readonly id?: undefined; readonly reason: string; readonly evidence?: string };

const KEYS = new Set(['id', 'prefix', 'reason', 'evidence']);

/**
 * Checks a skip list: every entry names exactly one of `id` or `prefix` and gives a non-empty
 * `reason`. Throws an error naming the entry otherwise, so that no case is skipped silently.
 */
export function validateSkipList(entries: unknown, source = 'skip list'): SkipEntry[] {
  const list = Array.isArray(entries) ? entries : (entries as { skips?: unknown } | null)?.skips;
  if (!Array.isArray(list)) throw new KerasValueError(`${source}: expected an array of skip entries, or an object with a "skips" array`);
  return list.map((e, i) => {
    const where = `${source}: entry ${i}`;
    if (typeof e !== 'object' || e === null || Array.isArray(e)) throw new KerasValueError(`${where} is not an object`);
    const o = e as Record<string, unknown>;
    for (const k of Object.keys(o)) if (!KEYS.has(k)) throw new KerasValueError(`${where} has an unknown key '${k}' (allowed: id, prefix, reason, evidence)`);
    const hasId = o.id !== undefined;
    const hasPrefix = o.prefix !== undefined;
    if (hasId === hasPrefix) throw new KerasValueError(`${where} must give exactly one of "id" or "prefix"`);
    const key = hasId ? o.id : o.prefix;
    if (typeof key !== 'string' || key === '') throw new KerasValueError(`${where}: "${hasId ? 'id' : 'prefix'}" must be a non-empty string`);
    if (typeof o.reason !== 'string' || o.reason.trim() === '') throw new KerasValueError(`${where} (${key}) has no reason; every skip needs one`);
    if (o.evidence !== undefined && typeof o.evidence !== 'string') throw new KerasValueError(`${where} (${key}): "evidence" must be a string`);
    return (hasId ? { id: key, reason: o.reason, evidence: o.evidence } : { prefix: key, reason: o.reason, evidence: o.evidence }) as SkipEntry;
  });
}

/**
 * Whether a prefix covers an id: the id itself, or an id below it (`layers/LSTM` covers
 * `layers/LSTM/basic`, not `layers/LSTMCell`); a prefix ending in `/` covers everything below it.
 */
export function prefixCovers(prefix: string, id: string): boolean {
  if (prefix.endsWith('/')) return id.startsWith(prefix);
  return id === prefix || id.startsWith(`${prefix}/`);
}

/** The entry that skips a case: an `id` entry first, else the longest matching `prefix`. */
export function findSkip(id: string, entries: readonly SkipEntry[]): SkipEntry | undefined {
  const exact = entries.find((e) => e.id === id);
  if (exact) return exact;
  let best: SkipEntry | undefined;
  for (const e of entries) if (e.prefix !== undefined && prefixCovers(e.prefix, id) && (!best || e.prefix.length > (best.prefix as string).length)) best = e;
  return best;
}

/** A skip entry's reason as reports show it. */
export const skipText = (e: SkipEntry): string => (e.evidence ? `${e.reason} (evidence: ${e.evidence})` : e.reason);

/** The old record form (`{ id: reason }`, keys ending in `/` are prefixes) as entries. */
export function skipRecordToEntries(skip: Readonly<Record<string, string>>): SkipEntry[] {
  return validateSkipList(
    Object.entries(skip).map(([k, reason]) => (k.endsWith('/') ? { prefix: k, reason } : { id: k, reason })),
    'skip record',
  );
}
