/**
 * keras-ts in a web page, in headless Chromium (conformance/browser/): the packages bundle for the
 * browser with no shims; backend-ts trains in the page; models load by URL, from Files and from
 * IndexedDB and predict what Keras predicted; and the conformance suite passes in the page on
 * tfjs' WebGL backend (software WebGL), each case that cannot listed in skips/tfjs-webgl.json
 * with its measured error, and on backend-ts, tfjs-wasm and backend-onnx over onnxruntime-web. Skipped with the reason where
 * Chromium is missing, unless KERAS_TS_REQUIRE_BROWSER=1 (CI).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { browserUnavailable, runBrowserCheck } from '../browser/run.js';
import { main } from '../src/cli.js';

const unavailable = browserUnavailable();
if (unavailable && process.env.KERAS_TS_REQUIRE_BROWSER === '1') throw new Error(unavailable);

describe.skipIf(unavailable !== null)(`in headless Chromium${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  test('a web app: train with backend-ts, load by URL / File / IndexedDB, save to IndexedDB', async () => {
    const r = await runBrowserCheck({});
    expect(r.error).toBeUndefined();
    expect(r.checks.length).toBe(4);
    for (const c of r.checks) expect(c.ok, `${c.name}: ${c.detail}`).toBe(true);
  }, 120_000);

  test('the conformance suite on backend-tfjs over WebGL: no failures, every skip with its reason', async () => {
    const r = await runBrowserCheck({ conformance: 'webgl', app: false });
    expect(r.error).toBeUndefined();
    const failed = r.conformance.filter((c) => c.status === 'fail');
    expect(failed.map((c) => `${c.id}: ${c.reason}`)).toEqual([]);
    expect(r.conformance.filter((c) => c.status === 'pass').length).toBeGreaterThan(230);
    for (const s of r.conformance.filter((c) => c.status === 'skip')) expect(s.reason).toMatch(/skip list: .{20,}/);
  }, 600_000);

  test('onnx-web on 2 WebAssembly threads in a cross-origin isolated page trains as backend-ts; refused in a page that is not isolated', async () => {
    const isolated = await runBrowserCheck({ app: false, onnxThreads: 2, isolated: true });
    expect(isolated.error).toBeUndefined();
    expect(isolated.checks.map((c) => [c.name, c.ok, c.detail])).toEqual([['onnx-web on 2 threads (page cross-origin isolated: true)', true, expect.stringMatching(/as backend-ts after training/)]]);
    const plain = await runBrowserCheck({ app: false, onnxThreads: 2 });
    expect(plain.checks.map((c) => [c.name, c.ok])).toEqual([['onnx-web on 2 threads (page cross-origin isolated: false)', false]]);
    expect(plain.checks[0].detail).toMatch(/numThreads 2 needs a cross-origin isolated page/);
  }, 300_000);

  test('pnpm conformance --browser: the CLI runs the cases in the page and writes its usual reports', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keras-ts-browser-cli-'));
    try {
      const lines: string[] = [];
      const code = await main(['--browser', '--backend', 'tfjs-wasm', '--filter', 'layers/Dense', '--json', join(dir, 'r.json')], { out: (l) => lines.push(l), err: (l) => lines.push(l) });
      expect(code, lines.join('\n')).toBe(0);
      const report = JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')) as { backends: { name: string }[]; results: { backend: string; status: string }[] };
      expect(report.backends.map((b) => b.name)).toEqual(['tfjs-wasm']);
      expect(report.results.length).toBeGreaterThan(10);
      expect(report.results.every((r) => r.backend === 'tfjs-wasm' && r.status === 'pass')).toBe(true);
      expect(lines.join('\n')).toContain('backend tfjs-wasm in headless Chromium');
      const errors: string[] = [];
      expect(await main(['--browser', '--backend', 'onnx'], { out: () => {}, err: (l) => errors.push(l) })).toBe(2);
      expect(await main(['--browser', '--cases', dir], { out: () => {}, err: (l) => errors.push(l) })).toBe(2);
      expect(errors).toEqual([expect.stringMatching(/--browser runs ts, tfjs-wasm, tfjs-webgl, onnx-web, onnx-webgpu \(or all\); not onnx$/), expect.stringMatching(/leave out --cases, --skips and --no-skips/)]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 300_000);

  for (const [name, label] of [
    ['ts', 'backend-ts'],
    ['wasm', 'backend-tfjs over tfjs-wasm (its .wasm files served beside the page)'],
    ['onnx-web', 'backend-onnx over onnxruntime-web (its .wasm files served from node_modules)'],
  ] as const) {
    test(`the conformance suite on ${label} in the page: no failures, every skip with its reason`, async () => {
      const r = await runBrowserCheck({ conformance: name, app: false });
      expect(r.error).toBeUndefined();
      expect(r.conformance.filter((c) => c.status === 'fail').map((c) => `${c.id}: ${c.reason}`)).toEqual([]);
      expect(r.conformance.filter((c) => c.status === 'pass').length).toBeGreaterThan(230);
      for (const s of r.conformance.filter((c) => c.status === 'skip')) expect(s.reason).toMatch(/skip list: .{20,}/);
    }, 600_000);
  }
});
