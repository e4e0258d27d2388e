/**
 * The shared op suite on backend-onnx over onnxruntime-web (`@keras-ts/backend-onnx/web`), run in
 * Node: onnxruntime-web's WebAssembly build (the one a page loads) runs here too, so every op's
 * lowering, gradients included, is proven on it without a browser.
 * conformance/test/browser-ops.test.ts runs the same suite in headless Chromium.
 */
import { describeOpSuite } from '@keras-ts/spec/testing';
import { createOnnxWebBackend } from '../src/web.js';

const backend = await createOnnxWebBackend({ numThreads: 1 });

describeOpSuite('onnx-web', () => backend);
