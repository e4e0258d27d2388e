/**
 * Runs the browser check (page.ts) in headless Chromium (chromium-page.ts: bundled with esbuild for
 * the browser, no Node built-ins, no shims; served on loopback, here with the goldens; Debian's
 * Chromium driven by playwright-core, software WebGL through SwiftShader), and returns what the
 * page reported. `npx tsx --conditions=keras-ts-source conformance/browser/run.ts [--conformance webgl|wasm|ts|onnx-web]
 * [--opsuite webgl|webgpu|onnx-web] [--filter ID] [--no-app]` prints a summary; conformance/test/browser.test.ts
 * and browser-ops.test.ts assert on it.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CaseResult } from '../src/run-case.js';
import { chromiumUnavailable, fileUnder, runChromiumPage } from './chromium-page.js';
import type { OpSuiteReport } from './op-suite.js';
import type { BrowserOpSuiteBackend } from './op-suite-skips.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, '..');
const GOLDENS = join(ROOT, 'goldens', 'keras-3.16.0-torch');

/** Why the browser check cannot run here, or null. */
export function browserUnavailable(): string | null {
  return chromiumUnavailable('the browser check');
}

/** What the page reported. */
export interface BrowserReport {
  checks: { name: string; ok: boolean; detail: string }[];
  conformance: CaseResult[];
  /** The shared op suite's results, when it was asked for (`opSuite`). */
  opSuite?: OpSuiteReport;
  error?: string;
  bundleBytes: number;
  console: string[];
}

function* jsonFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* jsonFiles(p);
    else if (name.endsWith('.json') && name !== 'README.json') yield p;
  }
}

/** Bundles the page, serves it and runs it in Chromium. */
export async function runBrowserCheck(
  options: {
    conformance?: string;
    opSuite?: BrowserOpSuiteBackend;
    filter?: string;
    select?: (id: string) => boolean;
    app?: boolean;
    /** Check onnx-web on this many WebAssembly threads (page.ts' onnxThreadsCheck). */
    onnxThreads?: number;
    /** Serve the page cross-origin isolated (COOP/COEP headers), as WebAssembly threads need. */
    isolated?: boolean;
  } = {},
): Promise<BrowserReport> {
  const caseList = [...jsonFiles(GOLDENS), ...jsonFiles(join(ROOT, 'cases-handwritten'))].map((file) => {
    const inGoldens = file.startsWith(GOLDENS);
    const rel = relative(inGoldens ? GOLDENS : join(ROOT, 'cases-handwritten'), file).split(sep).join('/');
    const url = `/${inGoldens ? 'goldens' : 'handwritten'}/${rel}`;
    const id = (JSON.parse(readFileSync(file, 'utf8')) as { id?: string }).id ?? rel;
    // Files a case names are relative to its case folder's root, as in runConformance.
    return { id, url, dir: `/${inGoldens ? 'goldens' : 'handwritten'}` };
  }).filter((c) => !options.select || options.select(c.id));
  // A TF.js copy of a real Keras file, made here (the page loads it by URL).
  const keras = await import('@keras-ts/keras');
  const { files: tfjs } = await keras.modelToFiles(await keras.loadModel(join(GOLDENS, 'files', 'mlp_adam_cce.keras'), { compile: false }), 'tfjs');
  const routes = (path: string): Uint8Array | string | null => {
    if (path === '/cases.json') return JSON.stringify(caseList);
    if (path.startsWith('/tfjs/')) return tfjs[path.slice('/tfjs/'.length)] ?? null;
    return fileUnder(path, '/goldens/', GOLDENS) ?? fileUnder(path, '/handwritten/', join(ROOT, 'cases-handwritten')) ?? fileUnder(path, '/skips/', join(ROOT, 'skips'));
  };
  const q = new URLSearchParams();
  if (options.conformance) q.set('conformance', options.conformance);
  if (options.opSuite) q.set('opsuite', options.opSuite);
  if (options.filter) q.set('filter', options.filter);
  if (options.app === false) q.set('app', '0');
  if (options.onnxThreads) q.set('onnxthreads', String(options.onnxThreads));
  const page = {
    entry: join(here, 'page.ts'),
    title: 'keras-ts',
    // The op suite declares its tests with vitest's describe / it: in the page they go to a shim.
    alias: { vitest: join(here, 'vitest-shim.ts') },
    routes,
    isolated: options.isolated,
    // WebGPU is behind --enable-unsafe-webgpu on Linux; SwiftShader then gives it an adapter.
    chromiumArgs: ['--enable-unsafe-webgpu'],
    query: q,
  };
  return runChromiumPage(page, async (tab, { log, bundleBytes }) => {
    await tab.waitForFunction('window.__done === true', undefined, { timeout: 600_000, polling: 500 });
    const r = (await tab.evaluate('({ checks: window.__checks, conformance: window.__conformance, opSuite: window.__opSuite, error: window.__error })')) as Omit<BrowserReport, 'bundleBytes' | 'console'>;
    return { ...r, bundleBytes, console: log };
  });
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const args = process.argv.slice(2);
  const at = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  const r = await runBrowserCheck({ conformance: at('--conformance'), opSuite: at('--opsuite') as BrowserOpSuiteBackend | undefined, filter: at('--filter'), app: !args.includes('--no-app') });
  for (const c of r.checks) console.log(`${c.ok ? 'ok  ' : 'FAIL'} ${c.name}: ${c.detail.split('\n')[0]}`);
  const by = (s: string) => r.conformance.filter((c) => c.status === s);
  for (const c of by('fail')) console.log(`FAIL ${c.id}: ${c.reason?.split('\n')[0]} (max abs ${c.maxAbsError}, rel ${c.maxRelError})`);
  if (r.opSuite) {
    const o = r.opSuite;
    const of = (s: string) => o.results.filter((t) => t.status === s);
    for (const t of of('fail')) console.log(`FAIL ${t.name}: ${t.error?.split('\n').slice(0, 3).join(' | ')}`);
    for (const t of of('skip')) console.log(`skip ${t.name}: ${t.reason} (now: ${t.error?.split('\n')[0]})`);
    const slow = [...o.results].sort((a, b) => b.ms - a.ms).slice(0, 5).map((t) => `${t.name.split(' > ').at(-1)} ${(t.ms / 1000).toFixed(1)} s`);
    const not = o.unavailable ?? o.notRun;
    const label = o.backend.startsWith('onnx') ? o.backend : `tfjs-${o.backend}`;
    console.log(not ? `op suite on ${label}: not run: ${not}` : `op suite on ${label}: ${of('pass').length} passed, ${of('fail').length} failed, ${of('skip').length} skipped; slowest: ${slow.join(', ')}`);
  }
  if (r.error) console.log(`page error: ${r.error}`);
  console.log(`bundle ${(r.bundleBytes / 2 ** 20).toFixed(1)} MiB; conformance ${by('pass').length} passed, ${by('fail').length} failed, ${by('skip').length} skipped`);
  if (r.console.length) console.log(r.console.slice(0, 20).join('\n'));
}
