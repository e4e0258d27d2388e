/**
 * Nothing outside the model is ever read. Hostile files (made from the real Keras files by
 * test/fixtures/hostile/make.py) point at other files of the machine through HDF5 external
 * storage, external links and virtual datasets; TF.js manifests reach out through symlinked
 * shards and folders. Each must be refused with an UNSAFE_PATH error that says which indirection
 * it was, and the other file's bytes must never reach a weight.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, test } from 'vitest';
import { deserializeLayer, type Model } from '../../src/index.js';
import { KerasFileError } from '../../src/errors.js';
import { loadModel, loadWeights, saveModel } from '../../src/saving/index.js';
import { FILES, GOLDENS } from './corpus.js';
import { prepare } from './properties.js';

const HOSTILE = join(dirname(fileURLToPath(import.meta.url)), '../fixtures/hostile');
const SECRETS = '/tmp/keras-ts-hostile';
const mlp = () => deserializeLayer(JSON.parse(readFileSync(join(GOLDENS, 'training', 'mlp_adam_cce.json'), 'utf8')).model) as Model;

/** The error `fn` threw (the test fails if it threw none). */
async function refusal(fn: () => Promise<unknown>): Promise<Error> {
  try {
    await fn();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected the load to be refused, but it succeeded');
}

function expectUnsafe(e: Error, what: RegExp): void {
  expect(e).toBeInstanceOf(KerasFileError);
  expect((e as KerasFileError).code).toBe('UNSAFE_PATH');
  expect(e.message).toMatch(what);
}

beforeAll(() => {
  prepare();
  // What an attacker would like to read: raw bytes that decode to recognisable floats (1234.5),
  // and an HDF5 file (here a real Keras file, so that following a link would "work").
  mkdirSync(SECRETS, { recursive: true });
  writeFileSync(join(SECRETS, 'secret.bin'), Buffer.from(new Float32Array(64).fill(1234.5).buffer));
  copyFileSync(join(FILES, 'mlp_adam_cce.h5'), join(SECRETS, 'secret.h5'));
});

describe('HDF5 indirection is refused', () => {
  test('external storage in a legacy .h5 model', async () => {
    const e = await refusal(() => loadModel(join(HOSTILE, 'external-storage.h5')));
    expectUnsafe(e, /external-storage\.h5.*another file.*\/tmp\/keras-ts-hostile\/secret\.bin/);
  });

  test('external storage in a .weights.h5 file', async () => {
    const model = mlp();
    const before = model.getWeights().map((w) => Array.from(w.data));
    const e = await refusal(() => loadWeights(model, join(HOSTILE, 'external-storage.weights.h5')));
    expectUnsafe(e, /secret\.bin/);
    // Nothing was assigned: the model keeps the weights it had.
    expect(model.getWeights().map((w) => Array.from(w.data))).toEqual(before);
  });

  test('external storage in the weights of a .keras archive', async () => {
    const e = await refusal(() => loadModel(join(HOSTILE, 'external-storage.keras')));
    expectUnsafe(e, /model\.weights\.h5.*secret\.bin/);
  });

  test('an external link in a legacy .h5 model', async () => {
    const e = await refusal(() => loadModel(join(HOSTILE, 'external-link.h5')));
    expectUnsafe(e, /external link.*secret\.h5/);
  });

  test('an external link in a .weights.h5 file', async () => {
    const e = await refusal(() => loadWeights(mlp(), join(HOSTILE, 'external-link.weights.h5')));
    expectUnsafe(e, /external link.*secret\.h5/);
  });

  test('a virtual dataset', async () => {
    const e = await refusal(() => loadModel(join(HOSTILE, 'virtual-dataset.h5')));
    expectUnsafe(e, /virtual dataset.*secret\.h5/);
  });

  test('the real files still load after the refusals (the HDF5 library is left clean)', async () => {
    const model = await loadModel(join(FILES, 'mlp_adam_cce.h5'));
    expect(model.getWeights().length).toBe(4);
    await loadWeights(model, join(FILES, 'mlp_adam_cce.weights.h5'));
  });
});

/** The (content-addressed) name of the first shard of the model.json in `dir`. */
const shardName = (dir: string): string => JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).weightsManifest[0].paths[0];

describe('TF.js shards stay inside the model folder after following links', () => {
  async function tfjsModel(): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), 'keras-ts-tfjs-links-'));
    const model = await loadModel(join(FILES, 'mlp_adam_cce.h5'));
    await saveModel(model, join(dir, 'model.json'));
    return dir;
  }

  test('a shard that is a symlink to a file outside', async () => {
    const dir = await tfjsModel();
    const outside = mkdtempSync(join(tmpdir(), 'keras-ts-outside-'));
    const shard = join(dir, shardName(dir));
    copyFileSync(shard, join(outside, 'stolen.bin'));
    writeFileSync(shard, ''); // replaced by the link below
    const { rmSync } = await import('node:fs');
    rmSync(shard);
    symlinkSync(join(outside, 'stolen.bin'), shard);
    const e = await refusal(() => loadModel(join(dir, 'model.json')));
    expectUnsafe(e, /group1-shard1of1\.[0-9a-f]{8}\.bin.*outside the model's folder/);
  });

  test('a shard inside a symlinked folder', async () => {
    const dir = await tfjsModel();
    const outside = mkdtempSync(join(tmpdir(), 'keras-ts-outside-'));
    copyFileSync(join(dir, shardName(dir)), join(outside, 'group1-shard1of1.bin'));
    symlinkSync(outside, join(dir, 'shards'));
    const manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    manifest.weightsManifest[0].paths = ['shards/group1-shard1of1.bin'];
    writeFileSync(join(dir, 'model.json'), JSON.stringify(manifest));
    const e = await refusal(() => loadModel(join(dir, 'model.json')));
    expectUnsafe(e, /shards\/group1-shard1of1\.bin.*outside the model's folder/);
  });

  test('a symlink that stays inside the folder is followed', async () => {
    const dir = await tfjsModel();
    mkdirSync(join(dir, 'real'));
    copyFileSync(join(dir, shardName(dir)), join(dir, 'real', 'shard.bin'));
    symlinkSync(join(dir, 'real'), join(dir, 'alias'));
    const manifest = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    manifest.weightsManifest[0].paths = ['alias/shard.bin'];
    writeFileSync(join(dir, 'model.json'), JSON.stringify(manifest));
    const model = await loadModel(join(dir, 'model.json'));
    expect(model.getWeights().length).toBe(4);
  });
});
