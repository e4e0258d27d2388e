/**
 * One fuzz case run both ways: keras-ts predicts (or trains) on each backend, real Keras does the
 * same from the `.keras` file keras-ts wrote, and the two are compared element by element.
 */
import { join } from 'node:path';
import { saveModel, setBackend, Tensor, type CompileArgs, type Model } from '@keras-ts/keras';
import type { Backend } from '@keras-ts/spec';
import { Oracle, OracleError, type OracleTensor } from '../client.js';
import type { LayerSpec } from './layers.js';
import { buildModel, randomInputs, randomWeights, type ModelSpec } from './models.js';
import { Rng } from './rng.js';

export interface Tolerance {
  atol: number;
  rtol: number;
}

/** A backend under test, with the tolerances its outputs and trained weights are held to. */
export interface NamedBackend {
  name: string;
  backend: Backend;
  tol: Tolerance;
  trainTol: Tolerance;
}

/**
 * How keras-ts and Keras differ on a case: `value` and `shape` (outputs or trained weights),
 * `error` (keras-ts threw where Keras ran), `keras-error` (Keras refused the file keras-ts wrote, or
 * failed on it, where keras-ts ran), `save-error` (keras-ts could not write the file).
 */
export interface Finding {
  backend: string;
  phase: 'predict' | 'train';
  kind: 'value' | 'shape' | 'error' | 'keras-error' | 'save-error';
  detail: string;
  /** The largest absolute difference (value findings). */
  maxAbs?: number;
}

/** How a fuzz case trains: optimizer config, batches, epochs; always mse, never shuffled. */
export interface TrainSpec {
  optimizer: LayerSpec;
  batch_size: number;
  epochs: number;
  samples: number;
}

export interface FuzzCase {
  /** `seed:index`. */
  id: string;
  /** Seeds the weights and inputs. */
  seed: number;
  model: ModelSpec;
  train?: TrainSpec;
}

export interface CheckContext {
  oracle: Oracle;
  /** Where the .keras files go. */
  dir: string;
  backends: NamedBackend[];
  /** Counts files written (names stay unique). */
  files: number;
}

/** How long a backend may take for one predict or fit, and Keras for one request, before the case counts as failed. */
const BACKEND_TIMEOUT_MS = 60_000;
const ORACLE_TIMEOUT_MS = 180_000;

/** A backend or the oracle that did not answer in time (withTimeout's failure). */
class TimedOut extends Error {
  override readonly name = 'TimedOut';
}

/** A run that failed, kept as its message: a value compared across backends, never thrown. */
class Failed {
  constructor(readonly message: string) {}
}

/** A promise that fails after `ms` (the original keeps running; a hung backend is reported, not waited for). */
function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new TimedOut(`${what} did not finish within ${ms / 1000} s`)), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/** Asks the oracle; one that does not answer in time is killed and started again. */
export async function askOracle<T>(ctx: CheckContext, cmd: string, args: Record<string, unknown>): Promise<T> {
  const oracle = ctx.oracle;
  try {
    return await withTimeout(oracle.request<T>(cmd, args), ORACLE_TIMEOUT_MS, `Keras (${cmd})`);
  } catch (e) {
    if (e instanceof TimedOut) {
      oracle.kill();
      ctx.oracle = await Oracle.start();
    }
    throw e;
  }
}

export const asOracle = (t: Tensor): OracleTensor => ({ shape: [...t.shape], dtype: t.dtype, data: Array.from(t.data) });
/** A number of the oracle's data: NaN travels as null, infinities as 'inf' / '-inf'. */
const num = (v: unknown): number => (typeof v === 'number' ? v : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : NaN);
export const fromOracle = (t: OracleTensor): Tensor => new Tensor(t.shape, t.dtype === 'int32' ? 'int32' : 'float32', t.dtype === 'int32' ? Int32Array.from(t.data) : Float32Array.from(t.data, num));
/**
 * An error's first line; for Keras' errors also the last line of its trace, where TensorFlow puts
 * the reason behind a 'Graph execution error:'.
 */
const message = (e: unknown): string => {
  const first = (e instanceof Error ? e.message : String(e)).split('\n')[0];
  const trace = e instanceof OracleError ? e.trace : undefined;
  const last = trace
    ?.split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('[['))
    .at(-1);
  return last && !first.includes(last) ? `${first.slice(0, 150)} … ${last.slice(0, 200)}` : first.slice(0, 300);
};
const toList = (v: Tensor | Tensor[]) => (Array.isArray(v) ? v : [v]);

/** The worst element of `ours` against `theirs` within a tolerance, as a finding kind and detail; null when they agree. */
export function compareTensors(label: string, ours: Tensor[], theirs: OracleTensor[], tol: Tolerance): Pick<Finding, 'kind' | 'detail' | 'maxAbs'> | null {
  if (ours.length !== theirs.length) return { kind: 'shape', detail: `${label}: ${ours.length} tensors, Keras has ${theirs.length}` };
  let worst: Pick<Finding, 'kind' | 'detail' | 'maxAbs'> | null = null;
  let worstExcess = 0;
  for (let t = 0; t < ours.length; t++) {
    const a = ours[t];
    const b = theirs[t];
    if (a.shape.join(',') !== b.shape.join(',')) return { kind: 'shape', detail: `${label} ${t}: shape [${a.shape}], Keras [${b.shape}]` };
    for (let i = 0; i < b.data.length; i++) {
      const x = a.data[i];
      const y = num(b.data[i]);
      if (Number.isNaN(x) && Number.isNaN(y)) continue;
      if (x === y) continue;
      const err = Math.abs(x - y);
      const excess = Number.isFinite(err) ? err - (tol.atol + tol.rtol * Math.abs(y)) : Infinity;
      if (excess > 0 || Number.isNaN(excess)) {
        if (!worst || !(excess <= worstExcess)) {
          worstExcess = excess;
          worst = { kind: 'value', detail: `${label} ${t}[${i}]: ${x}, Keras ${y}`, maxAbs: err };
        }
      }
    }
  }
  return worst;
}

/** The model of a case with its seeded weights (on the first backend). */
export function modelOf(c: FuzzCase, ctx: CheckContext): { model: Model; weights: Tensor[] } {
  setBackend(ctx.backends[0].backend);
  const model = buildModel(c.model);
  const weights = randomWeights(model, Rng.mix(c.seed, 1));
  model.setWeights(weights);
  return { model, weights };
}

export interface PredictRun {
  findings: Finding[];
  /** keras-ts refused the model (no comparison made). */
  refused?: string;
  /** Both refused: Keras and every backend failed (agreement). */
  bothFailed?: boolean;
  inputs: Tensor[];
  /** Keras' outputs, when it ran. */
  keras?: OracleTensor[];
  model?: Model;
  weights?: Tensor[];
}

/** Predicts a case on the backends (all, or those named) and in Keras, and compares. */
export async function runPredict(c: FuzzCase, ctx: CheckContext, only?: ReadonlySet<string>): Promise<PredictRun> {
  const inputs = randomInputs(c.model, Rng.mix(c.seed, 2));
  let model: Model;
  let weights: Tensor[];
  try {
    ({ model, weights } = modelOf(c, ctx));
  } catch (e) {
    return { findings: [], refused: message(e), inputs };
  }
  const file = join(ctx.dir, `case-${ctx.files++ % 64}.keras`);
  try {
    await saveModel(model, file);
  } catch (e) {
    return { findings: [{ backend: 'keras-ts', phase: 'predict', kind: 'save-error', detail: message(e) }], inputs, model, weights };
  }
  const pending = askOracle<{ outputs: OracleTensor[] }>(ctx, 'predict', { file, inputs: inputs.map(asOracle) }).then(
    (r) => r.outputs,
    (e: unknown) => new Failed(message(e)),
  );
  const ours = new Map<string, Tensor[] | Failed>();
  for (const b of ctx.backends) {
    if (only && !only.has(b.name)) continue;
    setBackend(b.backend);
    try {
      ours.set(b.name, toList(await withTimeout(model.predict(inputs.length === 1 ? inputs[0] : inputs), BACKEND_TIMEOUT_MS, `${b.name} predict`)));
    } catch (e) {
      ours.set(b.name, new Failed(message(e)));
    }
  }
  setBackend(ctx.backends[0].backend);
  const keras = await pending;
  const findings: Finding[] = [];
  if (keras instanceof Failed) {
    if ([...ours.values()].every((o) => o instanceof Failed)) return { findings, bothFailed: true, inputs, model, weights };
    findings.push({ backend: 'keras', phase: 'predict', kind: 'keras-error', detail: keras.message });
    return { findings, inputs, model, weights };
  }
  for (const b of ctx.backends) {
    const o = ours.get(b.name);
    if (!o) continue;
    if (o instanceof Failed) findings.push({ backend: b.name, phase: 'predict', kind: 'error', detail: o.message });
    else {
      const d = compareTensors('output', o, keras, b.tol);
      if (d) findings.push({ backend: b.name, phase: 'predict', ...d });
    }
  }
  return { findings, inputs, model, weights, keras };
}

/** Seeded training data for a case: inputs, and targets shaped like the model's output. */
export function trainData(c: FuzzCase, model: Model): { x: Tensor[]; y: Tensor } {
  const t = c.train as TrainSpec;
  const x = randomInputs(c.model, Rng.mix(c.seed, 3), t.samples);
  const shape = [t.samples, ...model.outputs[0].shape.slice(1).map((d) => d ?? 1)];
  const r = new Rng(Rng.mix(c.seed, 4));
  const y = new Tensor(shape, 'float32', Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r.uniform(-1, 1)));
  return { x, y };
}

export interface TrainRun {
  findings: Finding[];
  refused?: string;
  bothFailed?: boolean;
  x: Tensor[];
  y?: Tensor;
  initial?: Tensor[];
  /** Keras' weights after training and its loss per epoch. */
  keras?: { weights: OracleTensor[]; loss: number[] };
}

const compileArgs = (t: TrainSpec): CompileArgs => ({ optimizer: structuredClone(t.optimizer), loss: 'mse' });

/** Trains a case on the backends that train (all, or those named) and in Keras, and compares the weights after. */
export async function runTrain(c: FuzzCase, ctx: CheckContext, only?: ReadonlySet<string>): Promise<TrainRun> {
  const t = c.train as TrainSpec;
  let model: Model;
  let weights: Tensor[];
  try {
    ({ model, weights } = modelOf(c, ctx));
    model.compile(compileArgs(t));
  } catch (e) {
    return { findings: [], refused: message(e), x: [] };
  }
  const { x, y } = trainData(c, model);
  const file = join(ctx.dir, `train-${ctx.files++ % 64}.keras`);
  try {
    await saveModel(model, file);
  } catch (e) {
    return { findings: [{ backend: 'keras-ts', phase: 'train', kind: 'save-error', detail: message(e) }], x, y, initial: weights };
  }
  const pending = askOracle<{ weights: OracleTensor[]; loss: number[] }>(ctx, 'train', { file, x: x.map(asOracle), y: [asOracle(y)], batch_size: t.batch_size, epochs: t.epochs }).then(
    (r) => r,
    (e: unknown) => new Failed(message(e)),
  );
  const ours = new Map<string, Tensor[] | Failed>();
  for (const b of ctx.backends) {
    if ((only && !only.has(b.name)) || !b.backend.capabilities.training) continue;
    setBackend(b.backend);
    try {
      const m = buildModel(c.model);
      m.setWeights(weights);
      m.compile(compileArgs(t));
      await withTimeout(m.fit(x.length === 1 ? x[0] : x, y, { batchSize: t.batch_size, epochs: t.epochs, shuffle: false, verbose: 0 }), BACKEND_TIMEOUT_MS, `${b.name} fit`);
      ours.set(b.name, m.getWeights());
    } catch (e) {
      ours.set(b.name, new Failed(message(e)));
    }
  }
  setBackend(ctx.backends[0].backend);
  const keras = await pending;
  const findings: Finding[] = [];
  if (keras instanceof Failed) {
    if ([...ours.values()].every((o) => o instanceof Failed)) return { findings, bothFailed: true, x, y, initial: weights };
    findings.push({ backend: 'keras', phase: 'train', kind: 'keras-error', detail: keras.message });
    return { findings, x, y, initial: weights };
  }
  const names = model.weights.map((w) => w.path);
  for (const b of ctx.backends) {
    const o = ours.get(b.name);
    if (!o) continue;
    if (o instanceof Failed) findings.push({ backend: b.name, phase: 'train', kind: 'error', detail: o.message });
    else {
      const d = compareTensors('weight after training', o, keras.weights, b.trainTol);
      if (d) findings.push({ backend: b.name, phase: 'train', ...d, detail: d.detail.replace(/weight after training (\d+)/, (_, i) => `weight after training ${names[Number(i)] ?? i}`) });
    }
  }
  return { findings, x, y, initial: weights, keras };
}
