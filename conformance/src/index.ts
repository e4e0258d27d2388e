import { setBackend } from '@keras-ts/keras';
import type { Backend } from '@keras-ts/spec';
import { loadCases, type GoldenCase } from './cases';
import { ErrorTracker, Mismatch } from './compare';
import { runActivationCase } from './kinds/activation';
import { SkipCase, type KindRunner } from './kinds/context';
import { runLayerCase } from './kinds/layer';
import { runLossCase } from './kinds/loss';
import { runMetricCase } from './kinds/metric';
import { runOptimizerCase } from './kinds/optimizer';
import { runModelCase } from './kinds/model';
import { runTrainingCase } from './kinds/training';

export { loadCases, type GoldenCase } from './cases';
export { compare, fromGolden, Mismatch, type GoldenTensor } from './compare';

export type CaseStatus = 'pass' | 'fail' | 'skip';

export interface CaseResult {
  readonly id: string;
  readonly backend: string;
  readonly status: CaseStatus;
  readonly maxAbsError?: number;
  readonly maxRelError?: number;
  readonly reason?: string;
  readonly ms?: number;
}

export interface ConformanceOptions {
  /** Directories of cases in the keras-golden/1 format. */
  readonly caseDirs: readonly string[];
  /** Only cases whose id matches. */
  readonly filter?: (id: string) => boolean;
  /** Case ids (or id prefixes ending in '/') this backend skips, with the reason. */
  readonly skip?: Readonly<Record<string, string>>;
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

function skipReason(id: string, skip: Readonly<Record<string, string>> | undefined): string | undefined {
  if (!skip) return undefined;
  if (skip[id]) return skip[id];
  for (const [k, v] of Object.entries(skip)) if (k.endsWith('/') && id.startsWith(k)) return v;
  return undefined;
}

/**
 * Runs every golden case against a backend, building each through the public Keras API (so
 * config parsing is under test too), and reports pass, fail or skip per case with the worst
 * absolute and relative error. A case that is not run is never counted as passed.
 *
 * @example
 * const results = await runConformance(createTsBackend(), { caseDirs: ['conformance/goldens/keras-3.16.0-torch'] });
 */
export async function runConformance(backend: Backend, options: ConformanceOptions): Promise<CaseResult[]> {
  setBackend(backend);
  const results: CaseResult[] = [];
  for (const dir of options.caseDirs) {
    for (const c of loadCases(dir)) {
      if (options.filter && !options.filter(c.id)) continue;
      results.push(await runCase(backend, c, dir, options));
    }
  }
  return results;
}

async function runCase(backend: Backend, c: GoldenCase, dir: string, options: ConformanceOptions): Promise<CaseResult> {
  const base = { id: c.id, backend: backend.name };
  const listed = skipReason(c.id, options.skip);
  if (listed) return { ...base, status: 'skip', reason: listed };
  const kind = KINDS[c.kind];
  if (!kind) return { ...base, status: 'skip', reason: `case kind '${c.kind}' is not supported by the runner yet` };
  const errors = new ErrorTracker();
  const t0 = performance.now();
  try {
    await kind(c, { backend, tolerance: c.tolerance, errors, caseDir: dir });
    return { ...base, status: 'pass', maxAbsError: errors.maxAbs, maxRelError: errors.maxRel, ms: performance.now() - t0 };
  } catch (e) {
    if (e instanceof SkipCase) return { ...base, status: 'skip', reason: e.message };
    const reason = e instanceof Mismatch ? e.message : `${(e as Error).name}: ${(e as Error).message}`;
    return { ...base, status: 'fail', maxAbsError: errors.maxAbs, maxRelError: errors.maxRel, reason, ms: performance.now() - t0 };
  }
}
