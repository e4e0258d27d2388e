/**
 * The browser check, bundled for the page by run.ts (esbuild, platform browser, no shims): what a
 * web app does with keras-ts, the conformance suite (on backend-ts, tfjs-wasm, tfjs-webgl or onnx-web), and the
 * shared op suite on tfjs' WebGL or WebGPU backend or on onnx-web (op-suite.ts). Reports to `window.__checks`,
 * `window.__conformance`, `window.__opSuite` and `window.__done`.
 */
import { Adam, Conv2D, Dense, Flatten, loadModel, modelToFiles, onlyOutput, saveModel, Sequential, setBackend, tensor, type Tensor } from '@keras-ts/keras';
import { createTsBackend } from '@keras-ts/backend-ts';
import { createTfjsBackend, type TfjsBackendName } from '@keras-ts/backend-tfjs';
import { createOnnxWebBackend } from '@keras-ts/backend-onnx/web';
import { runCase, type CaseResult } from '../src/run-case.js';
import { validateSkipList } from '../src/skip-rules.js';
import type { GoldenCase } from '../src/cases.js';
import { Mismatch } from '../src/compare.js';
import type { Backend } from '@keras-ts/spec';
import { runOpSuite, type OpSuiteReport } from './op-suite.js';
import type { BrowserOpSuiteBackend } from './op-suite-skips.js';

interface Check {
  name: string;
  ok: boolean;
  detail: string;
}

const w = globalThis as unknown as { __checks: Check[]; __conformance: CaseResult[]; __opSuite?: OpSuiteReport; __done: boolean; __error?: string; __log: string[] };
w.__checks = [];
w.__conformance = [];
w.__log = [];
/** The page's location (the DOM library is not part of this build's types). */
const loc = (globalThis as unknown as { location: { search: string; origin: string } }).location;
const params = new URLSearchParams(loc.search);

async function check(name: string, fn: () => Promise<string>): Promise<void> {
  try {
    w.__checks.push({ name, ok: true, detail: await fn() });
  } catch (e) {
    w.__checks.push({ name, ok: false, detail: String((e as Error)?.stack ?? e) });
  }
}

const rows = (t: Tensor) => Array.from(t.data);
const close = (a: number[], b: number[], tol: number) => a.length === b.length && a.every((v, i) => Math.abs(v - b[i]) <= tol * (1 + Math.abs(b[i])));

async function appChecks(): Promise<void> {
  setBackend(createTsBackend());
  await check('backend-ts trains XOR in the page', async () => {
    const model = new Sequential({ layers: [new Dense({ units: 16, activation: 'tanh', inputShape: [2] }), new Dense({ units: 1, activation: 'sigmoid' })] });
    model.compile({ optimizer: new Adam({ learningRate: 0.05 }), loss: 'binary_crossentropy' });
    const x = tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
    await model.fit(x, tensor([[0], [1], [1], [0]]), { epochs: 200, batchSize: 4, verbose: 0 });
    const p = rows(await model.predict(x));
    if (!(p[0] < 0.2 && p[1] > 0.8 && p[2] > 0.8 && p[3] < 0.2)) throw new Mismatch(`XOR is wrong: ${p}`);
    return p.map((v) => v.toFixed(2)).join(' ');
  });
  const golden = (await (await fetch('/goldens/training/mlp_adam_cce.json')).json()) as { x: { shape: number[]; data: number[] }; predict_after: { data: number[] } };
  const x = tensor(Float32Array.from(golden.x.data), golden.x.shape);
  const expectKeras = async (label: string, source: Parameters<typeof loadModel>[0]) => {
    const got = rows(onlyOutput(await (await loadModel(source)).predict(x)));
    if (!close(got, golden.predict_after.data, 1e-4)) throw new Mismatch(`${label} predicts ${got.slice(0, 4)}..., Keras ${golden.predict_after.data.slice(0, 4)}...`);
    return `${label}: ${got.length} values as Keras`;
  };
  await check('loadModel by URL (.keras, .h5) predicts what Keras predicted', async () => {
    await expectKeras('.keras', `${loc.origin}/goldens/files/mlp_adam_cce.keras`);
    return expectKeras('.h5', `${loc.origin}/goldens/files/mlp_adam_cce.h5`);
  });
  await check('loadModel from a File (bytes) and a TF.js model.json + shards by URL and as Files', async () => {
    const bytes = new Uint8Array(await (await fetch('/goldens/files/mlp_adam_cce.keras')).arrayBuffer());
    await expectKeras('File', new File([bytes], 'mlp_adam_cce.keras'));
    const model = await loadModel(bytes);
    const { files } = await modelToFiles(model, 'tfjs');
    await expectKeras('map of Files', Object.entries(files).map(([n, b]) => new File([b as Uint8Array<ArrayBuffer>], n)));
    return expectKeras('TF.js by URL', `${loc.origin}/tfjs/model.json`);
  });
  await check('saveModel to indexeddb:// and loadModel back', async () => {
    const model = await loadModel(`${loc.origin}/goldens/files/mlp_adam_cce.keras`);
    await saveModel(model, 'indexeddb://mlp');
    await saveModel(model, 'indexeddb://mlp-tfjs', 'tfjs');
    await expectKeras('indexeddb .keras', 'indexeddb://mlp');
    return expectKeras('indexeddb tfjs', 'indexeddb://mlp-tfjs');
  });
}

/**
 * The backend a page names: 'ts' (backend-ts), 'onnx-web' / 'onnx-webgpu' (backend-onnx on
 * onnxruntime-web in WebAssembly / on WebGPU, its files served from /ort/) or a tfjs backend ('webgl', 'wasm', 'cpu', 'webgpu'; tfjs' .wasm
 * files are served from /wasm/).
 */
async function pageBackend(name: string): Promise<Backend> {
  if (name === 'ts') return createTsBackend();
  if (name === 'onnx-web' || name === 'onnx-webgpu') return createOnnxWebBackend({ wasmPaths: `${loc.origin}/ort/`, device: name === 'onnx-web' ? 'wasm' : 'webgpu' });
  return createTfjsBackend({ backend: name as TfjsBackendName, wasmPaths: `${loc.origin}/wasm/` });
}

/**
 * Runs the conformance cases on a backend named as {@link pageBackend} names them, with the skip
 * list of that backend (skips/ts.json, skips/onnx-web.json, skips/tfjs-<name>.json).
 */
async function conformance(name: string): Promise<void> {
  const backend = await pageBackend(name);
  const list = (await (await fetch('/cases.json')).json()) as { id: string; url: string; dir: string }[];
  const skipFile = `skips/${backend.name}.json`;
  const skips = validateSkipList(await (await fetch(`/${skipFile}`)).json(), skipFile);
  const only = params.get('filter');
  for (const c of list) {
    if (only && !c.id.startsWith(only)) continue;
    const golden = (await (await fetch(c.url)).json()) as GoldenCase;
    setBackend(backend);
    const r = await runCase(backend, golden, `${loc.origin}${c.dir}`, c.url, skips);
    w.__conformance.push(r);
  }
}

/**
 * onnx-web with `threads` WebAssembly threads: trains a small CNN for two epochs and predicts, and
 * compares with backend-ts (refused with the reason where the page is not cross-origin isolated).
 */
async function onnxThreadsCheck(threads: number): Promise<void> {
  const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
  await check(`onnx-web on ${threads} threads (page cross-origin isolated: ${isolated})`, async () => {
    const run = async (backend: Backend) => {
      setBackend(backend);
      const model = new Sequential({ layers: [new Conv2D({ filters: 4, kernelSize: 3, activation: 'relu', inputShape: [8, 8, 2] }), new Flatten({}), new Dense({ units: 2 })] });
      model.setWeights(model.getWeights().map((wt, k) => tensor(Float32Array.from({ length: wt.size }, (_, i) => Math.sin(i * 0.7 + k)), [...wt.shape])));
      model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'mse' });
      const x = tensor(Float32Array.from({ length: 4 * 8 * 8 * 2 }, (_, i) => Math.cos(i * 0.3)), [4, 8, 8, 2]);
      await model.fit(x, tensor(Float32Array.from({ length: 8 }, (_, i) => i % 3), [4, 2]), { epochs: 2, batchSize: 2, shuffle: false, verbose: 0 });
      return rows(onlyOutput(await model.predict(x, { verbose: 0 })));
    };
    const onnx = await run(await createOnnxWebBackend({ wasmPaths: `${loc.origin}/ort/`, numThreads: threads }));
    const ts = await run(createTsBackend());
    if (!close(onnx, ts, 1e-4)) throw new Mismatch(`onnx-web predicts ${onnx.slice(0, 4)}..., backend-ts ${ts.slice(0, 4)}...`);
    return `${onnx.length} values as backend-ts after training`;
  });
}

(async () => {
  try {
    if (params.get('app') !== '0') await appChecks();
    const threads = params.get('onnxthreads');
    if (threads) await onnxThreadsCheck(Number(threads));
    const b = params.get('conformance');
    if (b) await conformance(b);
    const ops = params.get('opsuite');
    if (ops) w.__opSuite = await runOpSuite(ops as BrowserOpSuiteBackend, params.get('filter'));
  } catch (e) {
    w.__error = String((e as Error)?.stack ?? e);
  }
  w.__done = true;
})();
