/**
 * Runs the browser check (page.ts) in headless Chromium: bundles the page with esbuild for the
 * browser (no Node built-ins, no shims), serves it with the goldens on loopback, drives Debian's
 * Chromium with playwright-core (software WebGL through SwiftShader), and returns what the page
 * reported. `npx tsx --conditions=keras-ts-source conformance/browser/run.ts [--conformance webgl|wasm|ts|onnx-web]
 * [--opsuite webgl|webgpu|onnx-web] [--filter ID] [--no-app]` prints a summary; conformance/test/browser.test.ts
 * and browser-ops.test.ts assert on it.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import type { CaseResult } from '../src/run-case.js';
import type { OpSuiteReport } from './op-suite.js';
import type { BrowserOpSuiteBackend } from './op-suite-skips.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, '..');
const GOLDENS = join(ROOT, 'goldens', 'keras-3.16.0-torch');
/** Where Debian's Chromium is (KERAS_TS_CHROMIUM overrides). */
export const CHROMIUM = process.env.KERAS_TS_CHROMIUM ?? '/usr/bin/chromium';

/** tfjs-backend-wasm's dist/ folder (its .wasm files), found from backend-tfjs, which depends on it. */
function tfjsWasmDir(): string {
  const tfjsPackage = realpathSync(join(ROOT, 'node_modules', '@keras-ts', 'backend-tfjs', 'package.json'));
  return join(dirname(createRequire(tfjsPackage).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
}

/** onnxruntime-web's dist/ folder (its .wasm files), found from backend-onnx, which depends on it. */
function ortWasmDir(): string {
  const onnxPackage = realpathSync(join(ROOT, 'node_modules', '@keras-ts', 'backend-onnx', 'package.json'));
  return dirname(createRequire(onnxPackage).resolve('onnxruntime-web/wasm'));
}

/** Why the browser check cannot run here, or null. */
export function browserUnavailable(): string | null {
  return existsSync(CHROMIUM) ? null : `the browser check needs Chromium at ${CHROMIUM} (apt-get install -y chromium, or set KERAS_TS_CHROMIUM)`;
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

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.html': 'text/html', '.wasm': 'application/wasm' };

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
  const work = mkdtempSync(join(tmpdir(), 'keras-ts-browser-'));
  const server: { s?: Server } = {};
  try {
    const out = join(work, 'bundle.js');
    // The op suite declares its tests with vitest's describe / it: in the page they go to a shim.
    const alias = { vitest: join(here, 'vitest-shim.ts') };
    await build({ entryPoints: [join(here, 'page.ts')], bundle: true, platform: 'browser', format: 'esm', conditions: ['keras-ts-source'], alias, outfile: out, logLevel: 'error', target: 'es2022' });
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
    const routes = (url: string): Uint8Array | string | null => {
      const path = decodeURIComponent(url.split('?')[0]);
      if (path === '/') return '<!doctype html><meta charset="utf-8"><title>keras-ts</title><script type="module" src="/bundle.js"></script>';
      if (path === '/bundle.js') return readFileSync(out);
      if (path === '/cases.json') return JSON.stringify(caseList);
      const from = (prefix: string, dir: string) => (path.startsWith(prefix) ? join(dir, path.slice(prefix.length)) : null);
      if (path.startsWith('/tfjs/')) return tfjs[path.slice('/tfjs/'.length)] ?? null;
      const file = from('/goldens/', GOLDENS) ?? from('/handwritten/', join(ROOT, 'cases-handwritten')) ?? from('/skips/', join(ROOT, 'skips')) ?? from('/wasm/', tfjsWasmDir()) ?? from('/ort/', ortWasmDir());
      if (!file || file.includes('..') || !existsSync(file) || !statSync(file).isFile()) return null;
      return readFileSync(file);
    };
    server.s = createServer((req, res) => {
      const body = routes(req.url ?? '/');
      const isolation = options.isolated ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {};
      if (body === null) return void res.writeHead(404, isolation).end();
      res.writeHead(200, { ...isolation, 'content-type': TYPES[extname((req.url ?? '').split('?')[0])] ?? (typeof body === 'string' && body.startsWith('<') ? 'text/html' : 'application/octet-stream') }).end(body);
    });
    await new Promise<void>((r) => server.s!.listen(0, '127.0.0.1', () => r()));
    const port = (server.s.address() as { port: number }).port;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      // WebGPU is behind --enable-unsafe-webgpu on Linux; SwiftShader then gives it an adapter.
      args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--enable-unsafe-webgpu', '--ignore-gpu-blocklist', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    });
    try {
      const page = await browser.newPage();
      const log: string[] = [];
      page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
      const q = new URLSearchParams();
      if (options.conformance) q.set('conformance', options.conformance);
      if (options.opSuite) q.set('opsuite', options.opSuite);
      if (options.filter) q.set('filter', options.filter);
      if (options.app === false) q.set('app', '0');
      if (options.onnxThreads) q.set('onnxthreads', String(options.onnxThreads));
      await page.goto(`http://127.0.0.1:${port}/?${q}`);
      await page.waitForFunction('window.__done === true', undefined, { timeout: 600_000, polling: 500 });
      const r = (await page.evaluate('({ checks: window.__checks, conformance: window.__conformance, opSuite: window.__opSuite, error: window.__error })')) as Omit<BrowserReport, 'bundleBytes' | 'console'>;
      return { ...r, bundleBytes: statSync(out).size, console: log };
    } finally {
      await browser.close();
    }
  } finally {
    await new Promise<void>((r) => (server.s ? server.s.close(() => r()) : r()));
    rmSync(work, { recursive: true, force: true });
  }
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
