/**
 * The Python Keras peer of a predict or training workload: real Keras on TensorFlow (CPU) in a
 * child process (keras_peer.py), the same model (a `keras.applications` constructor with
 * `weights=None`, or a `keras.Sequential` with our layer names), the same weights (ours, written to
 * a temporary directory and set by layer name), the same data, the same intra-op thread count as
 * backend-onnx. The child times each run itself — `predict`: a `tf.function` of the model's call
 * in inference mode, host array in, host array out; training: `model.fit` for one epoch, no
 * shuffling, compiled as `PythonModel.compile` says, its train step traced and compiled before
 * the first timed epoch — and the harness uses its wall and CPU times (see `Peer.lastTiming`).
 *
 * The Python is `.venv/bin/python` at the repository root (`pnpm oracle:setup` makes it) or the
 * one named by KERAS_TS_PYTHON; without it the peer is reported as not run, with that reason.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { KerasStateError, KerasValueError, type Model } from '@keras-ts/keras';
import { oursName, ortThreadCount, type Peer, type Target } from './common.js';

/** The peer's name in reports and in `--peers`. */
export const PYTHON_KERAS = 'keras (python, tf cpu)';

/** The target: keras-ts/onnx at least 2x faster than Python Keras. */
export function pythonTarget(): Target {
  return { peer: oursName('onnx'), against: PYTHON_KERAS, min: 2, text: '>= 2x faster' };
}

/** The target on a training epoch: keras-ts/onnx not slower than Python Keras. */
export function pythonTrainTarget(): Target {
  return { peer: oursName('onnx'), against: PYTHON_KERAS, min: 1, text: 'not slower' };
}

/** How Python Keras builds the workload's model. */
export interface PythonModel {
  /** A Python expression over `keras` that builds the model, e.g. `keras.applications.InceptionV3(weights=None)`. */
  readonly build: string;
  /** The Keras layer name of one of our layers (default: the same name). */
  readonly rename?: (name: string) => string;
  /**
   * For a training workload: a Python expression over `keras` giving `compile`'s keyword
   * arguments, e.g. `dict(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss='categorical_crossentropy')`.
   */
  readonly compile?: string;
}

const here = dirname(fileURLToPath(import.meta.url));
const python = process.env.KERAS_TS_PYTHON ?? resolve(here, '../../../.venv/bin/python');

interface Data {
  shape: number[];
  data: Float32Array;
}

/** Writes our weights by (renamed) layer name: weights.json ({name: [[shape, offset]...]}) and weights.bin. */
function writeWeights(dir: string, model: Model, rename: (n: string) => string): void {
  const manifest: Record<string, [number[], number][]> = {};
  const parts: Float32Array[] = [];
  let offset = 0;
  for (const l of model.layers) {
    const ws = l.getWeights();
    if (ws.length === 0) continue;
    manifest[rename(l.name)] = ws.map((w) => {
      const entry: [number[], number] = [[...w.shape], offset];
      parts.push(w.data as Float32Array);
      offset += w.data.length;
      return entry;
    });
  }
  const blob = new Float32Array(offset);
  let o = 0;
  for (const p of parts) {
    blob.set(p, o);
    o += p.length;
  }
  writeFileSync(join(dir, 'weights.json'), JSON.stringify(manifest));
  writeFileSync(join(dir, 'weights.bin'), new Uint8Array(blob.buffer));
}

/**
 * The Python Keras peer; `weights` gives the model whose weights every peer shares; `fit` (a
 * training workload: the targets and the batch size) makes each run one epoch of `model.fit`.
 */
export function pythonKerasPeer(weights: () => Promise<Model>, spec: PythonModel, x: Data, fit?: { y: Data; batch: number }): Peer {
  let child: ChildProcessWithoutNullStreams | null = null;
  let dir: string | null = null;
  let last: [number, number] = [0, 0];
  // The child's rss (MB) once TensorFlow and Keras were imported, and after its last run.
  let baseRss: number | null = null;
  let rss: number | null = null;
  let out: Float32Array | null = null;
  let lines: AsyncIterator<string> | null = null;
  const next = async (): Promise<Record<string, unknown>> => {
    const r = await lines!.next();
    if (r.done) throw new KerasStateError(`${PYTHON_KERAS}: the Python process ended`);
    return JSON.parse(r.value) as Record<string, unknown>;
  };
  return {
    name: PYTHON_KERAS,
    ...(existsSync(python) ? {} : { unsupported: `no Python Keras: ${python} is missing (\`pnpm oracle:setup\` makes it, or set KERAS_TS_PYTHON)` }),
    async setup() {
      const reference = await weights();
      const d = (dir = mkdtempSync(join(tmpdir(), 'keras-ts-bench-keras-')));
      writeWeights(d, reference, spec.rename ?? ((n) => n));
      writeFileSync(join(d, 'x.bin'), new Uint8Array(x.data.buffer, x.data.byteOffset, x.data.byteLength));
      if (fit && !spec.compile) throw new KerasValueError(`${PYTHON_KERAS}: a training workload needs PythonModel.compile`);
      if (fit) writeFileSync(join(d, 'y.bin'), new Uint8Array(fit.y.data.buffer, fit.y.data.byteOffset, fit.y.data.byteLength));
      const args = {
        dir: d,
        build: spec.build,
        input_shape: x.shape,
        threads: ortThreadCount(),
        ...(fit ? { fit: { compile: spec.compile, batch: fit.batch, y_shape: fit.y.shape } } : {}),
      };
      const c = (child = spawn(python, [join(here, 'keras_peer.py'), JSON.stringify(args)], { stdio: 'pipe' }));
      let stderr = '';
      c.stderr.on('data', (b: Buffer) => (stderr = (stderr + b.toString()).slice(-2000)));
      lines = createInterface({ input: c.stdout })[Symbol.asyncIterator]();
      const ready = await next().catch((e: unknown) => ({ error: `${String(e instanceof Error ? e.message : e)}: ${stderr.trim().split('\n').at(-1) ?? ''}` }));
      if (ready.error) {
        c.kill();
        child = null;
        rmSync(d, { recursive: true, force: true });
        dir = null;
        throw new KerasStateError(`${PYTHON_KERAS}: the Python peer did not start: ${String(ready.error)}`);
      }
      const mem = ready as Record<string, unknown>;
      baseRss = typeof mem.base_rss_mb === 'number' ? mem.base_rss_mb : null;
      rss = typeof mem.rss_mb === 'number' ? mem.rss_mb : null;
      return async () => {
        c.stdin.write('run\n');
        const r = await next();
        last = [Number(r.wall), Number(r.cpu)];
        rss = typeof r.rss_mb === 'number' ? r.rss_mb : null;
      };
    },
    lastTiming: () => last,
    processRss: () => (baseRss !== null && rss !== null ? { baseMb: baseRss, nowMb: rss } : null),
    output() {
      if (!out && dir && existsSync(join(dir, 'out.bin'))) out = new Float32Array(new Uint8Array(readFileSync(join(dir, 'out.bin'))).buffer);
      return out ?? new Float32Array(0);
    },
    teardown() {
      child?.stdin.end();
      child = null;
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = null;
    },
  };
}
