/**
 * The robustness properties, shared by the test suite (fixed seed, few runs) and
 * `pnpm fuzz` (any seed, many runs). Each property feeds random and mutated configs or files to a
 * loader and requires that it either succeeds or throws an Error with a clear message (see
 * judge.ts), within a time limit, without the process' memory running away.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import fc from 'fast-check';
import { strToU8, zipSync, type Zippable } from 'fflate';
import { createTsBackend } from '@keras-ts/backend-ts';
import { Dense, deserializeLayer, functionalFromConfig, modelFromJSON, Sequential, setBackend, setLimits, type Model, type Tensor } from '../../src/index.js';
import { loadModel, loadWeights, saveModel } from '../../src/saving/index.js';
import { readZipEntries } from '../../src/saving/zip-reader.js';
import { h5 } from '../../src/saving/hdf5-sandbox.js';
import { setMaxConfigWeightBytes } from '../../src/limits/weight-budget.js';
import { ensureBudgetHook } from './budget-shim.js';
import { byteMutationArb, Deep, expand, FILES, GOLDENS, mutate, mutateBytes, mutationArb, seedConfigs, seedFiles, toJsonText, type JsonObject } from './corpus.js';
import { judgeError, signature } from './judge.js';

export interface RunOptions {
  seed: number;
  numRuns: number;
  /** A case taking longer than this fails the property (ms). */
  timeLimitMs?: number;
  /** Called before each case with a description (the fuzz script saves it, in case the process dies). */
  onCase?: (description: string) => void;
  /**
   * Record problems and go on (the fuzz script's survey) instead of failing the property at the
   * first one (fast-check then shrinks it to a small counterexample).
   */
  collect?: boolean;
  /** Stop generating inputs after this long (ms; the survey's time budget); the report counts those run. */
  maxMs?: number;
}

/** What a property run saw: how many inputs, which outcomes, the slowest case. */
export interface PropertyReport {
  name: string;
  runs: number;
  /** Distinct outcomes (message signatures, or 'ok') and how often each occurred. */
  outcomes: Map<string, number>;
  slowestMs: number;
  slowest: string;
  /** In `collect` mode: each distinct problem, how often, and its first input. */
  problems: Map<string, { count: number; example: string }>;
}

export interface Property {
  name: string;
  description: string;
  run(options: RunOptions): Promise<PropertyReport>;
}

/** Memory the process may grow by over a property run before it counts as a leak or blow-up. */
const MEMORY_LIMIT = 1.5 * 2 ** 30;

let prepared = false;

/**
 * Backend, budget hook, a small config weight budget (64 MiB: mutated sizes fail fast) and 10 s
 * of HDF5 per file (a file on which HDF5 loops is stopped with a KerasLimitError, an outcome of the
 * survey, well inside a case's time limit, instead of stalling the run).
 */
export function prepare(): void {
  if (prepared) return;
  prepared = true;
  setBackend(createTsBackend());
  ensureBudgetHook();
  setMaxConfigWeightBytes(64 * 2 ** 20);
  setLimits({ maxHdf5Ms: 10_000 });
}

/** h5wasm compiles its WebAssembly on first use (seconds): done before timing any input. */
async function warmUp(): Promise<void> {
  await h5();
}

function quietly<T>(fn: () => Promise<T>): Promise<T> {
  const warn = console.warn;
  const log = console.log;
  console.warn = () => {};
  console.log = () => {};
  return fn().finally(() => {
    console.warn = warn;
    console.log = log;
  });
}

/** Runs one case and checks the outcome; throws (failing the property) on a problem. */
async function check(report: PropertyReport, label: string, options: RunOptions, body: () => Promise<unknown>): Promise<void> {
  options.onCase?.(label);
  const before = process.memoryUsage().rss;
  const t0 = performance.now();
  let threw = false;
  let error: unknown;
  try {
    await quietly(async () => body());
  } catch (e) {
    threw = true;
    error = e;
  }
  const ms = performance.now() - t0;
  report.runs++;
  if (ms > report.slowestMs) {
    report.slowestMs = ms;
    report.slowest = label;
  }
  const verdict = judgeError(error, threw);
  const key = verdict.problem ? `PROBLEM ${signature(verdict.problem)}` : signature(verdict.summary);
  report.outcomes.set(key, (report.outcomes.get(key) ?? 0) + 1);
  const limit = options.timeLimitMs ?? 20_000;
  const grown = process.memoryUsage().rss - before;
  const problem = verdict.problem ?? (ms > limit ? `took ${ms.toFixed(0)} ms (limit ${limit} ms)` : grown > MEMORY_LIMIT ? `the process grew by ${(grown / 2 ** 20).toFixed(0)} MiB` : null);
  if (!problem) return;
  if (!options.collect) throw new Error(`${label}: ${problem}`, { cause: error });
  const sig = verdict.problem ? signature(problem) : problem.startsWith('took') ? 'too slow' : 'memory growth';
  const seen = report.problems.get(sig);
  if (seen) seen.count++;
  else report.problems.set(sig, { count: 1, example: `${label}: ${problem}`.slice(0, 2000) });
}

function newReport(name: string): PropertyReport {
  return { name, runs: 0, outcomes: new Map(), slowestMs: 0, slowest: '', problems: new Map() };
}

async function assertProperty<Ts extends unknown[]>(report: PropertyReport, options: RunOptions, prop: fc.IAsyncPropertyWithHooks<Ts> | fc.IAsyncProperty<Ts>): Promise<PropertyReport> {
  await fc.assert(prop, { seed: options.seed, numRuns: options.numRuns, endOnFailure: true, ...(options.maxMs ? { interruptAfterTimeLimit: options.maxMs, markInterruptAsFailure: false } : {}) });
  return report;
}

const describeMutations = (muts: unknown) => JSON.stringify(muts, (_k, v) => (v instanceof Deep ? `<nested ${v.kind} x${v.depth}>` : typeof v === 'string' && v.length > 60 ? `${v.slice(0, 20)}...(${v.length} chars)` : v));

// ---- configs -------------------------------------------------------------------------------

/** Each config entry point: JSON text, objects, the functional and Sequential readers. */
const CONFIG_TARGETS: { name: string; load: (cfg: unknown) => unknown }[] = [
  { name: 'modelFromJSON(text)', load: (cfg) => modelFromJSON(toJsonText(cfg)) },
  { name: 'deserialize(object)', load: (cfg) => deserializeLayer(expand(cfg)) },
  {
    name: 'functionalFromConfig / Sequential.fromConfig',
    load: (cfg) => {
      const c = expand(cfg) as { class_name?: unknown; config?: unknown };
      const config = (c && typeof c === 'object' ? c.config : c) as Record<string, unknown>;
      if (c && typeof c === 'object' && c.class_name === 'Sequential') return Sequential.fromConfig(config);
      return functionalFromConfig(config);
    },
  },
];

export const configProperty: Property = {
  name: 'configs',
  description: 'random mutations of real model configs (deleted keys, wrong types, huge and negative sizes, deep nesting, unknown classes) through modelFromJSON, deserialize, functionalFromConfig and Sequential.fromConfig',
  async run(options) {
    prepare();
    const seeds = seedConfigs();
    const report = newReport(this.name);
    return assertProperty(
      report,
      options,
      fc.asyncProperty(fc.nat(seeds.length - 1), fc.nat(CONFIG_TARGETS.length - 1), fc.array(mutationArb(), { minLength: 1, maxLength: 4 }), async (si, ti, muts) => {
        const cfg = mutate(seeds[si].config, muts);
        const target = CONFIG_TARGETS[ti];
        await check(report, `${target.name} on ${seeds[si].name} with ${describeMutations(muts)}`, options, async () => target.load(cfg));
      }),
    );
  },
};

/** Random JSON (not from a real config) as model JSON: the loaders' outer checks. */
export const randomJsonProperty: Property = {
  name: 'random JSON',
  description: 'arbitrary JSON values and texts given to modelFromJSON and deserialize',
  async run(options) {
    prepare();
    const report = newReport(this.name);
    const json = fc.oneof(
      fc.jsonValue({ maxDepth: 6 }),
      fc.record({ class_name: fc.constantFrom('Sequential', 'Functional', 'Model', 'Dense', 'InputLayer', 'Lambda'), config: fc.jsonValue({ maxDepth: 5 }) }),
      fc.string({ maxLength: 200 }),
    );
    return assertProperty(
      report,
      options,
      fc.asyncProperty(json, fc.boolean(), async (v, asText) => {
        await check(report, `${asText ? 'modelFromJSON' : 'deserialize'} on ${JSON.stringify(v).slice(0, 200)}`, options, async () =>
          asText ? modelFromJSON(typeof v === 'string' ? v : JSON.stringify(v)) : deserializeLayer(v),
        );
      }),
    );
  },
};

// ---- files ---------------------------------------------------------------------------------

let workDir: string | null = null;
function tempDir(): string {
  workDir ??= mkdtempSync(join(tmpdir(), 'keras-ts-robustness-'));
  return workDir;
}

/** Removes the temporary folder the file properties wrote in (nothing is left behind). */
export function cleanUp(): void {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
  workDir = null;
}

let counter = 0;
function writeTemp(name: string, bytes: Uint8Array | string): string {
  const file = join(tempDir(), `${counter++}-${name}`);
  writeFileSync(file, bytes);
  return file;
}

const caseCache = new Map<string, JsonObject>();
/** The training case a real file belongs to (for a model of the right architecture). */
function caseFor(file: string): JsonObject {
  const id = basename(file).replace(/\.(weights\.h5|h5|keras)$/, '');
  let c = caseCache.get(id);
  if (!c) {
    c = JSON.parse(readFileSync(join(GOLDENS, 'training', `${id}.json`), 'utf8')) as JsonObject;
    caseCache.set(id, c);
  }
  return c;
}

const freshModel = (file: string) => deserializeLayer(caseFor(file).model) as Model;

export const fileBytesProperty: Property = {
  name: 'files: bytes',
  description: 'real .keras, .h5 and .weights.h5 files truncated, bit-flipped, overwritten and spliced, through loadModel and loadWeights',
  async run(options) {
    prepare();
    await warmUp();
    const files = seedFiles();
    const bytes = files.map((f) => new Uint8Array(readFileSync(f)));
    const report = newReport(this.name);
    return assertProperty(
      report,
      options,
      fc.asyncProperty(fc.nat(files.length - 1), fc.array(byteMutationArb(), { minLength: 1, maxLength: 3 }), fc.boolean(), async (fi, muts, asWeights) => {
        const src = files[fi];
        const file = writeTemp(basename(src), mutateBytes(bytes[fi], muts));
        const how = asWeights || src.endsWith('.weights.h5') ? 'loadWeights' : 'loadModel';
        try {
          await check(report, `${how} on ${basename(src)} with ${JSON.stringify(muts).slice(0, 300)}`, options, async () =>
            how === 'loadWeights' ? loadWeights(freshModel(src), file) : loadModel(file),
          );
        } finally {
          rmSync(file, { force: true });
        }
      }),
    );
  },
};

/** `.keras` archives rebuilt with a mutated config.json and/or mutated model.weights.h5 (valid zip). */
export const archiveProperty: Property = {
  name: 'files: archive contents',
  description: '.keras archives, correctly zipped, whose config.json is mutated (as the configs property) and whose model.weights.h5 bytes are mutated',
  async run(options) {
    prepare();
    await warmUp();
    const files = seedFiles().filter((f) => f.endsWith('.keras'));
    const archives = files.map((f) => {
      const bytes = new Uint8Array(readFileSync(f));
      return readZipEntries(bytes, f, ['config.json', 'metadata.json', 'model.weights.h5']).entries;
    });
    const report = newReport(this.name);
    return assertProperty(
      report,
      options,
      fc.asyncProperty(
        fc.nat(files.length - 1),
        fc.option(fc.array(mutationArb(), { minLength: 1, maxLength: 3 }), { nil: null }),
        fc.option(fc.array(byteMutationArb(), { minLength: 1, maxLength: 2 }), { nil: null }),
        fc.boolean(),
        async (fi, configMuts, weightMuts, deflate) => {
          const entries = archives[fi];
          const config = JSON.parse(new TextDecoder().decode(entries['config.json'])) as JsonObject;
          const zippable: Zippable = {
            'metadata.json': entries['metadata.json'],
            'config.json': strToU8(configMuts ? toJsonText(mutate(config, configMuts)) : JSON.stringify(config)),
            'model.weights.h5': weightMuts ? mutateBytes(entries['model.weights.h5'], weightMuts) : entries['model.weights.h5'],
          };
          const file = writeTemp(basename(files[fi]), zipSync(zippable, { level: deflate ? 6 : 0 }));
          try {
            await check(report, `loadModel on ${basename(files[fi])} with config ${describeMutations(configMuts)}, weights ${JSON.stringify(weightMuts)}`, options, () => loadModel(file));
          } finally {
            rmSync(file, { force: true });
          }
        },
      ),
    );
  },
};

/** A saved TF.js model (model.json + shard) whose manifest and topology are mutated, and whose shard is cut. */
export const tfjsProperty: Property = {
  name: 'files: TF.js manifests',
  description: 'a TF.js model.json whose manifest (shapes, dtypes, paths, quantization) and topology are mutated, with the shard intact or truncated, through loadModel and loadWeights',
  async run(options) {
    prepare();
    await warmUp();
    const dir = mkdtempSync(join(tempDir(), 'tfjs-'));
    const model = new Sequential({ layers: [new Dense({ units: 8, inputShape: [4], activation: 'relu', name: 'd1' }), new Dense({ units: 3, name: 'd2' })] });
    const file = join(dir, 'model.json');
    await saveModel(model, file);
    const original = JSON.parse(readFileSync(file, 'utf8')) as JsonObject;
    const shard = join(dir, (original.weightsManifest as { paths: string[] }[])[0].paths[0]);
    const shardBytes = readFileSync(shard);
    const report = newReport(this.name);
    return assertProperty(
      report,
      options,
      fc.asyncProperty(fc.array(mutationArb(), { minLength: 1, maxLength: 3 }), fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: null }), fc.boolean(), async (muts, cut, weightsOnly) => {
        writeFileSync(file, toJsonText(mutate(original, muts)));
        writeFileSync(shard, cut === null ? shardBytes : shardBytes.subarray(0, Math.floor(cut * shardBytes.length)));
        await check(report, `${weightsOnly ? 'loadWeights' : 'loadModel'} on model.json with ${describeMutations(muts)}, shard cut at ${cut}`, options, () =>
          weightsOnly ? loadWeights(model, file) : loadModel(file),
        );
      }),
    );
  },
};

// ---- input JSON (the CLI's predict --input) ------------------------------------------------

/**
 * What the input JSON property runs: the CLI's `parseInputTensors` and `matchInputs`, handed in by
 * the caller (`pnpm fuzz`), since keras' own tests may not import the CLI (integration/test-imports).
 */
export interface InputJsonParsers<T> {
  parseInputTensors(text: string, file: string): T;
  matchInputs(model: Model, given: T, file: string): Tensor[];
}

/** Keys an attacker tries as dtypes and values: prototype keys, wrong types, out-of-range numbers. */
const hostileValues = fc.constantFrom<unknown>('__proto__', 'constructor', 'toString', 'hasOwnProperty', 'float64', 'int64', 'bool', 'uint8', 'NaN', '-Infinity', 2 ** 31, -(2 ** 31) - 1, 2 ** 40, 2 ** 53 + 2, -0, 1e308, 0.5, null, true, [], {}, [[1]], { valueOf: 1 });

export const inputJsonProperty = <T>({ parseInputTensors, matchInputs }: InputJsonParsers<T>): Property => ({
  name: 'input JSON',
  description: "the CLI's predict inputs (real tensors with dtypes, shapes and values mutated, prototype keys, random JSON) through parseInputTensors, matchInputs and predict",
  async run(options) {
    prepare();
    const c = caseFor('mlp_adam_cce.keras');
    const model = deserializeLayer(c.model) as Model;
    const x = c.x as JsonObject;
    const report = newReport(this.name);
    const keyArb = fc.constantFrom('shape', 'dtype', 'data', '__proto__', 'constructor');
    const edit = fc.oneof(
      fc.record({ key: keyArb, value: fc.oneof(hostileValues, fc.jsonValue({ maxDepth: 3 })) }),
      fc.record({ key: fc.constant('data'), index: fc.nat(200), value: fc.oneof(hostileValues, fc.jsonValue({ maxDepth: 2 })) }),
      fc.record({ key: fc.constant('shape'), index: fc.nat(3), value: fc.oneof(hostileValues, fc.integer({ min: -3, max: 2 ** 31 })) }),
    );
    const shapes = fc.constantFrom('one', 'list', 'named', 'random');
    return assertProperty(
      report,
      options,
      fc.asyncProperty(fc.array(edit, { minLength: 1, maxLength: 4 }), shapes, fc.jsonValue({ maxDepth: 4 }), async (edits, form, random) => {
        const t = structuredClone(x) as Record<string, unknown>;
        for (const e of edits as { key: string; index?: number; value: unknown }[]) {
          // A copy: editing fast-check's own values in place could make them cyclic.
          const value = structuredClone(e.value);
          const target = t[e.key];
          if (e.index !== undefined && Array.isArray(target)) target[e.index % Math.max(1, target.length)] = value;
          else Object.defineProperty(t, e.key, { value, enumerable: true, configurable: true, writable: true });
        }
        const doc = form === 'one' ? t : form === 'list' ? [t] : form === 'named' ? { [String(model.inputNames[0])]: t } : random;
        const text = JSON.stringify(doc) ?? 'null';
        await check(report, `predict --input ${text.slice(0, 300)}`, options, async () => {
          const given = parseInputTensors(text, 'x.json');
          return model.predict(matchInputs(model, given, 'x.json')[0]);
        });
      }),
    );
  },
});

/** The properties of keras' loaders (the input JSON one, which needs the CLI, is made by `pnpm fuzz`). */
export const PROPERTIES: readonly Property[] = [configProperty, randomJsonProperty, fileBytesProperty, archiveProperty, tfjsProperty];

/** The real files' directory, for tests that build targeted corruptions. */
export { FILES };
