/**
 * The browser demo (examples/browser) in headless Chromium: built with esbuild, served from a
 * local static server, run on each backend of its menu (backend-ts, tfjs-wasm, tfjs-webgl, onnx-web). The
 * numbers the page shows (the MobileNetV2's outputs for the demo picture, loaded by URL, and the
 * live training's losses) must be Node's for the same model, input and training: the same
 * backend in Node where there is one (backend-ts, tfjs-wasm, onnxruntime-web's WebAssembly build), and backend-ts within the model
 * golden's tolerance for WebGL. Skipped with the reason where Chromium is missing, unless
 * KERAS_TS_REQUIRE_BROWSER=1 (CI).
 */
import { loadModel, setBackend } from '@keras-ts/keras';
import { createTsBackend } from '@keras-ts/backend-ts';
import { createTfjsBackend } from '@keras-ts/backend-tfjs';
import { createOnnxWebBackend } from '@keras-ts/backend-onnx/web';
import type { Backend } from '@keras-ts/spec';
import { describe, expect, test } from 'vitest';
import { MODEL_PATH } from '../../examples/browser/build.js';
import { checkDemo, chromiumMissing } from '../../examples/browser/check.js';
import { classify, demoImage, trainSmallModel, TRAINING } from '../../examples/browser/demo.js';

const missing = chromiumMissing();
if (missing && process.env.KERAS_TS_REQUIRE_BROWSER === '1') throw new Error(missing);

/** Node's logits and losses on `backend`. */
async function inNode(backend: Backend): Promise<{ logits: number[]; losses: number[] }> {
  setBackend(backend);
  const model = await loadModel(MODEL_PATH, { compile: false });
  const logits = await classify(model, demoImage());
  return { logits, losses: await trainSmallModel() };
}

function expectClose(got: readonly number[], want: readonly number[], rtol: number, atol: number, what: string): void {
  expect(got.length, what).toBe(want.length);
  got.forEach((v, i) => expect(Math.abs(v - want[i]), `${what}[${i}]: ${v} vs ${want[i]}`).toBeLessThanOrEqual(atol + rtol * Math.abs(want[i])));
}

describe.skipIf(missing !== null)(`the browser demo in headless Chromium${missing ? ` (skipped: ${missing})` : ''}`, () => {
  test("shows Node's numbers on backend-ts, tfjs-wasm, tfjs-webgl and onnx-web", async () => {
    const page = await checkDemo(['ts', 'tfjs-wasm', 'tfjs-webgl', 'onnx-web']);
    const ts = await inNode(createTsBackend());
    const wasm = await inNode(await createTfjsBackend({ backend: 'wasm' }));
    // One thread, as in the page (not cross-origin isolated).
    const onnxWeb = await inNode(await createOnnxWebBackend({ numThreads: 1 }));
    // The model golden's tolerance (conformance/goldens/.../models/mobilenet_v2_035_96.json).
    const golden = { rtol: 1e-3, atol: 1e-5 };
    const want: Record<string, { logits: number[]; losses: number[]; rtol: number; atol: number }> = {
      // Same code in both JavaScript engines: the same numbers up to the last float32 bits.
      ts: { ...ts, rtol: 1e-5, atol: 1e-7 },
      'tfjs-wasm': { ...wasm, rtol: 1e-5, atol: 1e-7 },
      'onnx-web': { ...onnxWeb, rtol: 1e-5, atol: 1e-7 },
      // WebGL (SwiftShader) against backend-ts in Node.
      'tfjs-webgl': { ...ts, ...golden },
    };
    for (const [backend, w] of Object.entries(want)) {
      const got = page.runs[backend];
      expectClose(got.logits, w.logits, w.rtol, w.atol, `${backend} logits`);
      expectClose(got.losses, w.losses, w.rtol, w.atol, `${backend} losses`);
      // The page's table and loss read-out show those numbers (7 significant digits).
      expectClose(got.shownLogits, got.logits, 1e-6, 1e-9, `${backend} logits shown`);
      expect(got.shownLoss).toBeCloseTo(got.losses[TRAINING.epochs - 1], 6);
      // It learns: the loss falls well below where it started.
      expect(got.losses.at(-1)!).toBeLessThan(got.losses[0] / 4);
    }
    expect(page.console.filter((l) => l.startsWith('pageerror'))).toEqual([]);
  }, 600_000);
});
