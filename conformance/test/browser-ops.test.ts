/**
 * The shared op suite (spec/testing, describeOpSuite) on backend-tfjs over tfjs' WebGL backend in
 * headless Chromium (software WebGL through SwiftShader), over WebGPU where it can run, and on
 * backend-onnx over onnxruntime-web (WebAssembly, and WebGPU through SwiftShader):
 * no failures, each skipped case listed in conformance/browser/op-suite-skips.ts with its measured
 * error and still failing as listed. Skipped with the reason where Chromium is missing, unless
 * KERAS_TS_REQUIRE_BROWSER=1 (CI).
 */
import { ALL_CASES } from '@keras-ts/spec/testing';
import { describe, expect, test } from 'vitest';
import { OP_SUITE_NOT_RUN, OP_SUITE_SKIPS } from '../browser/op-suite-skips.js';
import { browserUnavailable, runBrowserCheck } from '../browser/run.js';

const unavailable = browserUnavailable();
if (unavailable && process.env.KERAS_TS_REQUIRE_BROWSER === '1') throw new Error(unavailable);

test('every op-suite skip names a case of the suite and gives a reason with the measured error', () => {
  const names = new Set(Object.values(ALL_CASES).flat().map((c) => c.name));
  for (const [backend, skips] of Object.entries(OP_SUITE_SKIPS)) {
    for (const [name, reason] of Object.entries(skips)) {
      expect(names.has(name), `${backend}: '${name}' is not a case of the op suite`).toBe(true);
      expect(reason, `${backend}: '${name}'`).toMatch(/measured/);
    }
  }
  for (const reason of Object.values(OP_SUITE_NOT_RUN)) expect(reason).toMatch(/measured/);
});

describe.skipIf(unavailable !== null)(`the op suite in headless Chromium${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  test('on backend-tfjs over WebGL: every case passes or fails as its skip entry says', async () => {
    const r = await runBrowserCheck({ opSuite: 'webgl', app: false });
    expect(r.error).toBeUndefined();
    const o = r.opSuite!;
    expect(o.unavailable).toBeUndefined();
    expect(o.results.filter((t) => t.status === 'fail').map((t) => `${t.name}: ${t.error}`)).toEqual([]);
    const skipped = o.results.filter((t) => t.status === 'skip');
    expect(skipped.length).toBe(Object.keys(OP_SUITE_SKIPS.webgl).length);
    for (const s of skipped) expect(s.error, `${s.name} is skipped and must still fail`).toBeTruthy();
    expect(o.results.filter((t) => t.status === 'pass').length).toBeGreaterThan(400);
  }, 900_000);

  test('on backend-onnx over onnxruntime-web (WebAssembly): every case passes or fails as its skip entry says', async () => {
    const r = await runBrowserCheck({ opSuite: 'onnx-web', app: false });
    expect(r.error).toBeUndefined();
    const o = r.opSuite!;
    expect(o.results.filter((t) => t.status === 'fail').map((t) => `${t.name}: ${t.error}`)).toEqual([]);
    expect(o.results.filter((t) => t.status === 'skip').length).toBe(Object.keys(OP_SUITE_SKIPS['onnx-web']).length);
    expect(o.results.filter((t) => t.status === 'pass').length).toBeGreaterThan(400);
  }, 900_000);

  test('on backend-onnx over onnxruntime-web on WebGPU (SwiftShader): every case passes or fails as its skip entry says', async () => {
    const r = await runBrowserCheck({ opSuite: 'onnx-webgpu', app: false });
    expect(r.error).toBeUndefined();
    const o = r.opSuite!;
    expect(o.unavailable).toBeUndefined();
    expect(o.results.filter((t) => t.status === 'fail').map((t) => `${t.name}: ${t.error}`)).toEqual([]);
    const skipped = o.results.filter((t) => t.status === 'skip');
    expect(skipped.length).toBe(Object.keys(OP_SUITE_SKIPS['onnx-webgpu']).length);
    for (const s of skipped) expect(s.error, `${s.name} is skipped and must still fail`).toBeTruthy();
    expect(o.results.filter((t) => t.status === 'pass').length).toBeGreaterThan(380);
  }, 900_000);

  test('on WebGPU: headless Chromium has an adapter (SwiftShader); the suite runs unless listed as not run, with the reason', async () => {
    const r = await runBrowserCheck({ opSuite: 'webgpu', app: false });
    expect(r.error).toBeUndefined();
    const o = r.opSuite!;
    // Chromium on Linux exposes WebGPU behind --enable-unsafe-webgpu (run.ts passes it).
    expect(o.unavailable).toBeUndefined();
    if (OP_SUITE_NOT_RUN.webgpu) {
      expect(o.notRun).toBe(OP_SUITE_NOT_RUN.webgpu);
      return;
    }
    expect(o.results.filter((t) => t.status === 'fail').map((t) => `${t.name}: ${t.error}`)).toEqual([]);
    expect(o.results.filter((t) => t.status === 'pass').length).toBeGreaterThan(300);
  }, 900_000);
});
