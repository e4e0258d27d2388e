/**
 * HDF5 reads are bounded in time (Node): HDF5 runs in a worker thread, stopped when a file has
 * taken more than the limit maxHdf5Ms, with a KerasLimitError naming the limit; the next file gets
 * a fresh worker. The loop used is a real one: hdf5-attribute-loop.h5 (found by `pnpm fuzz`) makes
 * HDF5 walk a global heap forever when it reads the `layer_names` of `model_weights`. The loaders
 * refuse that file before HDF5 sees it (hdf5-sandbox.ts' global heap check, tested in limits.test.ts); here it
 * is opened in the worker directly, past that check, to let HDF5 loop.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTsBackend } from '@keras-ts/backend-ts';
import { beforeAll, describe, expect, test } from 'vitest';
import { DEFAULT_LIMITS, setBackend, type Limits } from '../../src/index.js';
import { KerasLimitError } from '../../src/errors.js';
import { openRemote, RemoteGroup } from '../../src/saving/hdf5-worker.js';
import { getGroup, readStringListAttr, type H5File } from '../../src/saving/hdf5-sandbox.js';
import { loadModel, loadWeights } from '../../src/saving/index.js';
import { FILES } from './corpus.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const LOOP = new Uint8Array(readFileSync(join(HERE, 'fixtures', 'hdf5-attribute-loop.h5')));

beforeAll(() => setBackend(createTsBackend()));

const limits = (maxHdf5Ms: number): Limits => ({ ...DEFAULT_LIMITS, maxHdf5Ms });

describe('HDF5 reads bounded in time', () => {
  test('a file on which HDF5 loops forever is stopped at maxHdf5Ms with a KerasLimitError naming the limit', async () => {
    const session = await openRemote(LOOP, 'loop.h5', limits(1500), '/keras-ts-h5', '/tmp/tmpfile_', () => {});
    expect(session).not.toBeNull();
    const f = new RemoteGroup(session!, '/') as unknown as H5File;
    const t0 = performance.now();
    let err: unknown;
    try {
      readStringListAttr(getGroup(f, 'model_weights')!, 'layer_names');
    } catch (e) {
      err = e;
    }
    const ms = performance.now() - t0;
    session!.close();
    expect(err).toBeInstanceOf(KerasLimitError);
    const e = err as KerasLimitError;
    expect(e.limit).toBe('maxHdf5Ms');
    expect(e.max).toBe(1500);
    expect(e.message).toMatch(/^loop\.h5: reading it with HDF5 took more than 1,500 ms and was stopped \(a corrupt or hostile file can make HDF5 loop forever\), over the limit maxHdf5Ms = 1,500; .*loadModel\(path, \{ limits: \{ maxHdf5Ms: \d+ \} \}\).*--limit hdf5-ms=\d+/);
    // Stopped at the limit (less what opening the file took), not before, and not much after.
    expect(ms).toBeGreaterThanOrEqual(1000);
    expect(ms).toBeLessThan(10_000);
    // The stopped worker is replaced: real files load after it.
    const model = await loadModel(join(FILES, 'mlp_adam_cce.h5'));
    await loadWeights(model, join(FILES, 'mlp_adam_cce.h5'));
  });

  test('the limit is per load (loadModel options); Infinity reads on this thread', async () => {
    // A real file takes far less than the default.
    await loadModel(join(FILES, 'mobilenet_v2_035_96.h5'));
    const err = await loadModel(join(FILES, 'mobilenet_v2_035_96.h5'), { limits: { maxHdf5Ms: 1 } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(KerasLimitError);
    expect((err as KerasLimitError).limit).toBe('maxHdf5Ms');
    // Infinity: read on this thread, unbounded (as in a browser).
    await loadModel(join(FILES, 'mobilenet_v2_035_96.h5'), { limits: { maxHdf5Ms: Infinity } });
  });
});

test('a file read in the worker gives the same weights as read on this thread', async () => {
  const file = join(FILES, 'cnn_sgd_scce.h5');
  const a = await loadModel(file);
  const b = await loadModel(file, { limits: { maxHdf5Ms: Infinity } });
  const wa = a.getWeights();
  const wb = b.getWeights();
  expect(wa.length).toBe(wb.length);
  wa.forEach((w, i) => expect(Array.from(w.data)).toEqual(Array.from(wb[i].data)));
});
