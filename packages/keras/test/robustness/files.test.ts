/**
 * Hostile files, one at a time: declared sizes larger than the bytes present (zip entries, zip64
 * counts, HDF5 datasets, TF.js manifests), paths that leave the model's directory, devices,
 * configs nested a million levels deep or declaring weights the file cannot hold. Each must fail
 * with a typed error and a clear message, quickly and before allocating what it declares.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, test } from 'vitest';
import { Dense, deserializeLayer, modelFromJSON, Sequential, type Model } from '../../src/index.js';
import { KerasConfigError, KerasFileError, KerasShapeError } from '../../src/errors.js';
import { getMaxConfigWeightBytes, setMaxConfigWeightBytes } from '../../src/limits/weight-budget.js';
import { loadModel, loadWeights, saveModel } from '../../src/saving/index.js';
import { crc32, readZipEntries } from '../../src/saving/zip-reader.js';
import { ensureGroup, withH5 } from '../../src/saving/hdf5-sandbox.js';
import { FILES, GOLDENS } from './corpus.js';
import { prepare } from './properties.js';

const real = (name: string) => join(FILES, name);
const dir = mkdtempSync(join(tmpdir(), 'keras-ts-hostile-'));
let n = 0;
const temp = (name: string, bytes: Uint8Array | string) => {
  const file = join(dir, `${n++}-${name}`);
  writeFileSync(file, bytes);
  return file;
};
const mlpCase = () => JSON.parse(readFileSync(join(GOLDENS, 'training', 'mlp_adam_cce.json'), 'utf8')) as { model: object };
const mlp = () => deserializeLayer(mlpCase().model) as Model;

/** Runs `fn` and returns what it threw, with how long it took and how much the process grew. */
async function failure(fn: () => Promise<unknown>): Promise<{ error: Error; ms: number; grownMiB: number }> {
  const rss = process.memoryUsage().rss;
  const t0 = performance.now();
  try {
    await fn();
  } catch (e) {
    return { error: e as Error, ms: performance.now() - t0, grownMiB: (process.memoryUsage().rss - rss) / 2 ** 20 };
  }
  throw new Error('expected a failure');
}

beforeAll(async () => {
  prepare();
  await loadWeights(mlp(), real('mlp_adam_cce.weights.h5')); // h5wasm loaded once
});

// ---- zip ----------------------------------------------------------------------------------

/** A one-entry zip by hand, with whatever sizes it declares. */
function zipOf(name: string, data: Uint8Array, o: { method?: number; declaredSize?: number; compressedSize?: number; crc?: number; count?: number } = {}): Uint8Array {
  const nameBytes = strToU8(name);
  const crc = o.crc ?? crc32(data);
  const local = new Uint8Array(30 + nameBytes.length);
  const lv = new DataView(local.buffer);
  lv.setUint32(0, 0x04034b50, true);
  lv.setUint16(8, o.method ?? 0, true);
  lv.setUint32(14, crc, true);
  lv.setUint32(18, o.compressedSize ?? data.length, true);
  lv.setUint32(22, o.declaredSize ?? data.length, true);
  lv.setUint16(26, nameBytes.length, true);
  local.set(nameBytes, 30);
  const central = new Uint8Array(46 + nameBytes.length);
  const cv = new DataView(central.buffer);
  cv.setUint32(0, 0x02014b50, true);
  cv.setUint16(10, o.method ?? 0, true);
  cv.setUint32(16, crc, true);
  cv.setUint32(20, o.compressedSize ?? data.length, true);
  cv.setUint32(24, o.declaredSize ?? data.length, true);
  cv.setUint16(28, nameBytes.length, true);
  cv.setUint32(42, 0, true);
  central.set(nameBytes, 46);
  const eocd = new Uint8Array(22);
  const ev = new DataView(eocd.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, o.count ?? 1, true);
  ev.setUint16(10, o.count ?? 1, true);
  ev.setUint32(12, central.length, true);
  ev.setUint32(16, local.length + data.length, true);
  const out = new Uint8Array(local.length + data.length + central.length + eocd.length);
  out.set(local, 0);
  out.set(data, local.length);
  out.set(central, local.length + data.length);
  out.set(eocd, local.length + data.length + central.length);
  return out;
}

describe('zip archives: declared sizes are checked against the bytes present', () => {
  test('a hand-made archive reads back (the helper is a valid zip)', () => {
    const data = strToU8('{"a": 1}');
    expect(readZipEntries(zipOf('config.json', data), 'x.keras', ['config.json']).entries['config.json']).toEqual(data);
  });

  test('an entry declaring 4 GiB for a few bytes is refused before allocating', async () => {
    const file = temp('huge-entry.keras', zipOf('config.json', strToU8('{}'), { method: 8, declaredSize: 0xfffffffe }));
    const { error, ms, grownMiB } = await failure(() => loadModel(file));
    expect(error).toBeInstanceOf(KerasFileError);
    expect((error as KerasFileError).code).toBe('BAD_FILE');
    expect(error.message).toBe(`${file}: corrupt or truncated zip archive (entry 'config.json' declares 4294967294 bytes, more than its 2 compressed bytes can hold)`);
    expect(ms).toBeLessThan(1000);
    expect(grownMiB).toBeLessThan(256);
  });

  test('a stored entry whose size disagrees with its bytes, and an entry past the end of the file', async () => {
    const stored = temp('stored.keras', zipOf('config.json', strToU8('{}'), { declaredSize: 1 << 30 }));
    await expect(loadModel(stored)).rejects.toThrow("the stored entry 'config.json' declares 1073741824 bytes but holds 2");
    const past = temp('past.keras', zipOf('config.json', strToU8('{}'), { compressedSize: 1 << 30, declaredSize: 1 << 30 }));
    await expect(loadModel(past)).rejects.toThrow(/the 1073741824 bytes of entry 'config.json' at byte \d+ lies outside the file's \d+ bytes/);
  });

  test('an archive claiming 65535 entries in a one-entry directory fails at once (no loop over phantom entries)', async () => {
    const file = temp('count.keras', zipOf('config.json', strToU8('{}'), { count: 65535 }));
    const { error, ms } = await failure(() => loadModel(file));
    expect(error.message).toContain('65535 entries declared in a central directory of 57 bytes');
    expect(ms).toBeLessThan(500);
  });

  test('damaged content fails its CRC-32 (Python zipfile checks it too)', async () => {
    const entries = readZipEntries(new Uint8Array(readFileSync(real('mlp_adam_cce.keras'))), 'x', ['config.json', 'metadata.json', 'model.weights.h5']).entries;
    const archive = zipSync({ 'metadata.json': entries['metadata.json'], 'config.json': entries['config.json'], 'model.weights.h5': entries['model.weights.h5'] }, { level: 0 });
    // Flip one bit in the middle of the stored weights (the zip structure stays valid).
    const at = archive.length >> 1;
    archive[at] ^= 0x10;
    const file = temp('flipped.keras', archive);
    await expect(loadModel(file)).rejects.toThrow(`${file}: corrupt or truncated zip archive (entry 'model.weights.h5' fails its CRC-32 check: its content is damaged)`);
  });

  test('an unknown compression method is named', async () => {
    const file = temp('method.keras', zipOf('config.json', strToU8('{}'), { method: 14 }));
    await expect(loadModel(file)).rejects.toThrow("entry 'config.json' uses compression method 14; Keras archives are stored (0) or deflated (8)");
  });
});

// ---- HDF5 ---------------------------------------------------------------------------------

/** The bytes of a real file with the first dataspace [a, b] (and its max dims) replaced by [c, d] (8-byte dims). */
function patchDims(bytes: Uint8Array, from: [number, number], to: [number, number]): Uint8Array {
  const out = Uint8Array.from(bytes);
  const view = new DataView(out.buffer);
  const is = (i: number, a: number, b: number) => view.getBigUint64(i, true) === BigInt(a) && view.getBigUint64(i + 8, true) === BigInt(b);
  for (let i = 0; i + 32 <= out.length; i++) {
    if (is(i, ...from) && is(i + 16, ...from)) {
      for (const at of [i, i + 16]) {
        view.setBigUint64(at, BigInt(to[0]), true);
        view.setBigUint64(at + 8, BigInt(to[1]), true);
      }
      return out;
    }
  }
  throw new Error(`no dataspace [${from}] found`);
}

describe('HDF5: declared dataset shapes are checked before reading', () => {
  test('a dataset whose declared shape disagrees with its storage is refused by its header, before any read', async () => {
    const file = temp('huge.weights.h5', patchDims(new Uint8Array(readFileSync(real('mlp_adam_cce.weights.h5'))), [4, 8], [4, 2 ** 40]));
    const { error, ms, grownMiB } = await failure(() => loadWeights(mlp(), file));
    expect(error).toBeInstanceOf(KerasFileError);
    expect(error.message).toBe(`${file}: layers/dense/vars/0: cannot read the dataset's header (invalid dataset size, likely file corruption)`);
    expect(ms).toBeLessThan(1000);
    expect(grownMiB).toBeLessThan(256);
  });

  test("a chunked dataset resized to more values than the file holds (HDF5 would fill them in) is refused before reading", async () => {
    // HDF5 accepts this file: unwritten chunks read as the fill value. Only the byte check refuses it.
    const file = join(dir, `${n++}-sparse.weights.h5`);
    await withH5(file, 'w', (f) => {
      const vars = ensureGroup(f, 'layers/dense/vars');
      vars.create_dataset({ name: '0', data: new Float32Array(32), shape: [4, 8], dtype: '<f', maxshape: [4, null], chunks: [4, 8] }).resize([4, 2 ** 20]);
      vars.create_dataset({ name: '1', data: new Float32Array(8), shape: [8], dtype: '<f', maxshape: [null], chunks: [8] }).resize([2 ** 20]);
    });
    const model = new Sequential({ layers: [new Dense({ units: 2 ** 20, inputShape: [4] })] });
    const { error, ms } = await failure(() => loadWeights(model, file));
    expect(error).toBeInstanceOf(KerasFileError);
    expect((error as KerasFileError).code).toBe('SIZE_MISMATCH');
    expect(error.message).toMatch(/layers\/dense\/vars\/0: declares 16777216 bytes of data \(shape \[4,1048576\]\), more than the whole file \(\d+ bytes\): the file is corrupt or truncated/);
    expect(ms).toBeLessThan(1000);
  });

  test('a .keras model whose config declares far more weights than the file holds is refused before allocating them', async () => {
    // The real .keras archive's config, with the first Dense widened to 2^24 units (256 MiB of kernel).
    const entries = readZipEntries(new Uint8Array(readFileSync(real('mlp_adam_cce.keras'))), 'x', ['config.json', 'metadata.json', 'model.weights.h5']).entries;
    const config = JSON.parse(new TextDecoder().decode(entries['config.json']));
    config.config.layers[1].config.units = 2 ** 24;
    const file = temp('wide.keras', zipSync({ 'metadata.json': entries['metadata.json'], 'config.json': strToU8(JSON.stringify(config)), 'model.weights.h5': entries['model.weights.h5'] }));
    const { error, ms, grownMiB } = await failure(() => loadModel(file));
    expect(error).toBeInstanceOf(KerasFileError);
    expect((error as KerasFileError).code).toBe('SIZE_MISMATCH');
    expect(error.message).toMatch(/: the config declares more weights than the file holds: layer '.*', weight 'kernel' of shape \[4, 16777216\] needs 256\.0 MiB, but its model\.weights\.h5 \(.*\) leave room for only .* more/);
    expect(ms).toBeLessThan(2000);
    expect(grownMiB).toBeLessThan(200);
  });
});

// ---- TF.js --------------------------------------------------------------------------------

describe('TF.js manifests: shapes, dtypes and paths are checked before reading', () => {
  async function saved(): Promise<{ file: string; json: Record<string, any>; model: Model }> {
    const d = mkdtempSync(join(dir, 'tfjs-'));
    const model = new Sequential({ layers: [new Dense({ units: 8, inputShape: [4], name: 'a' }), new Dense({ units: 3, name: 'b' })] });
    const file = join(d, 'model.json');
    await saveModel(model, file);
    return { file, json: JSON.parse(readFileSync(file, 'utf8')), model };
  }

  test('shapes that exceed the shard bytes are refused before the shards are read', async () => {
    const { file, json, model } = await saved();
    json.weightsManifest[0].weights[0].shape = [4, 2 ** 40];
    writeFileSync(file, JSON.stringify(json));
    const { error, ms } = await failure(() => loadWeights(model, file));
    expect(error).toBeInstanceOf(KerasFileError);
    expect(error.message).toMatch(/the weights of shards group1-shard1of1\.[0-9a-f]{8}\.bin need 17592186044556 bytes, the shards hold 268 \(truncated\?\)/);
    expect(ms).toBeLessThan(500);
  });

  test('negative, fractional and non-numeric sizes are named', async () => {
    const { file, json, model } = await saved();
    for (const shape of [[-4, -8], [4, 0.5], [4, '8'], [4, null], [4, 1e300]]) {
      json.weightsManifest[0].weights[0].shape = shape;
      writeFileSync(file, JSON.stringify(json));
      await expect(loadWeights(model, file)).rejects.toThrow(KerasShapeError);
    }
    json.weightsManifest[0].weights[0].shape = 'abc';
    writeFileSync(file, JSON.stringify(json));
    await expect(loadWeights(model, file)).rejects.toThrow(`${file}: weightsManifest group 0 must be {paths: [string], weights: [{name, shape, dtype}]}`);
    json.weightsManifest[0].weights[0].shape = [-4, -8];
    writeFileSync(file, JSON.stringify(json));
    await expect(loadWeights(model, file)).rejects.toThrow(`${file}: weight "a/kernel": the shape [-4, -8] has a size that is not a non-negative integer: -4`);
  });

  test('shard paths must stay inside the model directory, and be regular files', async () => {
    const { file, json, model } = await saved();
    for (const p of ['/etc/passwd', '../../etc/passwd', 'sub/../../x.bin', '/dev/zero']) {
      json.weightsManifest[0].paths = [p];
      writeFileSync(file, JSON.stringify(json));
      const e = await failure(() => loadWeights(model, file));
      expect(e.error).toBeInstanceOf(KerasFileError);
      expect((e.error as KerasFileError).code).toBe('UNSAFE_PATH');
      expect(e.error.message).toContain(`the shard path ${JSON.stringify(p)} points outside the model's folder`);
    }
    // A device inside the directory is still not a file.
    const fifoDir = join(dir, `dev-${n++}`);
    mkdirSync(fifoDir);
    json.weightsManifest[0].paths = ['fifo.bin'];
    writeFileSync(join(fifoDir, 'model.json'), JSON.stringify(json));
    const { execFileSync } = await import('node:child_process');
    execFileSync('mkfifo', [join(fifoDir, 'fifo.bin')]);
    const e = await failure(() => loadWeights(model, join(fifoDir, 'model.json')));
    expect(e.error.message).toBe(`${join(fifoDir, 'fifo.bin')}: not a regular file (a device, pipe or socket); model and weights files must be regular files`);
    // A link to a device outside is refused before it is looked at.
    json.weightsManifest[0].paths = ['zero.bin'];
    writeFileSync(join(fifoDir, 'model.json'), JSON.stringify(json));
    const { symlinkSync } = await import('node:fs');
    symlinkSync('/dev/zero', join(fifoDir, 'zero.bin'));
    const z = await failure(() => loadWeights(model, join(fifoDir, 'model.json')));
    expect(z.error.message).toMatch(/the shard "zero\.bin" leads, through a symbolic link, to "\/dev\/zero", outside the model's folder/);
  });

  test('loadModel on a device fails at once instead of reading forever', async () => {
    const e = await failure(() => loadModel('/dev/zero'));
    expect(e.error).toBeInstanceOf(KerasFileError);
    expect(e.ms).toBeLessThan(500);
  });
});

// ---- configs ------------------------------------------------------------------------------

describe('configs: nesting and declared sizes', () => {
  test('JSON nested 300,000 levels deep fails with CONFIG_TOO_DEEP, not a stack overflow', async () => {
    const depth = 100_000;
    const text = '{"class_name":"Sequential","config":{"layers":['.repeat(depth) + '1' + ']}}'.repeat(depth);
    const e = (() => {
      try {
        modelFromJSON(text);
      } catch (err) {
        return err as KerasConfigError;
      }
      throw new Error('expected a failure');
    })();
    expect(e).toBeInstanceOf(KerasConfigError);
    expect(e.code).toBe('CONFIG_TOO_DEEP');
    expect(e.message).toMatch(/^the layer config is nested more than 512 levels deep; no Keras config nests like that \(a corrupt or hostile file\?\); .*setLimits\(\{ maxConfigDepth: \d+ \}\)/);
    const file = temp('deep.json', text);
    await expect(loadModel(file)).rejects.toThrow(`${file}: the file is nested more than 512 levels deep`);
  });

  test('a config declaring more weights than the budget is refused before allocating (and the budget can be raised)', () => {
    const config = { class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'Dense', config: { units: 2 ** 20, batch_input_shape: [null, 1024] } }] } };
    const before = getMaxConfigWeightBytes();
    setMaxConfigWeightBytes(64 * 2 ** 20);
    try {
      const t0 = performance.now();
      expect(() => modelFromJSON(JSON.stringify(config))).toThrow(KerasShapeError);
      expect(() => modelFromJSON(JSON.stringify(config))).toThrow(
        /layer 'dense(_\d+)?', weight 'kernel' of shape \[1024, 1048576\] needs 4\.0 GiB, more than the 64\.0 MiB left of the 64\.0 MiB a config may allocate; if the model really is this large, raise the limit with setMaxConfigWeightBytes\(bytes\)/,
      );
      expect(performance.now() - t0).toBeLessThan(1000);
      config.config.layers[0].config.units = 1024;
      setMaxConfigWeightBytes(8 * 2 ** 20);
      expect((modelFromJSON(JSON.stringify(config)) as Model).weights[0].shape).toEqual([1024, 1024]);
    } finally {
      setMaxConfigWeightBytes(before);
    }
  });

  test('an input shape no tensor could hold is refused', () => {
    const config = { class_name: 'Sequential', config: { layers: [{ class_name: 'InputLayer', config: { batch_input_shape: [null, 2 ** 31] } }, { class_name: 'GRU', config: { units: 2 } }] } };
    expect(() => modelFromJSON(JSON.stringify(config))).toThrow(/InputLayer '.*': shape \[None, 2147483648\] is too large: one sample would hold 2147483648 elements/);
  });

  test('malformed functional and Sequential configs name what is wrong', () => {
    const bad = (config: object) => () => modelFromJSON(JSON.stringify(config));
    expect(bad({ class_name: 'Sequential', config: { layers: 5 } })).toThrow(`Sequential '': "layers" must be a list of layer configs, got 5`);
    expect(bad({ class_name: 'Functional', config: { name: 'f', layers: {} } })).toThrow(`cannot rebuild model 'f': "layers" must be a list of layer configs, got {}`);
    expect(bad({ class_name: 'Functional', config: { name: 'f', layers: [{ class_name: 'InputLayer', config: { batch_input_shape: [null, 2], name: 'i' }, name: 'i', inbound_nodes: 7 }] } })).toThrow(
      `cannot rebuild model 'f': layer 'i': "inbound_nodes" must be a list, got 7`,
    );
    expect(bad({ class_name: 'Functional', config: { name: 'f', layers: [{ class_name: 'InputLayer', config: { batch_input_shape: [null, 2], name: 'i' }, name: 'i', inbound_nodes: [] }], input_layers: [['i', 0, 0]], output_layers: 3 } })).toThrow(
      `cannot rebuild model 'f': "output_layers" must be a list of [layer_name, node_index, tensor_index], got 3`,
    );
    expect(bad({ class_name: 'Dense', config: 'units=3' })).toThrow(`cannot read layer 'Dense': its "config" must be an object, got "units=3"`);
    // A Keras 3 dtype policy without its config reads as float32.
    expect(bad({ class_name: 'Sequential', config: { layers: [{ class_name: 'Dense', config: { units: 2, batch_input_shape: [null, 3], dtype: { class_name: 'DTypePolicy' } } }] } })).not.toThrow();
  });
});
