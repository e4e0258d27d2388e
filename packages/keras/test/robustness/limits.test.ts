/**
 * Budgets instead of crashes: a small hostile file declaring a huge config, archive, model or
 * layer output is refused before the work is done, with a KerasLimitError naming the limit, the
 * value found and how to raise it; the limits can be raised (or lowered) for one load with
 * `loadModel(path, { limits })` and for the process with `setLimits`; and the largest real
 * models (InceptionV3, EfficientNetB7, NASNetLarge, from Keras 3.15) are inside the defaults.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import { createTsBackend } from '@keras-ts/backend-ts';
import { strToU8, zipSync } from 'fflate';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import {
  DEFAULT_LIMITS,
  getLimits,
  Input,
  modelFromJSON,
  RepeatVector,
  Sequential,
  setBackend,
  setLimits,
  Tensor,
  UpSampling2D,
  ZeroPadding2D,
  type Layer,
  type Limits,
  onlyOutput,
} from '../../src/index.js';
import { countLayersAndNodes } from '../../src/limits/file-limits.js';
import { KerasFileError, KerasLimitError } from '../../src/errors.js';
import { loadModel, loadWeights, saveModel } from '../../src/saving/index.js';
import { readZipEntries } from '../../src/saving/zip-reader.js';
import { newH5Bytes } from '../../src/saving/hdf5-sandbox.js';
import { FILES } from './corpus.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'keras-ts-limits-'));
let n = 0;
const temp = (name: string, bytes: Uint8Array | string) => {
  const file = join(dir, `${n++}-${name}`);
  writeFileSync(file, bytes);
  return file;
};
const real = (name: string) => join(FILES, name);

/**
 * Refusals come before the work: measured in milliseconds. The bound leaves room for a loaded
 * machine and still fails if the work (inflating hundreds of MB, parsing, building) were done.
 */
const FAST_MS = 3000;

/** Runs `fn`, expecting a KerasLimitError for `limit`; returns it with the time taken. */
async function refused(limit: keyof Limits, fn: () => unknown): Promise<KerasLimitError & { ms: number }> {
  const t0 = performance.now();
  try {
    await fn();
  } catch (e) {
    const ms = performance.now() - t0;
    if (!(e instanceof KerasLimitError)) throw e;
    expect(e.code).toBe('OVER_LIMIT');
    expect(e.limit).toBe(limit);
    expect(e.found).toBeGreaterThan(e.max);
    // The message names the limit, the value found and the three ways to raise it.
    expect(e.message).toContain(limit);
    expect(e.message).toContain(`limits: { ${limit}: `);
    expect(e.message).toContain(`setLimits({ ${limit}: `);
    expect(e.message).toMatch(/--limit [a-z-]+=\d+/);
    return Object.assign(e, { ms });
  }
  throw new Error(`expected a refusal by ${limit}`);
}

/** A Sequential config of `layers` Dense layers after its input. */
function sequentialOf(layers: number): string {
  const list: { class_name: string; config: Record<string, unknown> }[] = [{ class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 2] } }];
  for (let i = 0; i < layers; i++) list.push({ class_name: 'Dense', config: { name: `d${i}`, units: 2 } });
  return JSON.stringify({ class_name: 'Sequential', config: { name: 'deep', layers: list } });
}

/** A functional config: an input and a chain of `layers` Dense layers, listed outputs first. */
function reversedChainOf(layers: number): string {
  const list: object[] = [];
  for (let i = layers - 1; i >= 0; i--) list.push({ class_name: 'Dense', name: `d${i}`, config: { name: `d${i}`, units: 2 }, inbound_nodes: [[[i === 0 ? 'in' : `d${i - 1}`, 0, 0, {}]]] });
  list.push({ class_name: 'InputLayer', name: 'in', config: { name: 'in', batch_input_shape: [null, 2] }, inbound_nodes: [] });
  return JSON.stringify({ class_name: 'Functional', config: { name: 'chain', layers: list, input_layers: [['in', 0, 0]], output_layers: [[`d${layers - 1}`, 0, 0]] } });
}

/** The real LSTM archive's entries, to build variants of it. */
const lstmEntries = () => readZipEntries(new Uint8Array(readFileSync(real('lstm_rmsprop_mse.keras'))), 'x', ['config.json', 'metadata.json', 'model.weights.h5']).entries;

beforeAll(() => {
  setBackend(createTsBackend());
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));
afterEach(() => {
  setLimits(DEFAULT_LIMITS);
});

describe('the limits and their defaults', () => {
  test('the defaults, and setLimits / loadModel options checked by name and value', async () => {
    expect(getLimits()).toEqual(DEFAULT_LIMITS);
    expect(DEFAULT_LIMITS).toEqual({
      maxFileBytes: 2 ** 31,
      maxDecompressedBytes: 2 ** 31,
      maxCompressionRatio: 250,
      maxConfigBytes: 64 * 2 ** 20,
      maxConfigDepth: 512,
      maxLayers: 10_000,
      maxNodes: 100_000,
      maxWeightBytes: 2 ** 31,
      maxShards: 10_000,
      maxUnrollSteps: 10_000,
      maxTensorElements: 2 ** 30,
      maxHdf5Ms: 120_000,
    });
    // @ts-expect-error -- 'maxLayerz' is misspelt on purpose
    expect(() => setLimits({ maxLayerz: 3 })).toThrow(/unknown limit 'maxLayerz'/);
    // @ts-expect-error -- '10' is a string on purpose
    for (const bad of [0, -1, 1.5, NaN, '10']) expect(() => setLimits({ maxLayers: bad })).toThrow(/must be a positive integer/);
    // @ts-expect-error -- 'maxNodez' is misspelt on purpose
    await expect(loadModel(real('mlp_adam_cce.keras'), { limits: { maxNodez: 1 } })).rejects.toThrow(/loadModel: unknown limit 'maxNodez'/);
    setLimits({ maxLayers: Infinity });
    expect(getLimits().maxLayers).toBe(Infinity);
  });

  const reals: [string, number, number][] = [
    ['inception_v3', 313, 23_851_784],
    ['efficientnet_b7', 816, 66_658_687],
    ['nasnet_large', 1041, 88_949_818],
  ];
  for (const [name, layers, params] of reals) {
    test(`${name} (${layers} layers, ${params.toLocaleString('en-US')} parameters, Keras 3.15) is inside every default`, () => {
      const text = gunzipSync(readFileSync(join(HERE, 'fixtures', `${name}.json.gz`))).toString('utf8');
      expect(text.length).toBeLessThan(DEFAULT_LIMITS.maxConfigBytes);
      const counts = countLayersAndNodes(JSON.parse(text));
      expect(counts.layers).toBe(layers);
      expect(counts.layers).toBeLessThanOrEqual(DEFAULT_LIMITS.maxLayers);
      expect(counts.nodes).toBeLessThanOrEqual(DEFAULT_LIMITS.maxNodes);
      expect(params * 4).toBeLessThan(DEFAULT_LIMITS.maxWeightBytes);
    });
  }

  test('InceptionV3 builds from its Keras 3 config under the default limits (layer outputs and weights checked as it is built)', async () => {
    const text = gunzipSync(readFileSync(join(HERE, 'fixtures', 'inception_v3.json.gz')));
    const model = await loadModel(new Uint8Array(text));
    expect(model.layers.length).toBe(313);
    expect(model.countParams()).toBe(23_851_784);
  }, 120_000);
});

describe('files and downloads', () => {
  test('a file larger than maxFileBytes is refused before it is read (models, weights, shards)', async () => {
    const e = await refused('maxFileBytes', () => loadModel(real('mlp_adam_cce.h5'), { limits: { maxFileBytes: 1000 } }));
    expect(e.message).toMatch(/mlp_adam_cce\.h5: the file holds \d+ bytes, over the limit maxFileBytes = 1000 bytes/);
    setLimits({ maxFileBytes: 1000 });
    await refused('maxFileBytes', () => loadWeights(modelFromJSON(sequentialOf(1)), real('mlp_adam_cce.weights.h5')));
    await refused('maxFileBytes', () => loadModel(new Blob([new Uint8Array(2000)])));
  });

  test('a download is stopped as soon as it passes maxFileBytes (a server streaming forever), or refused from its Content-Length', async () => {
    const sent = { bytes: 0 };
    const server = createServer((req, res) => {
      if (req.url === '/declared.keras') {
        res.writeHead(200, { 'content-length': String(2 ** 40) });
        res.end();
        return;
      }
      // No length: streams 64 KiB chunks until the client goes away (at most 256 MiB).
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      const chunk = new Uint8Array(65536);
      const push = () => {
        while (sent.bytes < 2 ** 28 && res.write(chunk)) sent.bytes += chunk.length;
        if (sent.bytes >= 2 ** 28) res.end();
      };
      res.on('drain', push);
      push();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const { port } = server.address() as AddressInfo;
    try {
      const e = await refused('maxFileBytes', () => loadModel(`http://127.0.0.1:${port}/endless.keras`, { limits: { maxFileBytes: 4 * 2 ** 20 } }));
      expect(e.message).toMatch(/endless\.keras: the download passed 4\.\d MiB \(\d+ bytes\) and was stopped, over the limit maxFileBytes = 4\.0 MiB/);
      const d = await refused('maxFileBytes', () => loadModel(`http://127.0.0.1:${port}/declared.keras`));
      expect(d.message).toContain('declared.keras: the server sends 1024.0 GiB (1099511627776 bytes), over the limit maxFileBytes = 2.0 GiB');
    } finally {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    }
    // The server was stopped well before the end (it would send 256 MiB).
    expect(sent.bytes).toBeLessThan(2 ** 27);
  });
});

describe('HDF5 that never returns', () => {
  // Found by `pnpm fuzz --seed 20 --runs 17000` ('files: bytes'): 37 zero bytes at 22% of the real
  // mlp_adam_cce.h5 give a global heap object of size 0, and HDF5 (inside h5wasm) walks that heap
  // forever when it reads the vlen strings of 'layer_names'. A loop inside WebAssembly cannot be
  // interrupted, so the heaps are checked before HDF5 sees the file.
  test('a legacy .h5 whose global heap HDF5 would walk forever is refused at once, naming the heap', async () => {
    const file = join(HERE, 'fixtures', 'hdf5-attribute-loop.h5');
    const model = modelFromJSON(JSON.stringify({ class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'Dense', config: { name: 'dense', units: 8, batch_input_shape: [null, 4] } }, { class_name: 'Dense', config: { name: 'dense_1', units: 3 } }] } }));
    const t0 = performance.now();
    const err = await loadWeights(model, file).catch((e: Error) => e);
    expect(err).toBeInstanceOf(KerasFileError);
    expect((err as Error).message).toBe(`${file}: corrupt HDF5 file: the global heap at byte 2048 has an object entry of size 0 at byte 5240, which HDF5 would read forever`);
    expect(performance.now() - t0).toBeLessThan(FAST_MS);
    // The real file it was made from still loads.
    await loadWeights(model, real('mlp_adam_cce.h5'));
  });
});

describe('archives and configs', () => {
  test('a .keras whose config.json inflates to 80 MB is refused from its declared size, before inflating it', async () => {
    const base = lstmEntries();
    // Keras JSON with 40 million numbers in it: 80 MB that deflate to ~80 KB.
    const huge = `{"class_name": "Sequential", "config": {"name": "s", "layers": [], "pad": [${'0,'.repeat(40_000_000)}0]}}`;
    const file = temp('bomb.keras', zipSync({ 'metadata.json': base['metadata.json'], 'config.json': [strToU8(huge), { level: 9 }], 'model.weights.h5': base['model.weights.h5'] }));
    expect(readFileSync(file).length).toBeLessThan(1_000_000);
    const e = await refused('maxConfigBytes', () => loadModel(file));
    expect(e.message).toContain(`${file}: entry 'config.json' decompresses to 76.3 MiB (`);
    expect(e.message).toMatch(/ bytes\), over the limit maxConfigBytes = 64\.0 MiB \(67108864 bytes\)/);
    expect(e.ms).toBeLessThan(FAST_MS);
  }, 60_000);

  test('what an archive decompresses to, together, is held to maxDecompressedBytes (and the limit is per load)', async () => {
    const file = real('mlp_adam_cce.keras');
    const e = await refused('maxDecompressedBytes', () => loadModel(file, { limits: { maxDecompressedBytes: 10_000 } }));
    expect(e.message).toMatch(/mlp_adam_cce\.keras: the entries read \(metadata\.json, config\.json, model\.weights\.h5\) decompress to \d+ bytes, over the limit maxDecompressedBytes = 10000 bytes/);
    expect(getLimits().maxDecompressedBytes).toBe(DEFAULT_LIMITS.maxDecompressedBytes);
    await loadModel(file);
  });

  test('a zip bomb (64 MiB of weights deflated 1,000:1) is refused by maxCompressionRatio before inflating; the limit can be raised', async () => {
    const base = lstmEntries();
    const bomb = temp('bomb.keras', zipSync({ 'metadata.json': base['metadata.json'], 'config.json': base['config.json'], 'model.weights.h5': [new Uint8Array(64 * 2 ** 20), { level: 9 }] }));
    expect(readFileSync(bomb).length).toBeLessThan(100_000);
    const e = await refused('maxCompressionRatio', () => loadModel(bomb));
    expect(e.message).toMatch(/bomb\.keras: entry 'model\.weights\.h5' declares 64\.0 MiB \(67108864 bytes\) from \d+ bytes compressed, a ratio of 1,0\d\d:1, over the limit maxCompressionRatio = 250; .*maxCompressionRatio: 1\d\d\d/);
    expect(e.ms).toBeLessThan(FAST_MS);
    // Raised, the entry is inflated (and is no HDF5 file).
    await expect(loadModel(bomb, { limits: { maxCompressionRatio: 2000 } })).rejects.toThrow(/not a readable HDF5 file/);
  }, 60_000);

  test('an entry that inflates to more than it declares is stopped at its declared size, not inflated to the end', async () => {
    const base = lstmEntries();
    const zip = zipSync({ 'metadata.json': base['metadata.json'], 'config.json': base['config.json'], 'model.weights.h5': [new Uint8Array(64 * 2 ** 20), { level: 9 }] });
    // Declare 1 MiB (a ratio the limit accepts) in the local header and the central directory.
    const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
    const name = strToU8('model.weights.h5');
    for (let p = 0; p + 46 < zip.length; p++) {
      const sig = view.getUint32(p, true);
      const at = sig === 0x04034b50 ? 30 : sig === 0x02014b50 ? 46 : 0;
      if (!at || view.getUint16(p + (at === 30 ? 26 : 28), true) !== name.length || !name.every((c, i) => zip[p + at + i] === c)) continue;
      view.setUint32(p + (at === 30 ? 22 : 24), 2 ** 20, true);
    }
    const file = temp('liar.keras', zip);
    const t0 = performance.now();
    const err = await loadModel(file).catch((x: Error) => x);
    expect(err).toBeInstanceOf(KerasFileError);
    expect((err as Error).message).toBe(`${file}: corrupt or truncated zip archive (entry 'model.weights.h5' decompresses to more than the 1048576 bytes it declares)`);
    expect(performance.now() - t0).toBeLessThan(FAST_MS);
  }, 60_000);

  test("a legacy .h5 whose fixed-length 'model_config' declares more than maxConfigBytes is refused from its header, before the value is read", async () => {
    const config = sequentialOf(2);
    // As h5py writes a Python bytes object: one fixed-length string, here padded to 1 MiB.
    const bytes = await newH5Bytes((f) => f.create_attribute('model_config', config.padEnd(2 ** 20), null, `A${2 ** 20}`), 'x.h5');
    const file = temp('big-config.h5', bytes);
    const e = await refused('maxConfigBytes', () => loadModel(file, { limits: { maxConfigBytes: 100_000 } }));
    expect(e.message).toMatch(/big-config\.h5: its 'model_config' attribute declares 1\.0 MiB \(1048576 bytes\), over the limit maxConfigBytes = 100000 bytes/);
  });

  test('a config text longer than maxConfigBytes is refused before parsing (JSON file, legacy .h5)', async () => {
    await refused('maxConfigBytes', () => loadModel(real('mlp_adam_cce.h5'), { limits: { maxConfigBytes: 100 } }));
    const json = temp('model.json', sequentialOf(2));
    await refused('maxConfigBytes', () => loadModel(json, { limits: { maxConfigBytes: 100 } }));
    expect((await loadModel(json)).layers.length).toBe(2);
  });

  test('maxConfigDepth can be lowered and raised', async () => {
    const json = temp('model.json', sequentialOf(1));
    await expect(loadModel(json, { limits: { maxConfigDepth: 3 } })).rejects.toThrow(/nested more than 3 levels deep.*maxConfigDepth/);
    expect((await loadModel(json)).layers.length).toBe(1);
  });
});

describe('layers and layer calls', () => {
  test('a Sequential config of 10,001 layers is refused at once; 10,000 load in seconds', async () => {
    const e = await refused('maxLayers', () => modelFromJSON(sequentialOf(10_000)));
    expect(e.message).toContain('declares 10,001 layers, over the limit maxLayers = 10,000');
    expect(e.ms).toBeLessThan(FAST_MS);
    const t0 = performance.now();
    const model = modelFromJSON(sequentialOf(9_999));
    expect(model.layers.length).toBe(9_999);
    // Linear: ~3 s on an idle machine (quadratic work would take minutes).
    expect(performance.now() - t0).toBeLessThan(60_000);
  }, 120_000);

  test('a functional chain of 10,000 layers listed outputs first loads (no stack overflow); more is refused', async () => {
    const t0 = performance.now();
    const model = modelFromJSON(reversedChainOf(9_999));
    expect(model.layers.length).toBe(10_000);
    expect(performance.now() - t0).toBeLessThan(60_000);
    const y = onlyOutput(await model.predict(new Tensor([1, 2], 'float32', new Float32Array([1, 2]))));
    expect(y.shape).toEqual([1, 2]);
    const file = temp('chain.json', reversedChainOf(10_000));
    const e = await refused('maxLayers', () => loadModel(file));
    expect(e.message).toContain(`${file}: the model config declares 10,001 layers`);
    expect((await loadModel(file, { limits: { maxLayers: 10_001 } })).layers.length).toBe(10_001);
  }, 240_000);

  test('a layer called 100,001 times in a config is refused by maxNodes', async () => {
    const nodes = Array.from({ length: 100_001 }, () => [['in', 0, 0, {}]]);
    const config = {
      class_name: 'Functional',
      config: {
        name: 'm',
        layers: [
          { class_name: 'InputLayer', name: 'in', config: { name: 'in', batch_input_shape: [null, 2] }, inbound_nodes: [] },
          { class_name: 'Dense', name: 'd', config: { name: 'd', units: 2 }, inbound_nodes: nodes },
        ],
        input_layers: [['in', 0, 0]],
        output_layers: [['d', 0, 0]],
      },
    };
    const e = await refused('maxNodes', () => modelFromJSON(JSON.stringify(config)));
    expect(e.message).toContain('declares 100,001 layer calls');
    expect(e.ms).toBeLessThan(FAST_MS);
  });

  test("a legacy weights file whose 'layer_names' lists more layers than maxLayers is refused before looking them up", async () => {
    const model = modelFromJSON(sequentialOf(3));
    const file = join(dir, 'three.h5');
    await saveModel(model, file);
    setLimits({ maxLayers: 2 });
    const e = await refused('maxLayers', () => loadWeights(model, file));
    expect(e.message).toContain("'layer_names' lists 3 layers");
  });

  test('a TF.js manifest listing 300,000 shards is refused before any is looked up', async () => {
    const paths = Array.from({ length: 300_000 }, (_, i) => `group1-shard${i + 1}of300000.bin`);
    const file = temp('model.json', JSON.stringify({ format: 'layers-model', modelTopology: JSON.parse(sequentialOf(1)), weightsManifest: [{ paths, weights: [] }] }));
    const e = await refused('maxShards', () => loadModel(file));
    expect(e.message).toContain('the weightsManifest lists 300000 shard files');
    expect(e.ms).toBeLessThan(FAST_MS);
  });
});

describe('building: weights, time steps and layer outputs', () => {
  test('maxWeightBytes and maxUnrollSteps apply to one load through its options', async () => {
    // (A KerasShapeError, as before limits were gathered here; it says how to raise the limit.)
    await expect(loadModel(real('mlp_adam_cce.keras'), { limits: { maxWeightBytes: 64 } })).rejects.toThrow(
      /mlp_adam_cce\.keras: cannot rebuild the model from its config: layer 'dense(_\d+)?', weight 'kernel' of shape \[4, 8\] needs 128 bytes, more than the 64 bytes left .* loadModel\(path, \{ limits: \{ maxWeightBytes: 128 \} \}\)/,
    );
    // The LSTM archive's 5 steps, over a limit of 4 for this load only.
    await expect(loadModel(real('lstm_rmsprop_mse.keras'), { limits: { maxUnrollSteps: 4 } })).rejects.toThrow(/5 time steps.*more than the 4 a recurrent layer may unroll/);
    expect((await loadModel(real('lstm_rmsprop_mse.keras'))).layers.length).toBeGreaterThan(0);
  });

  const enormous: [string, () => Layer, number[], string][] = [
    ["RepeatVector 'rep'", () => new RepeatVector({ n: 2 ** 30, name: 'rep' }), [3], '[None, 1073741824, 3]'],
    ["UpSampling2D 'up'", () => new UpSampling2D({ size: [2 ** 20, 2 ** 20], name: 'up' }), [4, 4, 1], '[None, 4194304, 4194304, 1]'],
    ["ZeroPadding2D 'pad'", () => new ZeroPadding2D({ padding: [[2 ** 40, 0], [0, 0]], name: 'pad' }), [4, 4, 1], '[None, 1099511627780, 4, 1]'],
  ];
  for (const [label, make, shape, shown] of enormous) {
    test(`${label}: an output no tensor could hold is refused naming the layer and the shape`, async () => {
      const e = await refused('maxTensorElements', () => make().apply(Input({ shape })));
      expect(e.message).toContain(`${label}: its output of shape ${shown} would hold`);
      expect(e.ms).toBeLessThan(FAST_MS);
      // Built lazily by predict: refused the same way, before anything is allocated.
      const lazy = new Sequential({ layers: [make()] });
      const x = new Tensor([1, ...shape], 'float32', new Float32Array(shape.reduce((a, b) => a * b, 1)));
      const p = await refused('maxTensorElements', () => lazy.predict(x));
      expect(p.message).toContain(`${label}: its output of shape`);
    });
  }

  test('in a file: the refusal names the file and the layer; a lower limit refuses smaller outputs', async () => {
    const config = JSON.stringify({ class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'InputLayer', config: { name: 'in', batch_input_shape: [null, 3] } }, { class_name: 'RepeatVector', config: { name: 'rep', n: 2 ** 30 } }] } });
    const file = temp('repeat.json', config);
    const e = await refused('maxTensorElements', () => loadModel(file));
    expect(e.message).toContain(`${file}: RepeatVector 'rep': its output of shape [None, 1073741824, 3]`);
    setLimits({ maxTensorElements: 100 });
    await refused('maxTensorElements', () => new RepeatVector({ n: 50 }).apply(Input({ shape: [3] })));
    setLimits({ maxTensorElements: 150 });
    expect(new RepeatVector({ n: 50 }).apply(Input({ shape: [3] })).shape).toEqual([null, 50, 3]);
  });
});

describe('TF.js quantization', () => {
  test('uint8 weights without scale or min are refused (their values cannot be known)', async () => {
    const model = modelFromJSON(sequentialOf(1));
    const folder = mkdtempSync(join(dir, 'q-'));
    await saveModel(model, join(folder, 'model.json'));
    const json = JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8'));
    for (const q of [{ dtype: 'uint8' }, { dtype: 'uint8', scale: 0.1 }, { dtype: 'uint16', min: 0 }]) {
      const m = structuredClone(json);
      m.weightsManifest[0].weights[0].quantization = q;
      writeFileSync(join(folder, 'model.json'), JSON.stringify(m));
      const err = await loadModel(join(folder, 'model.json')).catch((e: Error) => e);
      expect(err).toBeInstanceOf(KerasFileError);
      expect((err as Error).message).toContain(`'${q.dtype}' quantization needs both 'scale' and 'min'`);
    }
  });
});
