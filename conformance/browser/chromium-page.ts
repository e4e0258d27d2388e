/**
 * A page of ours in headless Chromium, as the browser check (run.ts) and the browser bench
 * (bench/src/browser/run.ts) run theirs: the page's module bundled for the browser with esbuild,
 * served on loopback beside onnxruntime-web's and tfjs-backend-wasm's .wasm files from
 * node_modules (nothing is downloaded), opened in Debian's Chromium driven by playwright-core
 * (software WebGL through SwiftShader), its console collected; everything is closed and removed
 * after. (Not published: a tool of the repository, beside the check.)
 */
import { existsSync, mkdtempSync, readFileSync, realpathSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Page } from 'playwright-core';
import { KerasStateError } from '@keras-ts/spec';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Where Debian's Chromium is (KERAS_TS_CHROMIUM overrides). */
export const CHROMIUM = process.env.KERAS_TS_CHROMIUM ?? '/usr/bin/chromium';

/** Why `what` cannot run here (no Chromium), or null. */
export function chromiumUnavailable(what: string): string | null {
  return existsSync(CHROMIUM) ? null : `${what} needs Chromium at ${CHROMIUM} (apt-get install -y chromium, or set KERAS_TS_CHROMIUM)`;
}

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

/** The file `path` names below `prefix` in `dir` (no `..`), or null when it names none. */
export function fileUnder(path: string, prefix: string, dir: string): Uint8Array | null {
  if (!path.startsWith(prefix) || path.includes('..')) return null;
  const file = join(dir, path.slice(prefix.length));
  return existsSync(file) && statSync(file).isFile() ? readFileSync(file) : null;
}

const TYPES: Record<string, string> = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json', '.html': 'text/html', '.wasm': 'application/wasm' };

/** Chromium's flags for every page: headless in a container, software WebGL, no background traffic. */
const CHROMIUM_ARGS = ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** A page to run: its module, what else it loads, and how it is served and opened. */
export interface ChromiumPage {
  /** The page's module: bundled (with the `keras-ts-source` condition) as /bundle.js, loaded by the HTML at /. */
  readonly entry: string;
  /** The HTML page's title. */
  readonly title: string;
  /** esbuild's `alias` (a module the page imports replaced by another). */
  readonly alias?: Record<string, string>;
  readonly minify?: boolean;
  /**
   * Other paths the page loads (the query string removed): their body, or null. Asked first;
   * /wasm/ (tfjs-backend-wasm's files) and /ort/ (onnxruntime-web's) are served after.
   */
  readonly routes?: (path: string) => Uint8Array | string | null;
  /** Serve the page and its files cross-origin isolated (COOP/COEP: SharedArrayBuffer, so WebAssembly threads). */
  readonly isolated?: boolean;
  /** Chromium flags besides the common ones. */
  readonly chromiumArgs?: readonly string[];
  /** The page URL's query string. */
  readonly query?: URLSearchParams;
}

/** What `drive` is given besides the page: the page's console so far (it grows) and the bundle's size. */
export interface PageRun {
  readonly log: string[];
  readonly bundleBytes: number;
}

/**
 * Bundles, serves and opens `page` in headless Chromium, runs `drive` on it, and closes the
 * browser and the server and removes the bundle whatever happens; returns what `drive` returns.
 *
 * @example
 * const title = await runChromiumPage({ entry: join(here, 'page.ts'), title: 'check' }, (page) => page.title());
 */
export async function runChromiumPage<T>(page: ChromiumPage, drive: (page: Page, run: PageRun) => Promise<T>): Promise<T> {
  const unavailable = chromiumUnavailable('the browser page');
  if (unavailable) throw new KerasStateError(unavailable);
  const work = mkdtempSync(join(tmpdir(), 'keras-ts-browser-'));
  const server: { s?: Server } = {};
  try {
    const out = join(work, 'bundle.js');
    await build({ entryPoints: [page.entry], bundle: true, platform: 'browser', format: 'esm', target: 'es2022', minify: page.minify ?? false, conditions: ['keras-ts-source'], alias: page.alias, outfile: out, logLevel: 'error' });
    const html = `<!doctype html><meta charset="utf-8"><title>${page.title}</title><script type="module" src="/bundle.js"></script>`;
    const wasm = tfjsWasmDir();
    const ort = ortWasmDir();
    const isolation: Record<string, string> = page.isolated ? { 'cross-origin-opener-policy': 'same-origin', 'cross-origin-embedder-policy': 'require-corp' } : {};
    server.s = createServer((req, res) => {
      const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
      const body = path === '/' ? html : path === '/bundle.js' ? readFileSync(out) : (page.routes?.(path) ?? fileUnder(path, '/wasm/', wasm) ?? fileUnder(path, '/ort/', ort));
      if (body === null) return void res.writeHead(404, isolation).end();
      res.writeHead(200, { ...isolation, 'content-type': path === '/' ? 'text/html' : (TYPES[extname(path)] ?? 'application/octet-stream') }).end(body);
    });
    await new Promise<void>((r) => server.s!.listen(0, '127.0.0.1', () => r()));
    const port = (server.s.address() as { port: number }).port;
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: [...CHROMIUM_ARGS, ...(page.chromiumArgs ?? [])] });
    try {
      const tab = await browser.newPage();
      const log: string[] = [];
      tab.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
      tab.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
      await tab.goto(`http://127.0.0.1:${port}/?${page.query ?? ''}`);
      return await drive(tab, { log, bundleBytes: statSync(out).size });
    } finally {
      await browser.close();
    }
  } finally {
    await new Promise<void>((r) => (server.s ? server.s.close(() => r()) : r()));
    rmSync(work, { recursive: true, force: true });
  }
}
