/**
 * `pnpm conformance --browser`: the conformance cases run in headless Chromium (run.ts, page.ts)
 * on the backends a web page has, with each backend's skip list, giving the same results the CLI
 * turns into its text, JSON, HTML and JUnit reports. Loaded by conformance/src/cli.ts only in
 * the repository (this folder is not published).
 */
import type { CaseResult } from '../src/run-case.js';
import { browserUnavailable, runBrowserCheck } from './run.js';

/** The backends `--browser` runs, by the CLI's names, and how the page names them. */
export const BROWSER_BACKENDS: Readonly<Record<string, string>> = { ts: 'ts', 'tfjs-wasm': 'wasm', 'tfjs-webgl': 'webgl', 'onnx-web': 'onnx-web', 'onnx-webgpu': 'onnx-webgpu' };

/**
 * Runs the cases `select` keeps on each of `backends` (CLI names; 'all' = every one of
 * {@link BROWSER_BACKENDS}) in headless Chromium; returns each backend's results, or an error
 * message for a name it cannot run or a browser that is missing.
 */
export async function runBrowserMatrix(backends: readonly string[], select?: (id: string) => boolean): Promise<{ backend: string; results: CaseResult[] }[] | string> {
  const names = backends.length === 0 || backends.includes('all') ? Object.keys(BROWSER_BACKENDS) : [...backends];
  const unknown = names.filter((n) => !Object.hasOwn(BROWSER_BACKENDS, n));
  if (unknown.length) return `--browser runs ${Object.keys(BROWSER_BACKENDS).join(', ')} (or all); not ${unknown.join(', ')}`;
  const missing = browserUnavailable();
  if (missing) return missing;
  const out: { backend: string; results: CaseResult[] }[] = [];
  for (const name of names) {
    const r = await runBrowserCheck({ conformance: BROWSER_BACKENDS[name], select, app: false });
    if (r.error) return `backend ${name} in the browser: ${r.error}`;
    out.push({ backend: name, results: r.conformance });
  }
  return out;
}
