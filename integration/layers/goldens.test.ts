/**
 * The layer harness's own goldens (goldens/keras-3.15.1-tensorflow/) are what real Keras computes:
 * goldens/make_goldens.py, run again here with the oracle's Keras, writes the same cases (the same
 * configs, inputs and weights, and outputs equal within each case's tolerance). Needs the
 * oracle's venv (`pnpm oracle:setup`, or KERAS_TS_PYTHON); skipped with the reason without it,
 * required when KERAS_TS_REQUIRE_ORACLE=1 (CI).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';

const HERE = dirname(fileURLToPath(import.meta.url));
const VENDORED = join(HERE, 'goldens', 'keras-3.15.1-tensorflow');
const PYTHON = process.env.KERAS_TS_PYTHON ?? join(HERE, '../../.venv/bin/python');
const ENV = { ...process.env, KERAS_BACKEND: 'tensorflow', TF_CPP_MIN_LOG_LEVEL: '3' };

function unavailable(): string | null {
  if (!existsSync(PYTHON)) return `needs the oracle's Python with Keras: ${PYTHON} does not exist (run \`pnpm oracle:setup\`, or set KERAS_TS_PYTHON)`;
  const r = spawnSync(PYTHON, ['-c', 'import keras, tensorflow'], { encoding: 'utf8', env: ENV });
  return r.status === 0 ? null : `needs Keras and TensorFlow in ${PYTHON}: ${(r.stderr || r.error?.message || '').trim().split('\n').at(-1)}`;
}
const why = unavailable();
if (why && process.env.KERAS_TS_REQUIRE_ORACLE === '1') throw new Error(why);

type Json = Record<string, unknown>;
interface GoldenTensor {
  shape: number[];
  data: (number | string | boolean)[];
}

function* jsonFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* jsonFiles(p);
    else if (name.endsWith('.json')) yield p;
  }
}

/** Where two cases differ: configs and shapes exactly, values within the vendored tolerance. */
function differences(rel: string, vendored: Json, made: Json): string[] {
  const out: string[] = [];
  if (JSON.stringify(made.layer) !== JSON.stringify(vendored.layer)) out.push(`${rel}: the layer config differs`);
  const tol = vendored.tolerance as { rtol: number; atol: number };
  for (const field of ['inputs', 'weights', 'outputs'] as const) {
    const want = vendored[field] as GoldenTensor[];
    const got = made[field] as GoldenTensor[];
    if (got.length !== want.length) {
      out.push(`${rel}: ${got.length} ${field}, vendored ${want.length}`);
      continue;
    }
    want.forEach((w, i) => {
      if (JSON.stringify(got[i].shape) !== JSON.stringify(w.shape)) out.push(`${rel}: ${field}[${i}] has shape [${got[i].shape}], vendored [${w.shape}]`);
      const k = w.data.findIndex((v, j) => !(Math.abs(Number(got[i].data[j]) - Number(v)) <= tol.atol + tol.rtol * Math.abs(Number(v))));
      if (k >= 0) out.push(`${rel}: ${field}[${i}][${k}] is ${got[i].data[k]} with Keras here, vendored ${w.data[k]}`);
    });
  }
  return out;
}

describe.skipIf(why !== null)(`the layer harness's goldens are real Keras' numbers${why ? ` (skipped: ${why})` : ''}`, () => {
  const out = mkdtempSync(join(tmpdir(), 'keras-ts-harness-goldens-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test('make_goldens.py writes them again, equal within each case tolerance', () => {
    const r = spawnSync(PYTHON, [join(HERE, 'goldens', 'make_goldens.py'), '--out', out], { encoding: 'utf8', env: ENV, timeout: 300_000 });
    expect(r.status, r.stderr.slice(-3000)).toBe(0);
    const vendored = [...jsonFiles(VENDORED)].map((f) => relative(VENDORED, f));
    const made = [...jsonFiles(out)].map((f) => relative(out, f));
    expect(made).toEqual(vendored);
    const problems = vendored.flatMap((rel) => differences(rel, JSON.parse(readFileSync(join(VENDORED, rel), 'utf8')) as Json, JSON.parse(readFileSync(join(out, rel), 'utf8')) as Json));
    expect(problems).toEqual([]);
  }, 300_000);
});
