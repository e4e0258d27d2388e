/**
 * The goldens can be remade here, with the local Keras (3.15 on TensorFlow, the oracle's venv):
 * - conformance/generator/replay_goldens.py recomputes every vendored activation, loss, layer and
 *   model case from its own config, weights and inputs, and every number agrees with the vendored
 *   ones (made by Keras 3.16 on PyTorch) within the case's own tolerance;
 * - conformance/generator/generate_goldens.py makes a subset of cases anew (its data generator is
 *   not the one the vendored cases were drawn with, so their inputs differ), and keras-ts passes
 *   every one of them.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, test } from 'vitest';
import { createTsBackend } from '@keras-ts/backend-ts';
import { runConformance } from '../src/index.js';
import { oraclePython, oracleUnavailable } from '../oracle/client.js';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const VENDORED = join(ROOT, 'goldens', 'keras-3.16.0-torch');
/** A subset across kinds, a few seconds to regenerate. */
const SUBSET = ['activations', 'losses', 'layers/Dense', 'layers/Conv2D', 'layers/LSTM', 'layers/BatchNormalization', 'optimizers/Adam', 'metrics/AUC', 'models/residual_cnn', 'training/mlp_adam_cce'];

const unavailable = oracleUnavailable();
if (unavailable && process.env.KERAS_TS_REQUIRE_ORACLE === '1') throw new Error(unavailable);

type Json = Record<string, unknown>;
const isTensor = (v: unknown): v is { shape: number[]; data: number[] } => !!v && typeof v === 'object' && Array.isArray((v as Json).shape) && Array.isArray((v as Json).data);

/** Every tensor of a case with its path (`outputs[0]`, `history.loss`...), and every numeric list. */
function numbers(v: unknown, path: string, out: Map<string, number[]>): void {
  if (isTensor(v)) out.set(path, v.data.map(Number));
  else if (Array.isArray(v) && v.length && v.every((x) => typeof x === 'number')) out.set(path, v as number[]);
  else if (Array.isArray(v)) v.forEach((x, i) => numbers(x, `${path}[${i}]`, out));
  else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v as Json)) if (!['model', 'layer', 'config', 'compile', 'fit', 'tolerance', 'files'].includes(k)) numbers(x, path ? `${path}.${k}` : k, out);
}

function* jsonFiles(dir: string): Generator<string> {
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) yield* jsonFiles(p);
    else if (name.endsWith('.json')) yield p;
  }
}

describe.skipIf(unavailable !== null)(`the generator regenerates goldens that agree${unavailable ? ` (skipped: ${unavailable})` : ''}`, () => {
  const out = mkdtempSync(join(tmpdir(), 'keras-ts-regen-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  test('replayed with the local Keras, every activation, loss, layer and model golden agrees within its tolerance', () => {
    const replay = join(out, 'replay');
    const r = spawnSync(oraclePython(), [join(ROOT, 'generator', 'replay_goldens.py'), '--goldens', VENDORED, '--out', replay], {
      encoding: 'utf8',
      env: { ...process.env, KERAS_BACKEND: 'tensorflow', TF_CPP_MIN_LOG_LEVEL: '3' },
      timeout: 300_000,
    });
    expect(r.status, r.stderr.slice(-3000)).toBe(0);
    const replayed = [...jsonFiles(replay)];
    expect(replayed.length).toBeGreaterThan(150);
    const problems: string[] = [];
    for (const file of replayed) {
      const rel = relative(replay, file);
      const theirs = JSON.parse(readFileSync(file, 'utf8')) as Json;
      const vendored = JSON.parse(readFileSync(join(VENDORED, rel), 'utf8')) as Json;
      const tol = vendored.tolerance as { rtol: number; atol: number };
      const a = new Map<string, number[]>();
      const b = new Map<string, number[]>();
      numbers(vendored, '', a);
      numbers(theirs, '', b);
      for (const [path, want] of a) {
        const got = b.get(path)!;
        if (got.length !== want.length) problems.push(`${rel}: ${path} has ${got.length} values, vendored ${want.length}`);
        else {
          const k = want.findIndex((w, i) => !(Math.abs(got[i] - w) <= tol.atol + tol.rtol * Math.abs(w)) && !(Number.isNaN(w) && Number.isNaN(got[i])));
          if (k >= 0) problems.push(`${rel}: ${path}[${k}] is ${got[k]} with Keras here, vendored ${want[k]} (atol ${tol.atol}, rtol ${tol.rtol})`);
        }
      }
    }
    expect(problems).toEqual([]);
  }, 320_000);

  test(`generate_goldens.py makes new cases (${SUBSET.join(', ')}) and keras-ts passes them all`, async () => {
    const fresh = join(out, 'fresh');
    const r = spawnSync(oraclePython(), [join(ROOT, 'generator', 'generate_goldens.py'), '--out', fresh, ...SUBSET.flatMap((s) => ['--only', s])], {
      encoding: 'utf8',
      env: { ...process.env, KERAS_BACKEND: 'tensorflow', TF_CPP_MIN_LOG_LEVEL: '3' },
      timeout: 300_000,
    });
    expect(r.status, r.stderr.slice(-2000)).toBe(0);
    const results = await runConformance(createTsBackend(), { caseDirs: [fresh] });
    expect(results.length).toBeGreaterThan(50);
    expect(results.filter((c) => c.status !== 'pass').map((c) => `${c.id}: ${c.status} ${c.reason}`)).toEqual([]);
  }, 320_000);
});
