import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { KerasValueError } from '@keras-ts/spec';

/** One golden case in the `keras-golden/1` format (see goldens/README.md). */
export interface GoldenCase {
  readonly format: 'keras-golden/1';
  readonly id: string;
  readonly kind: string;
  readonly keras_version: string;
  readonly backend: string;
  readonly tolerance: { readonly rtol: number; readonly atol: number };
  readonly [field: string]: unknown;
}

/** A case file as read from a directory: the case, or why the file is not a valid case. */
export type CaseFile =
  | { readonly root: string; readonly file: string; readonly case: GoldenCase; readonly error?: undefined }
  | { readonly root: string; readonly file: string; readonly case?: undefined; readonly error: string; readonly fallbackId: string };

/** Why a parsed JSON value is not a `keras-golden/1` case, or null when it is one. */
export function caseProblem(c: unknown): string | null {
  if (typeof c !== 'object' || c === null || Array.isArray(c)) return 'not a JSON object';
  const o = c as Record<string, unknown>;
  if (o.format !== 'keras-golden/1') return `format is ${JSON.stringify(o.format)}, expected "keras-golden/1"`;
  if (typeof o.id !== 'string' || o.id === '') return 'a case needs a string "id"';
  if (typeof o.kind !== 'string' || o.kind === '') return 'a case needs a string "kind"';
  const t = o.tolerance as { rtol?: unknown; atol?: unknown } | undefined;
  if (typeof t !== 'object' || t === null || typeof t.rtol !== 'number' || typeof t.atol !== 'number' || !(t.rtol >= 0) || !(t.atol >= 0)) {
    return 'a case needs "tolerance": {"rtol": number >= 0, "atol": number >= 0}';
  }
  return null;
}

/**
 * Reads every `*.json` file below `dir` (sorted, depth first); `root` is `dir`, against which a
 * case's `files` paths resolve. A file that is not a valid case is
 * returned with the reason, so that the runner reports it as a failure instead of dropping it.
 */
export function readCaseDir(dir: string): CaseFile[] {
  let st;
  try {
    st = statSync(dir);
  } catch {
    throw new KerasValueError(`case directory ${dir} does not exist`);
  }
  if (!st.isDirectory()) throw new KerasValueError(`case directory ${dir} is not a directory`);
  const out: CaseFile[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.json')) {
        const rel = relative(dir, p);
        const fallbackId = rel.slice(0, -'.json'.length).split(sep).join('/');
        let parsed: unknown;
        try {
          parsed = JSON.parse(readFileSync(p, 'utf8'));
        } catch (e) {
          out.push({ root: dir, file: p, error: `${rel}: not valid JSON (${(e as Error).message})`, fallbackId });
          continue;
        }
        const problem = caseProblem(parsed);
        if (problem) out.push({ root: dir, file: p, error: `${rel}: ${problem}`, fallbackId });
        else out.push({ root: dir, file: p, case: parsed as GoldenCase });
      }
    }
  };
  walk(dir);
  return out;
}

/** Reads every `*.json` case below `dir`; a file that is not a case is an error naming it. */
export function loadCases(dir: string): GoldenCase[] {
  return readCaseDir(dir).map((f) => {
    if (f.error !== undefined) throw new KerasValueError(f.error);
    return f.case;
  });
}
