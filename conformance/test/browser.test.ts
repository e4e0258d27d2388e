/**
 * keras-ts in a web page, in headless Chromium (conformance/browser/): the packages bundle for the
 * browser with no shims; backend-ts trains in the page; models load by URL, from Files and from
 * IndexedDB and predict what Keras predicted; and the conformance suite passes on tfjs' WebGL
 * backend (software WebGL), each case that cannot listed in skips/tfjs-webgl.json with its
 * measured error. Skipped with the reason where Chromium is missing, unless
 * KERAS_TS_REQUIRE_BROWSER=1 (CI).
 */
import { describe, expect, test } from 'vitest';
import { browserUnavailable, runBrowserCheck } from '../browser/run.js';

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
});
