/**
 * The shared op suite (spec/testing, `describeOpSuite`) in a web page, on backend-tfjs over tfjs'
 * `webgl` or `webgpu` backend, or on backend-onnx over onnxruntime-web (`onnx-web`, its .wasm files
 * served from /ort/): the suite declares its tests through vitest-shim.ts (run.ts aliases
 * `vitest` to it), and they run here one by one. Cases that cannot pass on a backend are skipped
 * with their measured error (op-suite-skips.ts); they still run, and one that passes fails the run.
 */
import { createTfjsBackend } from '@keras-ts/backend-tfjs';
import { createOnnxWebBackend } from '@keras-ts/backend-onnx/web';
import { describeOpSuite } from '@keras-ts/spec/testing';
import { OP_SUITE_NOT_RUN, OP_SUITE_SKIPS, type BrowserOpSuiteBackend } from './op-suite-skips.js';
import { declaredTests } from './vitest-shim.js';
import { SkipCase } from '../src/kinds/context.js';

/** One test of the suite as it ran in the page. */
export interface OpSuiteResult {
  readonly name: string;
  readonly status: 'pass' | 'fail' | 'skip';
  readonly ms: number;
  /** The failure, or for a skipped case the error it gives now. */
  readonly error?: string;
  /** Why a skipped case cannot pass (its entry in op-suite-skips.ts). */
  readonly reason?: string;
}

/** What the page reports for the op suite on one backend. */
export interface OpSuiteReport {
  readonly backend: BrowserOpSuiteBackend;
  /** Why the suite did not run here (no WebGPU adapter, ...), or undefined when it ran. */
  readonly unavailable?: string;
  /** Why the suite is not run on this backend although the browser has it (OP_SUITE_NOT_RUN). */
  readonly notRun?: string;
  readonly results: readonly OpSuiteResult[];
}

/** Why `backend` cannot run in this browser, or null. */
export async function backendUnavailable(backend: BrowserOpSuiteBackend): Promise<string | null> {
  if (backend !== 'webgpu' && backend !== 'onnx-webgpu') return null;
  const gpu = (globalThis as { navigator?: { gpu?: { requestAdapter(): Promise<unknown> } } }).navigator?.gpu;
  if (!gpu) return 'this browser has no navigator.gpu (WebGPU)';
  return (await gpu.requestAdapter()) ? null : 'navigator.gpu.requestAdapter() gave no adapter';
}

/**
 * Declares the op suite on `backend` (backend-tfjs over a tfjs backend, or onnx-web) and runs its
 * tests in order; `filter` keeps the tests whose name contains it.
 */
export async function runOpSuite(backend: BrowserOpSuiteBackend, filter?: string | null): Promise<OpSuiteReport> {
  const why = await backendUnavailable(backend);
  if (why) return { backend, unavailable: why, results: [] };
  const notRun = OP_SUITE_NOT_RUN[backend];
  if (notRun) return { backend, notRun, results: [] };
  const origin = (globalThis as unknown as { location: { origin: string } }).location.origin;
  const b =
    backend === 'onnx-web' || backend === 'onnx-webgpu'
      ? await createOnnxWebBackend({ wasmPaths: `${origin}/ort/`, device: backend === 'onnx-web' ? 'wasm' : 'webgpu' })
      : await createTfjsBackend({ backend });
  const before = declaredTests().length;
  // Skipped cases run too (declared without the skip option): a skip must still fail as listed.
  describeOpSuite(backend.startsWith('onnx') ? backend : `tfjs-${backend}`, () => b);
  const skips = OP_SUITE_SKIPS[backend];
  const results: OpSuiteResult[] = [];
  for (const t of declaredTests().slice(before)) {
    if (filter && !t.name.includes(filter)) continue;
    const reason = skips[t.name.split(' > ').at(-1)!];
    // A task boundary between tests: the page stays responsive (and its load event fires).
    await new Promise((r) => setTimeout(r, 0));
    const start = performance.now();
    let error: string | undefined;
    try {
      if (!t.fn) throw new SkipCase('declared as skipped by the suite itself');
      await t.fn();
    } catch (e) {
      // The message, and where tfjs raised it (the top frames of the stack).
      const frames = String((e as Error)?.stack ?? '').split('\n').filter((l) => /^\s+at /.test(l)).slice(0, 3).map((l) => l.trim());
      error = [String((e as Error)?.message ?? e), ...frames].join('\n');
    }
    const ms = performance.now() - start;
    if (reason) {
      results.push(error ? { name: t.name, status: 'skip', ms, reason, error } : { name: t.name, status: 'fail', ms, error: `listed in op-suite-skips.ts (${reason}) but passes now: remove the entry` });
    } else {
      results.push(error ? { name: t.name, status: 'fail', ms, error } : { name: t.name, status: 'pass', ms });
    }
  }
  b.dispose();
  return { backend, results };
}
