/**
 * Builds the browser demo into a folder a static server can serve: main.ts bundled by esbuild for
 * the browser (no externals, no shims, minified), index.html, the Keras model file the page loads
 * by URL, tfjs' .wasm files (for the tfjs-wasm backend) in wasm/ and onnxruntime-web's (for onnx-web)
 * in ort/.
 *
 * @example
 * const { dir } = await buildDemo('/tmp/demo'); // then serve /tmp/demo (serve.ts does)
 */
import { copyFileSync, mkdirSync, readdirSync, realpathSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { MODEL_FILE } from './demo.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The Keras file the page classifies with: the dev MobileNetV2 golden saved by real Keras. */
export const MODEL_PATH = join(here, '..', '..', 'conformance', 'goldens', 'keras-3.16.0-torch', 'files', MODEL_FILE);

/** Bundles the page and copies what it loads into `dir`; returns the folder and the bundle's size. */
export async function buildDemo(dir: string): Promise<{ dir: string; bundleBytes: number }> {
  mkdirSync(join(dir, 'wasm'), { recursive: true });
  mkdirSync(join(dir, 'ort'), { recursive: true });
  await build({
    entryPoints: [join(here, 'main.ts')],
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    // Inside the workspace the packages resolve to their sources; an app outside it drops this.
    conditions: ['keras-ts-source'],
    outfile: join(dir, 'main.js'),
    logLevel: 'error',
  });
  copyFileSync(join(here, 'index.html'), join(dir, 'index.html'));
  copyFileSync(MODEL_PATH, join(dir, MODEL_FILE));
  const wasmDist = join(dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist');
  for (const f of readdirSync(wasmDist)) if (f.endsWith('.wasm')) copyFileSync(join(wasmDist, f), join(dir, 'wasm', f));
  // onnxruntime-web's WebAssembly build (the page uses its `wasm` device: these two files, which
  // onnxruntime-web fetches from the `wasmPaths` folder).
  const onnxPackage = realpathSync(join(here, '..', 'node_modules', '@keras-ts', 'backend-onnx', 'package.json'));
  const ortDist = dirname(createRequire(onnxPackage).resolve('onnxruntime-web/wasm'));
  for (const f of ['ort-wasm-simd-threaded.wasm', 'ort-wasm-simd-threaded.mjs']) copyFileSync(join(ortDist, f), join(dir, 'ort', f));
  return { dir, bundleBytes: statSync(join(dir, 'main.js')).size };
}
