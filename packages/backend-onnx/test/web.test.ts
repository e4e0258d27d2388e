/**
 * `@keras-ts/backend-onnx/web` (onnxruntime-web), in Node: the backend's name and runtime, its
 * options checked (each bad one a clear error), and the page-wide settings read once.
 */
import { trace, ops } from '@keras-ts/spec';
import { describe, expect, test } from 'vitest';
import { createOnnxWebBackend } from '../src/web.js';

describe('createOnnxWebBackend', () => {
  test('runs a graph on onnxruntime-web under the name onnx-web', async () => {
    const b = await createOnnxWebBackend({ numThreads: 1, graphOptimizationLevel: 'basic' });
    expect(b.name).toBe('onnx-web');
    expect(b.runtime.name).toBe('onnxruntime-web');
    expect(b.capabilities.training).toBe(true);
    const exe = b.compile(trace((x) => ops.relu(x), [{ shape: [3], dtype: 'float32' }]));
    const [y] = await exe.run([{ shape: [3], dtype: 'float32', data: new Float32Array([-1, 0, 2]) }]);
    expect(Array.from(y.data)).toEqual([0, 0, 2]);
    b.dispose();
  });

  test('refuses options it does not take, naming them', async () => {
    // @ts-expect-error -- an option of onnxruntime-node's backend, not taken on the web
    await expect(createOnnxWebBackend({ intraOpNumThreads: 2 })).rejects.toThrow(/unknown option 'intraOpNumThreads' \(in a page threads are set once for onnxruntime-web: use 'numThreads'\)/);
    // @ts-expect-error -- a misspelled option, refused at run time too
    await expect(createOnnxWebBackend({ threads: 2 })).rejects.toThrow(/unknown option 'threads'; the options are spinning, .*numThreads, device/);
    // @ts-expect-error -- a device onnxruntime-web does not offer here
    await expect(createOnnxWebBackend({ device: 'webgl' })).rejects.toThrow(/device must be 'wasm' or 'webgpu', got "webgl"/);
    await expect(createOnnxWebBackend({ numThreads: 0 })).rejects.toThrow(/numThreads must be an integer >= 1, got 0/);
    await expect(createOnnxWebBackend({ wasmPaths: '/ort' })).rejects.toThrow(/wasmPaths must be the URL of a folder, ending in '\/', got "\/ort"/);
  });

  test('more than one thread needs a cross-origin isolated page', async () => {
    // Node has no crossOriginIsolated: as a page that is not isolated.
    await expect(createOnnxWebBackend({ numThreads: 2 })).rejects.toThrow(/numThreads 2 needs a cross-origin isolated page/);
  });

  test('WebGPU is refused with the reason where there is none', async () => {
    await expect(createOnnxWebBackend({ device: 'webgpu' })).rejects.toThrow(/device 'webgpu' is not available: this browser has no WebGPU \(navigator.gpu\)/);
  });

  test('page-wide settings are read once: a later backend asking for others is an error', async () => {
    await createOnnxWebBackend({ numThreads: 1 });
    await expect(createOnnxWebBackend({ wasmPaths: '/elsewhere/' })).rejects.toThrow(/wasmPaths is onnxruntime-web's default for this page .* "\/elsewhere\/" cannot apply/);
    // The same settings again, or none, are fine.
    expect((await createOnnxWebBackend({ numThreads: 1 })).name).toBe('onnx-web');
    expect((await createOnnxWebBackend()).name).toBe('onnx-web');
  });
});
