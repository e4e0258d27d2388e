/**
 * Running one golden case on a backend (browser-safe: no file access). The library's
 * runConformance (index.ts) reads cases from folders and runs each through here; a browser page
 * runs cases it fetched.
 */
import type { Backend } from '@keras-ts/spec';
import type { GoldenCase } from './cases.js';
import { ErrorTracker, Mismatch } from './compare.js';
import { runActivationCase } from './kinds/activation.js';
import { SkipCase, type KindRunner } from './kinds/context.js';
import { runLayerCase } from './kinds/layer.js';
import { runLossCase } from './kinds/loss.js';
import { runMetricCase } from './kinds/metric.js';
import { runModelCase } from './kinds/model.js';
import { runOptimizerCase } from './kinds/optimizer.js';
import { runTrainingCase } from './kinds/training.js';
import { findSkip, skipText, type SkipEntry } from './skip-rules.js';

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
function describe(e: unknown): string {
  if (e instanceof Mismatch) return e.message;
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return `thrown: ${String(e)}`;
}

/** Runs one case on `backend` (files it names are read from `caseDir`, a folder or a URL). */
export async function runCase(backend: Backend, c: GoldenCase, caseDir: string, file: string, skips: readonly SkipEntry[]): Promise<CaseResult> {
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
