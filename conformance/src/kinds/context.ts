import type { Backend } from '@keras-ts/spec';
import type { GoldenCase } from '../cases.js';
import type { ErrorTracker, Tolerance } from '../compare.js';

/** What a case kind's runner gets. */
export interface KindContext {
  readonly backend: Backend;
  readonly tolerance: Tolerance;
  readonly errors: ErrorTracker;
  /** The directory the case was read from (for `files`). */
  readonly caseDir: string;
}

/** Runs one case; throws Mismatch on a wrong value, SkipCase to skip with a reason. */
export type KindRunner = (c: GoldenCase, ctx: KindContext) => Promise<void>;

/** Thrown by a kind runner when the backend cannot run the case (capability), with the reason. */
export class SkipCase extends Error {}

/** A file a case names (`files`), in the case's folder: a path on disk or a URL (in a browser). */
export function caseFile(caseDir: string, rel: string): string {
  return `${caseDir.replace(/[/\\]+$/, '')}/${rel}`;
}
