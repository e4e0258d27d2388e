/**
 * HDF5 errors leave nothing behind. h5wasm reports an HDF5 error by throwing a JavaScript
 * exception through the WebAssembly frames, which never gives back their C stack, and writes the
 * error stack to a `tmpfile()` it never closes: every corrupt file kept some stack and a file
 * descriptor, and after about 2,260 of them HDF5 failed with "null function or function signature
 * mismatch", aborted, or looped forever on the next file. Found by `pnpm fuzz --seed 20 --runs
 * 17000 --only archive`, which stalled on its 4,502nd archive (a file that alone fails at once with
 * "bad superblock version number") after 2,263 corrupt weights files. Now the streams are closed
 * after each file, and in Node the HDF5 worker thread (hdf5-worker.ts) is replaced after 200 errors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTsBackend } from '@keras-ts/backend-ts';
import { beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_LIMITS, modelFromJSON, setBackend, setLimits, type Model } from '../../src/index.js';
import { KerasFileError } from '../../src/errors.js';
import { loadWeights } from '../../src/saving/index.js';
import { h5 } from '../../src/saving/hdf5-sandbox.js';
import { FILES } from './corpus.js';

const WEIGHTS = new Uint8Array(readFileSync(join(FILES, 'mlp_adam_cce.weights.h5')));
/** The real file with its superblock version byte (right after the 8-byte signature) set to 9. */
const CORRUPT = WEIGHTS.slice();
CORRUPT[8] = 9;

let model: Model;
beforeAll(() => {
  setBackend(createTsBackend());
  model = modelFromJSON(JSON.stringify({ class_name: 'Sequential', config: { name: 's', layers: [{ class_name: 'Dense', config: { name: 'dense', units: 8, batch_input_shape: [null, 4] } }, { class_name: 'Dense', config: { name: 'dense_1', units: 3 } }] } }));
});

/** The streams open in h5wasm's in-memory file system. */
async function openStreams(): Promise<number> {
  const { FS } = await h5();
  return (FS as unknown as { streams: unknown[] }).streams.filter(Boolean).length;
}

async function refuse(bytes: Uint8Array): Promise<void> {
  const err = await loadWeights(model, bytes).catch((e: Error) => e);
  expect(err).toBeInstanceOf(KerasFileError);
  expect((err as Error).message).toMatch(/not a readable HDF5 file \(bad superblock version number\)/);
}

describe('HDF5 errors leave nothing behind', () => {
  test('read on this thread (maxHdf5Ms: Infinity, as in a browser), a corrupt file leaves no stream open in the in-memory file system', async () => {
    setLimits({ maxHdf5Ms: Infinity });
    try {
      await refuse(CORRUPT);
      const before = await openStreams();
      for (let i = 0; i < 50; i++) await refuse(CORRUPT);
      expect(await openStreams()).toBe(before);
    } finally {
      setLimits({ maxHdf5Ms: DEFAULT_LIMITS.maxHdf5Ms });
    }
  });

  test('3,000 corrupt files in a row, then the real file: it loads, and a corrupt one still gets its own message', async () => {
    // On one h5wasm instance the 2,259th of these fails with "null function or function signature
    // mismatch": the HDF5 worker is replaced before its stack runs out.
    for (let i = 0; i < 3000; i++) await refuse(CORRUPT);
    await loadWeights(model, WEIGHTS);
    await refuse(CORRUPT);
  }, 120_000);
});
