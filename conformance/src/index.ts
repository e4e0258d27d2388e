import { setBackend } from '@keras-ts/keras';
import type { Backend } from '@keras-ts/spec';
import { resolve } from 'node:path';
import { readCaseDir, type CaseFile, type GoldenCase } from './cases.js';
import { ErrorTracker, Mismatch } from './compare.js';
import { runActivationCase } from './kinds/activation.js';
import { SkipCase, type KindRunner } from './kinds/context.js';
import { findSkip, skipRecordToEntries, skipText, validateSkipList, type SkipEntry } from './skips.js';
import { runLayerCase } from './kinds/layer.js';
import { runLossCase } from './kinds/loss.js';
import { runMetricCase } from './kinds/metric.js';
import { runOptimizerCase } from './kinds/optimizer.js';
import { runModelCase } from './kinds/model.js';
import { runTrainingCase } from './kinds/training.js';

export { loadCases, readCaseDir, caseProblem, type GoldenCase, type CaseFile } from './cases.js';
export { compare, fromGolden, Mismatch, type GoldenTensor } from './compare.js';
export { SkipCase, type KindRunner, type KindContext } from './kinds/context.js';
export { findSkip, loadSkipList, loadBackendSkipList, prefixCovers, validateSkipList, type SkipEntry } from './skips.js';

export type CaseStatus = 'pass' | 'fail' | 'skip';

export interface CaseResult {
  readonly id: string;
  readonly backend: string;
  readonly status: CaseStatus;
  /** The worst |actual - expected| over every value compared (also for a failure, up to the failing value). */
  readonly maxAbsError?: number;
  /** The worst |actual - expected| / |expected| over every value compared with a non-zero expected value. */
  readonly maxRelError?: number;
  /** Why the case failed or was skipped. */
  readonly reason?: string;
  /** Time spent running the case, in milliseconds (absent when it was not run). */
  readonly ms?: number;
  /** The case's kind. */
  readonly kind?: string;
  /** The file the case was read from. */
  readonly file?: string;
}

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

/** The runner of each case kind. Kinds not listed here are skipped with that reason. */
export const KINDS: Readonly<Record<string, KindRunner>> = {
  activation: runActivationCase,
  layer: runLayerCase,
  loss: runLossCase,
  optimizer: runOptimizerCase,
  metric: runMetricCase,
  model: runModelCase,
  training: runTrainingCase,
};

/** The case files below the directories (in order), those that pass the filter. */
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

function describe(e: unknown): string {
  if (e instanceof Mismatch) return e.message;
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return `thrown: ${String(e)}`;
}

async function runCase(backend: Backend, c: GoldenCase, caseDir: string, file: string, skips: readonly SkipEntry[]): Promise<CaseResult> {
  const base = { id: c.id, backend: backend.name, kind: c.kind, file };
  const listed = findSkip(c.id, skips);
  if (listed) return { ...base, status: 'skip', reason: `skip list: ${skipText(listed)}` };
  const kind = Object.hasOwn(KINDS, c.kind) ? KINDS[c.kind] : undefined;
  if (!kind) return { ...base, status: 'skip', reason: `case kind '${c.kind}' is not supported by the runner (known kinds: ${Object.keys(KINDS).join(', ')})` };
  const errors = new ErrorTracker();
  const t0 = performance.now();
  try {
    await kind(c, { backend, tolerance: c.tolerance, errors, caseDir });
    return { ...base, status: 'pass', maxAbsError: errors.maxAbs, maxRelError: errors.maxRel, ms: performance.now() - t0 };
  } catch (e) {
    if (e instanceof SkipCase) return { ...base, status: 'skip', reason: e.message, ms: performance.now() - t0 };
    return { ...base, status: 'fail', maxAbsError: errors.maxAbs, maxRelError: errors.maxRel, reason: describe(e), ms: performance.now() - t0 };
  }
}
