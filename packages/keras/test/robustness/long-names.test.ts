/**
 * Unknown names from a file are answered with the nearest known name ("did you mean ...?"),
 * measured by edit distance, which costs the product of the two lengths: a 100,000-character metric
 * name or optimizer argument in a `.keras` file took 5 to 8 s (found by `pnpm fuzz --seed 21`,
 * 'files: archive contents', slowest case 22 s). Names whose lengths differ by more than a
 * suggestion allows are no longer measured.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createTsBackend } from '@keras-ts/backend-ts';
import { strToU8, zipSync } from 'fflate';
import { beforeAll, describe, expect, test } from 'vitest';
import { setBackend } from '../../src/index.js';
import { nearestKey } from '../../src/arguments/strict-args.js';
import { loadModel } from '../../src/saving/index.js';
import { readZipEntries } from '../../src/saving/zip-reader.js';
import { FILES } from './corpus.js';

const LONG = 'x'.repeat(100_000);
/** Far below the seconds the suggestions took; room for a loaded machine. */
const FAST_MS = 1500;

beforeAll(() => setBackend(createTsBackend()));

/** The real mlp_adam_cce.keras with its config.json edited by `edit`, as bytes. */
function archive(edit: (config: { compile_config: { metrics: unknown[]; optimizer: { config: Record<string, unknown> } } }) => void): Uint8Array {
  const file = join(FILES, 'mlp_adam_cce.keras');
  const entries = readZipEntries(new Uint8Array(readFileSync(file)), file, ['config.json', 'metadata.json', 'model.weights.h5']).entries;
  const config = JSON.parse(new TextDecoder().decode(entries['config.json']));
  edit(config);
  return zipSync({ 'metadata.json': entries['metadata.json'], 'config.json': strToU8(JSON.stringify(config)), 'model.weights.h5': entries['model.weights.h5'] }, { level: 0 });
}

describe('unknown names of 100,000 characters', () => {
  const cases: [string, Uint8Array][] = [
    ['a metric name', archive((c) => (c.compile_config.metrics = [LONG]))],
    ['an optimizer argument', archive((c) => (c.compile_config.optimizer.config[LONG] = 1))],
  ];
  for (const [what, bytes] of cases) {
    test(`${what} in a .keras file is refused in milliseconds, with a clear message`, async () => {
      const t0 = performance.now();
      const err = await loadModel(bytes).catch((e: Error) => e);
      expect(performance.now() - t0).toBeLessThan(FAST_MS);
      expect((err as Error).message).toMatch(/compiling it from the saved training configuration failed/);
    });
  }

  test('suggestions are unchanged: near names are still found, far ones not measured', () => {
    expect(nearestKey('lerning_rate', ['learningRate', 'beta1'])).toBe('learningRate');
    expect(nearestKey('epoch', ['epochs', 'batchSize'])).toBe('epochs');
    expect(nearestKey(LONG, ['epochs', 'batchSize'])).toBeUndefined();
  });
});
