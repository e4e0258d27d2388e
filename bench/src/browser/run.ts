/**
 * `pnpm bench:browser`: the browser bench page (page.ts) in headless Chromium, run as the browser
 * check runs its page (conformance/browser/chromium-page.ts: bundled with esbuild for the browser,
 * served on loopback with onnxruntime-web's and tfjs' .wasm files from node_modules, nothing
 * downloaded; Debian's Chromium driven by playwright-core, software WebGL through SwiftShader);
 * prints the page's figures as Markdown tables.
 *
 * Options: `--filter TEXT` (workloads whose name contains it), `--runs N` (measured rounds of the
 * predict, default 15), `--train-runs N` (default 3), `--samples N` (rows of the training epoch,
 * default 2048), `--batch N` (MobileNetV2's batch, default 1), `--isolated` (serve the page
 * cross-origin isolated, so onnxruntime-web may use threads) with `--threads N` (onnx-web's
 * threads, default 1), `--peers A,B` (only these contestants, e.g.
 * `keras-ts/tfjs-webgl,tfjs-layers/webgl`), `--json FILE`.
 */
import { writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { KerasInternalError } from '@keras-ts/spec';
import { runChromiumPage } from '../../../conformance/browser/chromium-page.js';
import { UsageError } from '../usage-error.js';
import { BROWSER_BENCH, reportMarkdown, type BrowserBenchReport } from './report.js';

const here = dirname(fileURLToPath(import.meta.url));

/** Runs the bench page with `query` and returns what it reported. */
export async function runBrowserBench(query: URLSearchParams, isolated: boolean): Promise<{ report: BrowserBenchReport; console: string[] }> {
  const page = {
    entry: join(here, 'page.ts'),
    title: 'keras-ts browser bench',
    minify: true,
    isolated,
    // A page in the background (headless) must not be slowed down by Chromium.
    chromiumArgs: ['--disable-background-timer-throttling', '--disable-renderer-backgrounding'],
    query,
  };
  return runChromiumPage(page, async (tab, { log }) => {
    let seen = 0;
    // Progress lines as the page writes them (a run takes minutes).
    for (;;) {
      const done = (await tab.evaluate('window.__done === true')) as boolean;
      const progress = (await tab.evaluate('window.__progress ?? []')) as string[];
      for (const l of progress.slice(seen)) process.stderr.write(`  ${l}\n`);
      seen = progress.length;
      if (done) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    const error = (await tab.evaluate('window.__error')) as string | undefined;
    if (error) throw new KerasInternalError(`the bench page failed: ${error}\n${log.slice(0, 20).join('\n')}`);
    return { report: (await tab.evaluate('window.__bench')) as BrowserBenchReport, console: log };
  });
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const args = process.argv.slice(2);
  const at = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  const known = new Set(['--filter', '--runs', '--train-runs', '--samples', '--batch', '--threads', '--peers', '--json', '--isolated']);
  for (const a of args) if (a.startsWith('--') && !known.has(a)) throw new UsageError(`bench:browser: unknown option ${a} (options: ${[...known].join(', ')})`);
  const contestants = [...BROWSER_BENCH.ours.map((n) => `keras-ts/${n}`), ...BROWSER_BENCH.theirs.map((n) => `tfjs-layers/${n}`)];
  for (const p of at('--peers')?.split(',') ?? []) {
    if (!contestants.includes(p)) throw new UsageError(`bench:browser: --peers names '${p}', which is not a contestant (contestants: ${contestants.join(', ')})`);
  }
  const q = new URLSearchParams();
  for (const k of ['filter', 'runs', 'train-runs', 'samples', 'batch', 'threads', 'peers']) {
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
