/**
 * What a page that imports only Dense and Sequential gets from keras-ts: bundled with esbuild for
 * the browser (bench/src/bundle/size.ts, the same measurement as `pnpm bench:bundle`), its
 * metafile must not hold the layers it never uses (Conv2D, LSTM, MultiHeadAttention...), and the
 * bundle must still run: activations, initializers, regularizers, the optimizer, loss and metrics
 * named by string resolve (their small registries stay), while reading a config by class name
 * needs the built-in layer table, which only `loadModel`, `modelFromJSON`, `deserialize`,
 * `deserializeLayer`, `registeredNames` and `registerBuiltinLayers` bring
 * (packages/keras/src/layers/builtin-layers.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { Bidirectional, Input, LSTM, Model, MultiHeadAttention, setBackend } from '@keras-ts/keras';
import { createTsBackend } from '@keras-ts/backend-ts';
import { bundleForRun, ENTRIES, measureBundle } from '../../bench/src/bundle/size.js';

const full = ENTRIES.find((e) => e.name.startsWith('keras + backend-ts'))!;
const denseOnly = ENTRIES.find((e) => e.name.startsWith('Dense + Sequential'))!;
const loader = ENTRIES.find((e) => e.name.startsWith('loadModel'))!;
const LAYERS = 'packages/keras/src/layers/';
const UNUSED = ['convolutional/conv2d.ts', 'recurrent/lstm.ts', 'attention/multi-head-attention.ts', 'builtin-layers.ts'].map((m) => LAYERS + m);

/** A model with nested layers (Bidirectional's LSTM) and MultiHeadAttention, every name given; plain JS, run in a bundle and here. */
const MODEL = [
  "const x = Input({ shape: [5, 8], name: 'x' });",
  "const a = new MultiHeadAttention({ numHeads: 2, keyDim: 4, name: 'mha' }).apply(x, { value: x });",
  "const b = new Bidirectional({ layer: new LSTM({ units: 3, name: 'lstm' }), name: 'bi' }).apply(a);",
  "const model = new Model({ inputs: x, outputs: b, name: 'm' });",
].join('\n');

const dir = mkdtempSync(join(tmpdir(), 'keras-ts-bundle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Bundles `source` for the browser, runs it in this Node and returns what it put in `globalThis.__out`. */
async function runBundled(name: string, source: string): Promise<Record<string, unknown>> {
  const file = join(dir, `${name}.mjs`);
  writeFileSync(file, await bundleForRun(source));
  const g = globalThis as { __out?: Record<string, unknown> };
  g.__out = {};
  await import(pathToFileURL(file).href);
  const out = g.__out;
  delete g.__out;
  return out;
}

const APP = [
  "import { Dense, Sequential, setBackend, tensor } from '@keras-ts/keras';",
  "import { createTsBackend } from '@keras-ts/backend-ts';",
  'const out = (globalThis as { __out: Record<string, unknown> }).__out;',
  'setBackend(createTsBackend());',
  "const model = new Sequential([new Dense({ units: 8, activation: 'relu', inputShape: [4], kernelInitializer: 'he_normal', kernelRegularizer: 'l2' }), new Dense({ units: 1, activation: 'sigmoid' })]);",
  "model.compile({ optimizer: 'adam', loss: 'binary_crossentropy', metrics: ['accuracy', 'mae'] });",
  'const history = await model.fit(tensor([[1, 2, 3, 4], [4, 3, 2, 1]]), tensor([[1], [0]]), { epochs: 2, verbose: 0 });',
  'out.history = history.history;',
  'out.config = model.getConfig();',
];

describe('tree shaking of @keras-ts/keras for the browser (esbuild metafile)', () => {
  test('the full bundle holds every layer module, so the checks below can see them', async () => {
    const s = await measureBundle(full);
    for (const m of UNUSED) expect(s.modules).toContain(m);
    expect(s.modules).toContain(LAYERS + 'core/dense.ts');
  }, 120_000);

  test('importing only Dense and Sequential leaves the other layers out', async () => {
    const s = await measureBundle(denseOnly);
    expect(s.modules).toContain(LAYERS + 'core/dense.ts');
    for (const m of UNUSED) expect(s.modules).not.toContain(m);
    expect(s.modules.filter((m) => m.startsWith(LAYERS)).length).toBeLessThan(5);
  }, 120_000);

  test('a page that loads models keeps every layer (a file may name any)', async () => {
    const s = await measureBundle(loader);
    for (const m of UNUSED) expect(s.modules).toContain(m);
  }, 120_000);

  test('the Dense + Sequential bundle trains with every argument named by string', async () => {
    const out = await runBundled('dense', [...APP, ''].join('\n'));
    const h = out.history as Record<string, number[]>;
    expect(Object.keys(h).sort()).toEqual(['accuracy', 'loss', 'mae']);
    for (const v of Object.values(h)) expect(v.every(Number.isFinite)).toBe(true);
  }, 120_000);

  test('Sequential.fromConfig in a bundle without a loader fails naming registerBuiltinLayers', async () => {
    const out = await runBundled('from-config', [...APP, 'try { Sequential.fromConfig(out.config as Parameters<typeof Sequential.fromConfig>[0]); out.error = "none"; } catch (e) { out.error = (e as Error).message; }', ''].join('\n'));
    expect(out.error).toMatch(/unknown layer 'Dense'.*call registerBuiltinLayers\(\) once/s);
  }, 120_000);

  test('Sequential.fromConfig in a bundle works after registerBuiltinLayers()', async () => {
    const out = await runBundled('registered', [
      ...APP,
      "import { registerBuiltinLayers } from '@keras-ts/keras';",
      'registerBuiltinLayers();',
      'out.classes = Sequential.fromConfig(out.config as Parameters<typeof Sequential.fromConfig>[0]).layers.map((l) => (l.constructor as unknown as { className: string }).className);',
      '',
    ].join('\n'));
    expect(out.classes).toEqual(['Dense', 'Dense']);
  }, 120_000);

  test('a bundle without the layer table writes the same model JSON as Node (nested layers, Keras 3 modules)', async () => {
    const out = await runBundled('to-json', [
      "import { Bidirectional, Input, LSTM, Model, MultiHeadAttention, setBackend } from '@keras-ts/keras';",
      "import { createTsBackend } from '@keras-ts/backend-ts';",
      'const out = (globalThis as { __out: Record<string, unknown> }).__out;',
      'setBackend(createTsBackend());',
      MODEL,
      'out.json = model.toJSON();',
      '',
    ].join('\n'));
    setBackend(createTsBackend());
    const model = new Function('Bidirectional', 'Input', 'LSTM', 'Model', 'MultiHeadAttention', `${MODEL}\nreturn model;`)(Bidirectional, Input, LSTM, Model, MultiHeadAttention) as Model;
    expect(out.json).toBe(model.toJSON());
    expect(out.json).toContain('"module":"keras.layers","class_name":"LSTM"');
  }, 120_000);

  test('deserialize in a bundle reads any built-in layer', async () => {
    const out = await runBundled('deserialize', [
      "import { deserialize, registeredNames } from '@keras-ts/keras';",
      'const out = (globalThis as { __out: Record<string, unknown> }).__out;',
      "out.lstm = ((deserialize('layer', { class_name: 'LSTM', config: { units: 2 } }) as object).constructor as unknown as { className: string }).className;",
      "out.names = registeredNames('layer').length;",
      '',
    ].join('\n'));
    expect(out.lstm).toBe('LSTM');
    expect(out.names).toBeGreaterThan(90);
  }, 120_000);
});
