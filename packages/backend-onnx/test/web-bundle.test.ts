/**
 * `@keras-ts/backend-onnx/web` bundles for the browser as it is: esbuild with `platform:
 * 'browser'` and no externals succeeds (no Node built-in on the path), and onnxruntime-node is
 * not in the bundle, only onnxruntime-web (its WebAssembly build, and its WebGPU build behind the
 * `import()` that `device: 'webgpu'` takes).
 */
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { expect, test } from 'vitest';

test('the web entry bundles for the browser without onnxruntime-node or Node built-ins', async () => {
  const r = await build({
    entryPoints: [fileURLToPath(new URL('../src/web.ts', import.meta.url))],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    splitting: true,
    outdir: 'unused',
    write: false,
    metafile: true,
    conditions: ['keras-ts-source'],
    logLevel: 'silent',
  });
  const inputs = Object.keys(r.metafile.inputs);
  expect(inputs.filter((i) => /onnxruntime-node|ort-env|runtime-node|export\.ts|^node:/.test(i))).toEqual([]);
  expect(inputs.some((i) => i.endsWith('onnxruntime-web/dist/ort.wasm.bundle.min.mjs'))).toBe(true);
  // The WebGPU build is in a chunk of its own, loaded only for device 'webgpu'.
  const entry = Object.entries(r.metafile.outputs).find(([, o]) => o.entryPoint)![1];
  expect(Object.keys(entry.inputs).some((i) => i.includes('ort.webgpu'))).toBe(false);
  expect(Object.values(r.metafile.outputs).some((o) => Object.keys(o.inputs).some((i) => i.endsWith('ort.webgpu.bundle.min.mjs')))).toBe(true);
});
