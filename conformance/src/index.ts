import type { Backend } from '@keras-ts/spec';
import { loadCases, type GoldenCase } from './cases';

export { loadCases, type GoldenCase } from './cases';

export type CaseStatus = 'pass' | 'fail' | 'skip';

export interface CaseResult {
  readonly id: string;
  readonly backend: string;
  readonly status: CaseStatus;
  readonly maxAbsError?: number;
  readonly maxRelError?: number;
  readonly reason?: string;
}

export interface ConformanceOptions {
  /** Directories of cases in the keras-golden/1 format. */
  readonly caseDirs: readonly string[];
}

/**
 * Runs every golden case against a backend. The cases are built through the Keras API, which
 * does not exist yet (issue 3): until it does every case is reported as skipped with that
 * reason, never as passed.
 */
export function runConformance(backend: Backend, options: ConformanceOptions): CaseResult[] {
  const cases: GoldenCase[] = options.caseDirs.flatMap((d) => loadCases(d));
  return cases.map((c) => ({
    id: c.id,
    backend: backend.name,
    status: 'skip',
    reason: `needs the Keras frontend (@keras-ts/keras, issue 3) to build a '${c.kind}' case`,
  }));
}
