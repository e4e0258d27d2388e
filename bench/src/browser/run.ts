/**
 * `pnpm bench:browser`: the browser bench page (page.ts) in headless Chromium. Bundles the page
 * with esbuild for the browser, serves it on loopback with onnxruntime-web's and tfjs' .wasm files
 * from node_modules (nothing is downloaded), drives Debian's Chromium with playwright-core
 * (software WebGL through SwiftShader), and prints the page's figures as Markdown tables.
 *
 * Options: `--filter TEXT` (workloads whose name contains it), `--runs N` (measured rounds of the
 * predict, default 15), `--train-runs N` (default 3), `--samples N` (rows of the training epoch,
 * default 2048), `--batch N` (MobileNetV2's batch, default 1), `--isolated` (serve the page
 * cross-origin isolated, so onnxruntime-web may use threads) with `--threads N` (onnx-web's
 * threads, default 1), `--json FILE`.
 */
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:http';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { KerasInternalError, KerasStateError } from '@keras-ts/spec';
import { UsageError } from '../usage-error.js';
import { reportMarkdown, type BrowserBenchReport } from './report.js';

const here = dirname(fileURLToPath(import.meta.url));
const BENCH = join(here, '..', '..');
const CHROMIUM = process.env.KERAS_TS_CHROMIUM ?? '/usr/bin/chromium';

/** The dist/ folder of a package that `owner` (a package folder) depends on, from a file it exports. */
function distOf(owner: string, request: string): string {
  return dirname(createRequire(realpathSync(join(owner, 'package.json'))).resolve(request));
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html' };

/** Runs the bench page with `query` and returns what it reported. */
export async function runBrowserBench(query: URLSearchParams, isolated: boolean): Promise<{ report: BrowserBenchReport; console: string[] }> {
  if (!existsSync(CHROMIUM)) throw new KerasStateError(`the browser bench needs Chromium at ${CHROMIUM} (apt-get install -y chromium, or set KERAS_TS_CHROMIUM)`);
  const work = mkdtempSync(join(tmpdir(), 'keras-ts-bench-browser-'));
  const server: { s?: Server } = {};
  try {
    const out = join(work, 'bundle.js');
    await build({ entryPoints: [join(here, 'page.ts')], bundle: true, platform: 'browser', format: 'esm', target: 'es2022', minify: true, conditions: ['keras-ts-source'], outfile: out, logLevel: 'error' });
    const ortDir = distOf(join(BENCH, 'node_modules', '@keras-ts', 'backend-onnx'), 'onnxruntime-web/wasm');
    const tfjsWasmDir = join(dirname(createRequire(join(BENCH, 'package.json')).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
    // Cross-origin isolation (SharedArrayBuffer, so WebAssembly threads) needs these two headers on the page and its resources.
    const headers: Record<string, string> = isolated ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {};
    server.s = createServer((req, res) => {
      const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
      let body: Uint8Array | string | null = null;
      let type = 'application/octet-stream';
      if (path === '/') [body, type] = ['<!doctype html><meta charset="utf-8"><title>keras-ts browser bench</title><script type="module" src="/bundle.js"></script>', 'text/html'];
      else if (path === '/bundle.js') [body, type] = [readFileSync(out), 'text/javascript'];
      else {
        const dir = path.startsWith('/ort/') ? ortDir : path.startsWith('/wasm/') ? tfjsWasmDir : null;
        const file = dir ? join(dir, path.slice(path.indexOf('/', 1) + 1)) : null;
        if (file && !path.includes('..') && existsSync(file) && statSync(file).isFile()) [body, type] = [readFileSync(file), TYPES[file.slice(file.lastIndexOf('.'))] ?? type];
      }
      if (body === null) return void res.writeHead(404, headers).end();
      res.writeHead(200, { ...headers, 'content-type': type }).end(body);
    });
    await new Promise<void>((r) => server.s!.listen(0, '127.0.0.1', () => r()));
    const port = (server.s.address() as { port: number }).port;
    const browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-background-timer-throttling', '--disable-renderer-backgrounding'],
    });
    try {
      const page = await browser.newPage();
      const log: string[] = [];
      page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
      page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
      await page.goto(`http://127.0.0.1:${port}/?${query}`);
      let seen = 0;
      // Progress lines as the page writes them (a run takes minutes).
      for (;;) {
        const done = (await page.evaluate('window.__done === true')) as boolean;
        const progress = (await page.evaluate('window.__progress ?? []')) as string[];
        for (const l of progress.slice(seen)) process.stderr.write(`  ${l}\n`);
        seen = progress.length;
        if (done) break;
        await new Promise((r) => setTimeout(r, 1000));
      }
      const error = (await page.evaluate('window.__error')) as string | undefined;
      if (error) throw new KerasInternalError(`the bench page failed: ${error}\n${log.slice(0, 20).join('\n')}`);
      return { report: (await page.evaluate('window.__bench')) as BrowserBenchReport, console: log };
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
  const known = new Set(['--filter', '--runs', '--train-runs', '--samples', '--batch', '--threads', '--json', '--isolated']);
  for (const a of args) if (a.startsWith('--') && !known.has(a)) throw new UsageError(`bench:browser: unknown option ${a} (options: ${[...known].join(', ')})`);
  const q = new URLSearchParams();
  for (const k of ['filter', 'runs', 'train-runs', 'samples', 'batch', 'threads']) {
    const v = at(`--${k}`);
    if (v !== undefined) q.set(k, v);
  }
  const isolated = args.includes('--isolated');
  if (Number(at('--threads') ?? 1) > 1 && !isolated) throw new UsageError('bench:browser: --threads above 1 needs --isolated (WebAssembly threads need a cross-origin isolated page)');
  const load = loadavg()[0];
  const { report } = await runBrowserBench(q, isolated);
  const others = report.crossOriginIsolated ? 'tfjs-wasm may use its threaded build (the page is cross-origin isolated)' : 'every other contestant on one thread';
  console.log(`browser: ${report.userAgent}; cross-origin isolated: ${report.crossOriginIsolated}; onnx-web threads: ${report.onnxThreads}; ${others}; load average before the run: ${load.toFixed(1)}\n`);
  console.log(reportMarkdown(report));
  const json = at('--json');
  if (json) writeFileSync(resolve(process.env.INIT_CWD ?? process.cwd(), json), JSON.stringify(report, null, 2));
}
