/**
 * Models in and out without a file system: loadModel from bytes, a Blob, a map of named files and
 * an http URL (a TF.js model.json fetching its shards beside it, from a server on loopback);
 * modelToBytes / modelToFiles giving what saveModel writes.
 */
import { createServer, type Server } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { Dense, Sequential, onlyOutput, tensor, type Tensor } from '../../src/index.js';
import { loadModel, modelToBytes, modelToFiles } from '../../src/saving/index.js';
import { KerasFileError } from '../../src/errors.js';
import { FILES } from '../robustness/corpus.js';
import { prepare } from '../robustness/properties.js';

const x = tensor([[0.1, -0.2, 0.3, 0.4], [1, 2, 3, 4]]);
const predict = async (m: { predict(x: Tensor): Promise<Tensor | Tensor[]> }) => Array.from(onlyOutput(await m.predict(x)).data);

function model() {
  return new Sequential({ layers: [new Dense({ units: 3, activation: 'tanh', inputShape: [4] }), new Dense({ units: 2 })] });
}

let server: Server;
let base = '';
const served = new Map<string, Uint8Array>();
beforeAll(async () => {
  prepare();
  server = createServer((req, res) => {
    const body = served.get(req.url ?? '');
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(Buffer.from(body));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const addr = server.address() as { port: number };
  base = `http://127.0.0.1:${addr.port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('loadModel without a file path', () => {
  test('from the bytes of a .keras archive, as Uint8Array, ArrayBuffer and Blob', async () => {
    const m = model();
    const want = await predict(m);
    const bytes = await modelToBytes(m);
    for (const source of [bytes, bytes.slice().buffer, new Blob([bytes])]) expect(await predict(await loadModel(source))).toEqual(want);
  });

  test('from the bytes of a legacy .h5 file, and of a real Keras file', async () => {
    const m = model();
    expect(await predict(await loadModel(await modelToBytes(m, 'h5')))).toEqual(await predict(m));
    const real = readFileSync(join(FILES, 'mlp_adam_cce.keras'));
    const fromPath = await loadModel(join(FILES, 'mlp_adam_cce.keras'));
    expect(await predict(await loadModel(new Uint8Array(real)))).toEqual(await predict(fromPath));
  });

  test('from a map of named files: a TF.js model.json and its shards (records and File objects)', async () => {
    const m = model();
    const { files } = await modelToFiles(m, 'tfjs');
    expect(Object.keys(files).sort()).toEqual(['group1-shard1of1.bin', 'model.json']);
    expect(await predict(await loadModel(files))).toEqual(await predict(m));
    const list = Object.entries(files).map(([name, b]) => new File([b as Uint8Array<ArrayBuffer>], name));
    expect(await predict(await loadModel(list))).toEqual(await predict(m));
  });

  test('a missing shard or an ambiguous map fails naming what is missing', async () => {
    const { files } = await modelToFiles(model(), 'tfjs');
    await expect(loadModel({ 'model.json': files['model.json'] })).rejects.toThrow(/shard "group1-shard1of1.bin" is not among the files given \("model.json"\)/);
    await expect(loadModel({ 'a.keras': new Uint8Array(4), 'b.keras': new Uint8Array(4) })).rejects.toThrow(/cannot tell which of the files is the model/);
  });

  test('from an http URL: a .keras file, and a TF.js model.json fetching its shards beside it', async () => {
    const m = model();
    const want = await predict(m);
    served.set('/m/model.keras', await modelToBytes(m));
    const { files } = await modelToFiles(m, 'tfjs');
    for (const [name, b] of Object.entries(files)) served.set(`/web/${name}`, b);
    expect(await predict(await loadModel(`${base}/m/model.keras`))).toEqual(want);
    expect(await predict(await loadModel(`${base}/web/model.json`))).toEqual(want);
    expect(await predict(await loadModel(new URL(`${base}/web/model.json`)))).toEqual(want);
  });

  test('a URL that fails says what the server answered', async () => {
    const e = await loadModel(`${base}/nothing.keras`).catch((err: unknown) => err);
    expect(e).toBeInstanceOf(KerasFileError);
    expect((e as Error).message).toMatch(/nothing\.keras: the server answered 404/);
  });

  test('indexeddb:// outside a browser fails clearly', async () => {
    await expect(loadModel('indexeddb://m')).rejects.toThrow(/indexeddb:\/\/ needs IndexedDB/);
  });
});

describe('float16 weights', () => {
  test('a weights file stored as float16 loads, cast to float32 (as Keras does)', async () => {
    const { loadWeights } = await import('../../src/saving/index.js');
    const { deserializeLayer } = await import('../../src/index.js');
    const { fileURLToPath } = await import('node:url');
    const { dirname } = await import('node:path');
    const c = JSON.parse(readFileSync(join(FILES, '..', 'training', 'mlp_adam_cce.json'), 'utf8'));
    const half = deserializeLayer(c.model) as Sequential;
    const full = deserializeLayer(c.model) as Sequential;
    await loadWeights(half, join(dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'float16', 'mlp.float16.weights.h5'));
    await loadWeights(full, join(FILES, 'mlp_adam_cce.weights.h5'));
    const a = half.getWeights().flatMap((w) => Array.from(w.data));
    const b = full.getWeights().flatMap((w) => Array.from(w.data));
    expect(a.length).toBe(b.length);
    // float16 keeps 11 bits of mantissa: within 2^-11 relative of the float32 values.
    a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThanOrEqual(Math.abs(b[i]) * 2 ** -11 + 1e-7));
    expect(a.some((v, i) => v !== b[i])).toBe(true);
  });
});
