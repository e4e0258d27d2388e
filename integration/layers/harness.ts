/**
 * The shared layer harness (after Keras' `run_layer_test`), run on every backend of
 * ../backends.ts: for each case, the config round-trip (equal as JSON, through the registry),
 * weight count and shapes, output shapes, one training step that lowers the loss, and the
 * forward values of the case's class against Keras' own numbers (golden cases, run through the
 * conformance runner). Skipped, with the reason: a backend that cannot run here, a case a
 * backend cannot run (the case's `skip`), what a backend's capabilities exclude (training,
 * a dtype), and a golden on the backend's conformance skip list.
 *
 * The case tables are in cases/ (one file per layer family); coverage.test.ts checks that every
 * class registered for deserialization as a layer has a case.
 */
import { readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { caseProblem, loadBackendSkipList, runCase, type GoldenCase, type SkipEntry } from '@keras-ts/conformance';
import { Dense, Input, Layer, Model, SGD, Tensor, deserializeLayer, serialize, setBackend, type KerasTensor, type SymbolicShape } from '@keras-ts/keras';
import type { Backend } from '@keras-ts/spec';
import { afterAll, describe, expect, it } from 'vitest';
import { BACKENDS, loadBackends, type BackendKey } from '../backends.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '../..');

/**
 * Where golden cases are looked up by id: the vendored Keras 3.16 goldens of the conformance
 * suite, and the ones made for this harness by goldens/make_goldens.py (real Keras 3.15 on
 * TensorFlow, in the oracle's venv).
 */
export const GOLDEN_DIRS: readonly string[] = [join(ROOT, 'conformance/goldens/keras-3.16.0-torch'), join(HERE, 'goldens/keras-3.15.1-tensorflow')];
const SKIP_DIR = join(ROOT, 'conformance/skips');

/** A layer that builds, trains and runs. */
export interface LayerCase {
  /** Makes the layer under test (a fresh one each call). */
  make: () => Layer;
  /** Input shape(s) without the batch axis; several for layers called on a list. */
  inputShape: readonly number[] | readonly (readonly number[])[];
  /** Expected output shape(s) without the batch axis. */
  outputShape: readonly number[] | readonly (readonly number[])[];
  /** Expected weight shapes, in `weights` order. */
  weightShapes: readonly (readonly number[])[];
  /** Input dtype (int32 for Embedding); int inputs get values in [0, intRange). */
  inputDtype?: 'float32' | 'int32';
  intRange?: number;
  /** Skip the training step, with the reason (say, the layer's output has no gradient). */
  noTraining?: string;
  batch?: number;
  /**
   * Keras' numbers for this case's class: ids of golden cases (in GOLDEN_DIRS) run on each
   * backend through the conformance runner.
   */
  keras?: readonly string[];
  /** Registered class names the case covers that its config does not name (a Keras 1 name that loads as a Keras 2 class). */
  covers?: readonly string[];
  /** Backends that do not run this case, each with the reason. */
  skip?: Partial<Record<BackendKey, string>>;
}

/**
 * A Keras 1 layer that Keras 2 removed: loading its config fails with an error that names it and
 * says what to use instead (real Keras 2 has no such class either, so there are no numbers).
 */
export interface RemovedLayerCase {
  removed: { class_name: string; config: Record<string, unknown> };
  /** What the error must say. */
  error: RegExp;
}

export type HarnessCase = LayerCase | RemovedLayerCase;

const isRemoved = (c: HarnessCase): c is RemovedLayerCase => 'removed' in c;
const isList = (s: LayerCase['inputShape']): s is readonly (readonly number[])[] => Array.isArray(s[0]);

/** The registered layer class names a case exercises: those in its config (nested layers too) and `covers`. */
export function coveredClasses(c: HarnessCase): string[] {
  if (isRemoved(c)) return [c.removed.class_name];
  const names: string[] = [...(c.covers ?? [])];
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o.class_name === 'string') names.push(o.class_name);
      Object.values(o).forEach(walk);
    }
  };
  walk(serialize(c.make()));
  return names;
}

function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function randomTensor(shape: readonly number[], rand: () => number, dtype: 'float32' | 'int32' = 'float32', intRange = 4): Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  if (dtype === 'int32') return new Tensor(shape, 'int32', Int32Array.from({ length: n }, () => Math.floor(rand() * intRange)));
  return new Tensor(shape, 'float32', Float32Array.from({ length: n }, () => rand() * 2 - 1));
}

/** Config round-trip equal as JSON (through the registry), weight count and shapes, output shapes. */
export function checkLayer(spec: LayerCase): void {
  // 1. Config round-trip, through the registry as a loader would.
  const layer = spec.make();
  const wire = serialize(layer);
  const again = deserializeLayer(JSON.parse(JSON.stringify(wire)));
  expect(JSON.stringify(serialize(again)), 'config round-trip').toBe(JSON.stringify(wire));

  // 2. Shapes and weights, on placeholders.
  const shapes = isList(spec.inputShape) ? spec.inputShape : [spec.inputShape];
  const dtype = spec.inputDtype ?? 'float32';
  const inputs = shapes.map((s) => Input({ shape: [...s], dtype }));
  const out = layer.apply(isList(spec.inputShape) ? inputs : inputs[0]);
  const outs = Array.isArray(out) ? out : [out];
  const wantOut = (isList(spec.outputShape) ? spec.outputShape : [spec.outputShape]).map((s) => [null, ...s] as SymbolicShape);
  expect(outs.map((o) => o.shape), 'output shape').toEqual(wantOut);
  expect(layer.weights.map((w) => [...w.shape]), 'weight shapes').toEqual(spec.weightShapes.map((s) => [...s]));
}

/**
 * Three SGD steps lower the loss, through a trainable projection in front of the layer (so that
 * gradients flow through it) on the backend set.
 */
export async function checkTraining(spec: LayerCase): Promise<void> {
  const shapes = isList(spec.inputShape) ? spec.inputShape : [spec.inputShape];
  const dtype = spec.inputDtype ?? 'float32';
  const rand = seeded(7);
  const batch = spec.batch ?? 3;
  const fresh = spec.make();
  const ins = shapes.map((s) => Input({ shape: [...s], dtype }));
  const projected = ins.map((x, i) => (dtype === 'float32' ? (new Dense({ units: shapes[i].at(-1)!, name: `proj_${i}_${fresh.name}` }).apply(x)) : x));
  const y = fresh.apply(isList(spec.inputShape) ? projected : projected[0]);
  const ys = (Array.isArray(y) ? y : [y]).filter((t) => t.dtype === 'float32');
  const model = new Model({ inputs: ins, outputs: ys });
  model.compile({ optimizer: new SGD({ learningRate: 0.05 }), loss: 'mse' });
  const xs = shapes.map((s) => randomTensor([batch, ...s], rand, dtype, spec.intRange));
  const targets = ys.map((t) => randomTensor([batch, ...(t.shape.slice(1) as number[])], rand));
  const before = await model.evaluate(xs, targets, { batchSize: batch, verbose: 0 });
  for (let i = 0; i < 3; i++) await model.trainOnBatch(xs, targets);
  const after = await model.evaluate(xs, targets, { batchSize: batch, verbose: 0 });
  const lossOf = (v: number | number[]) => (Array.isArray(v) ? v[0] : v);
  expect(lossOf(after), `loss after 3 SGD steps (${lossOf(after)}) should be below the loss before (${lossOf(before)})`).toBeLessThan(lossOf(before));
}

/** A golden case by id, from the first of GOLDEN_DIRS that has it. */
export function goldenCase(id: string): { root: string; file: string; golden: GoldenCase } {
  for (const root of GOLDEN_DIRS) {
    const file = join(root, `${id}.json`);
    if (!existsSync(file)) continue;
    const golden = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    const problem = caseProblem(golden);
    if (problem) throw new Error(`${file}: ${problem}`);
    if ((golden as GoldenCase).id !== id) throw new Error(`${file} holds the case '${(golden as GoldenCase).id}', not '${id}'`);
    return { root, file, golden: golden as GoldenCase };
  }
  throw new Error(`no golden case '${id}' in ${GOLDEN_DIRS.join(', ')}`);
}

/**
 * Declares the harness for `cases` on every backend: a describe block per backend, a test per
 * case (and one per golden it names).
 */
export async function describeLayerHarness(title: string, cases: Readonly<Record<string, HarnessCase>>): Promise<void> {
  const ready = await loadBackends();
  const skipLists = new Map<BackendKey, readonly SkipEntry[]>();
  for (const c of BACKENDS) skipLists.set(c.key, (await loadBackendSkipList(SKIP_DIR, c.key))?.entries ?? []);
  afterAll(() => {
    for (const c of BACKENDS) {
      const r = ready.get(c.name);
      if (r && 'backend' in r) c.dispose?.(r.backend);
    }
  });

  describe(title, () => {
    for (const c of BACKENDS) {
      describe(c.name, () => {
        const r = ready.get(c.name)!;
        const backendOf = (ctx: { skip(reason: string): never }, spec: HarnessCase): Backend => {
          if ('reason' in r) ctx.skip(r.reason);
          const reason = isRemoved(spec) ? undefined : spec.skip?.[c.key];
          if (reason) ctx.skip(reason);
          const b = (r as { backend: Backend }).backend;
          setBackend(b);
          return b;
        };
        const needsDtype = (ctx: { skip(reason: string): never }, backend: Backend, spec: LayerCase) => {
          const dtype = spec.inputDtype ?? 'float32';
          if (!backend.capabilities.dtypes.includes(dtype)) ctx.skip(`${c.name} takes no ${dtype} tensors (capabilities.dtypes: ${backend.capabilities.dtypes.join(', ')})`);
        };
        for (const [name, spec] of Object.entries(cases)) {
          if (isRemoved(spec)) {
            it(`${name}: a removed Keras 1 layer, its config fails to load saying what to use`, (ctx) => {
              backendOf(ctx, spec);
              expect(() => deserializeLayer(spec.removed)).toThrow(spec.error);
            });
            continue;
          }
          it(`${name}: config round trip, weights, output shapes`, (ctx) => {
            needsDtype(ctx, backendOf(ctx, spec), spec);
            checkLayer(spec);
          });
          it(`${name}: a training step lowers the loss`, async (ctx) => {
            const backend = backendOf(ctx, spec);
            if (spec.noTraining) ctx.skip(spec.noTraining);
            if (!backend.capabilities.training) ctx.skip(`${c.name} does not run training steps (capabilities.training is false)`);
            needsDtype(ctx, backend, spec);
            await checkTraining(spec);
          });
          for (const id of spec.keras ?? []) {
            it(`${name}: Keras' numbers (${id})`, async (ctx) => {
              const backend = backendOf(ctx, spec);
              const { root, file, golden } = goldenCase(id);
              const result = await runCase(backend, golden, root, file, skipLists.get(c.key) ?? []);
              if (result.status === 'skip') ctx.skip(`${id}: ${result.reason}`);
              expect(result.status, `${id} on ${c.name}: ${result.reason ?? ''}`).toBe('pass');
            });
          }
        }
      });
    }
  });
}
