import { setBackend } from '@keras-ts/keras';
import type { Backend } from '@keras-ts/spec';
import { resolve } from 'node:path';
import { readCaseDir, type CaseFile } from './cases.js';
import { runCase, type CaseResult } from './run-case.js';
import { skipRecordToEntries, validateSkipList, type SkipEntry } from './skips.js';

export { loadCases, readCaseDir, caseProblem, type GoldenCase, type CaseFile } from './cases.js';
export { compare, fromGolden, Mismatch, type GoldenTensor } from './compare.js';
export { SkipCase, type KindRunner, type KindContext } from './kinds/context.js';
export { findSkip, loadSkipList, loadBackendSkipList, prefixCovers, validateSkipList, type SkipEntry } from './skips.js';
export { KINDS, runCase, type CaseResult, type CaseStatus } from './run-case.js';

export interface ConformanceOptions {
  /** Directories of cases in the keras-golden/1 format. */
  readonly caseDirs: readonly string[];
  /** Only cases whose id matches. */
  readonly filter?: (id: string) => boolean;
  /**
   * The cases this backend skips, each with its reason: a skip list (entries with `id` or
   * `prefix`), or a record from case id (or id prefix ending in '/') to reason.
   */
  readonly skip?: Readonly<Record<string, string>> | readonly SkipEntry[];
  /** Called with each result as soon as it is known (for progress output). */
  readonly onResult?: (result: CaseResult) => void;
}

export function selectCases(caseDirs: readonly string[], filter?: (id: string) => boolean): CaseFile[] {
  const seen = new Set<string>();
  const out: CaseFile[] = [];
  for (const dir of caseDirs) {
    const key = resolve(dir);
    if (seen.has(key)) continue;
    seen.add(key);
    for (const f of readCaseDir(dir)) {
      const id = f.case ? f.case.id : f.fallbackId;
      if (!filter || filter(id)) out.push(f);
    }
  }
  return out;
}

/**
 * Runs every golden case against a backend, building each through the public Keras API (so
 * config parsing is under test too), and reports pass, fail or skip per case with the worst
 * absolute and relative error. A case that is not run is never counted as passed: a case on the
 * skip list, of a kind the runner does not know, or needing a capability the backend lacks is a
 * skip with its reason; a file that is not a valid case, or a second case with an id already
 * seen, is a failure.
 *
 * @example
 * const results = await runConformance(createTsBackend(), { caseDirs: ['conformance/goldens/keras-3.16.0-torch'] });
 */
export async function runConformance(backend: Backend, options: ConformanceOptions): Promise<CaseResult[]> {
  const skips: readonly SkipEntry[] = Array.isArray(options.skip)
    ? validateSkipList(options.skip)
    : options.skip
      ? skipRecordToEntries(options.skip as Readonly<Record<string, string>>)
      : [];
  setBackend(backend);
  const results: CaseResult[] = [];
  const firstFile = new Map<string, string>();
  for (const f of selectCases(options.caseDirs, options.filter)) {
    let r: CaseResult;
    if (f.error !== undefined) {
      r = { id: f.fallbackId, backend: backend.name, status: 'fail', reason: `not a valid case file: ${f.error}`, file: f.file };
    } else if (firstFile.has(f.case.id)) {
      r = { id: f.case.id, backend: backend.name, status: 'fail', kind: f.case.kind, file: f.file, reason: `duplicate case id: ${f.file} has the id of ${firstFile.get(f.case.id)}; ids must be unique across case directories` };
    } else {
      firstFile.set(f.case.id, f.file);
      r = await runCase(backend, f.case, f.root, f.file, skips);
    }
    results.push(r);
    options.onResult?.(r);
  }
  return results;
}
