/**
 * The TensorBoard callback writes what tf.keras 2's does, in files TensorBoard reads:
 * - its encoders give TensorFlow's own bytes (fixtures/tensorboard/events.json, written by TF 2's
 *   summary writer with make_events.py): TFRecord framing with masked CRC-32C, scalar, histogram
 *   and Keras-model events;
 * - a fit with the callback, read back by TensorBoard's own EventAccumulator (a Python child
 *   process), has tf.keras' tags, steps and the History's values. That part needs the oracle's
 *   Python with `tensorboard` (`pnpm oracle:setup`, or KERAS_TS_PYTHON): skipped with the reason
 *   without it, required when KERAS_TS_REQUIRE_ORACLE=1 (CI).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { Dense, Input, LambdaCallback, Model, Sequential, TensorBoard, optimizers } from '../../src/index.js';
import { crc32c, tfRecord } from '../../src/callbacks/tensorboard/crc32c.js';
import { eventProto } from '../../src/callbacks/tensorboard/event-proto.js';
import { histogramBuckets } from '../../src/callbacks/tensorboard/histogram.js';
import { weightImages } from '../../src/callbacks/tensorboard/weight-image.js';
import { unzlibSync } from 'fflate';
import { linearData } from '../engine/helpers.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const FIXTURE = JSON.parse(readFileSync(join(HERE, '../fixtures/tensorboard/events.json'), 'utf8')) as {
  first_record_header_hex: string;
  events: { wall_time: number; hex: string }[];
  histogram_inputs: Record<string, number[]>;
  weights: Record<string, { shape: number[]; data: number[] }>;
  images: Record<string, { width: string; height: string; pixels: number[][] }>;
};
const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('event encoding matches TensorFlow', () => {
  it('CRC-32C and TFRecord framing', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    // TF's first record (62 bytes of payload): length then its masked CRC.
    expect(hex(tfRecord(new Uint8Array(62)).subarray(0, 12))).toBe(FIXTURE.first_record_header_hex);
  });

  it('scalar events', () => {
    const [loss, acc] = FIXTURE.events;
    const scalar = (tag: string, v: number) => ({ tag, tensor: { dtype: 'float' as const, shape: [], values: [v] }, plugin: 'scalars' });
    expect(hex(eventProto({ wallTime: loss.wall_time, step: 0, summary: [scalar('epoch_loss', 0.5)] }))).toBe(loss.hex);
    expect(hex(eventProto({ wallTime: acc.wall_time, step: 7, summary: [scalar('batch_accuracy', 0.8125)] }))).toBe(acc.hex);
  });

  it('histogram events (the buckets tf.summary.histogram computes)', () => {
    const tags = Object.keys(FIXTURE.histogram_inputs);
    tags.forEach((tag, i) => {
      const e = FIXTURE.events[2 + i];
      const b = histogramBuckets(FIXTURE.histogram_inputs[tag]);
      const bytes = eventProto({ wallTime: e.wall_time, step: 3, summary: [{ tag: `${tag}/histogram`, tensor: { dtype: 'double', shape: [30, 3], values: b }, plugin: 'histograms' }] });
      expect(hex(bytes), tag).toBe(e.hex);
    });
  });

  it('the Keras model summary event', () => {
    const e = FIXTURE.events[2 + Object.keys(FIXTURE.histogram_inputs).length];
    const bytes = eventProto({
      wallTime: e.wall_time,
      summary: [{ tag: 'keras', tensor: { dtype: 'string', shape: [], values: ['{"class_name": "Sequential"}'] }, plugin: 'graph_keras_model', pluginContent: '1' }],
    });
    expect(hex(bytes)).toBe(e.hex);
  });
});

/** The pixels of a PNG this encoder wrote (8-bit, unfiltered rows). */
function decodePng(png: Uint8Array): number[] {
  const view = new DataView(png.buffer, png.byteOffset);
  let at = 8;
  let width = 0;
  let channels = 1;
  const idat: number[] = [];
  while (at < png.length) {
    const len = view.getUint32(at);
    const type = new TextDecoder().decode(png.subarray(at + 4, at + 8));
    const data = png.subarray(at + 8, at + 8 + len);
    if (type === 'IHDR') {
      width = new DataView(data.buffer, data.byteOffset).getUint32(0);
      channels = { 0: 1, 2: 3, 6: 4 }[data[9]]!;
    }
    if (type === 'IDAT') idat.push(...data);
    at += 12 + len;
  }
  const raw = unzlibSync(Uint8Array.from(idat));
  const stride = width * channels;
  const out: number[] = [];
  for (let r = 0; r * (stride + 1) < raw.length; r++) {
    expect(raw[r * (stride + 1)]).toBe(0);
    out.push(...raw.subarray(r * (stride + 1) + 1, (r + 1) * (stride + 1)));
  }
  return out;
}

describe('weights drawn as images (writeImages) as tf.keras and tf.summary.image draw them', () => {
  it.each(Object.keys(FIXTURE.weights))('%s', (name) => {
    const { shape, data } = FIXTURE.weights[name];
    const want = FIXTURE.images[`${name}/image`];
    const got = weightImages(shape, data);
    expect(got).not.toBeNull();
    const [w, h, ...pngs] = got!;
    expect([new TextDecoder().decode(w), new TextDecoder().decode(h)]).toEqual([want.width, want.height]);
    expect(pngs.map(decodePng)).toEqual(want.pixels);
  });

  it('draws nothing where tf.keras draws nothing (a conv kernel with 8 output channels, a scalar)', () => {
    expect(weightImages([3, 3, 2, 8], new Float32Array(144))).toBeNull();
    expect(weightImages([], [1])).toBeNull();
  });
});

describe('arguments', () => {
  it("takes Keras' positional log_dir and refuses what needs TensorFlow itself, saying why", () => {
    expect(new TensorBoard('runs/a').logDir).toBe('runs/a');
    expect(new TensorBoard({ updateFreq: 'batch' }).updateFreq).toBe(1);
    expect(new TensorBoard().logDir).toBe('logs');
    expect(() => new TensorBoard({ profileBatch: 3 })).toThrow(/^TensorBoard: profileBatch 3 is not supported: profiling batches needs the TensorFlow profiler/);
    expect(() => new TensorBoard({ profileBatch: '10,20' })).toThrow(/profileBatch "10,20" is not supported/);
    expect(() => new TensorBoard({ profileBatch: [5, 2] })).toThrow(/argument 'profileBatch' got \[5,2\]: profile_batch must be a non-negative integer/);
    expect(new TensorBoard({ profileBatch: '0' }).args.profileBatch).toBe('0');
    expect(() => new TensorBoard({ embeddingsFreq: 1 })).toThrow(/^TensorBoard: embeddingsFreq 1 is not supported: TensorBoard's projector reads the embeddings from a TensorFlow checkpoint/);
    expect(() => new TensorBoard({ embeddingsMetadata: 'meta.tsv' })).toThrow(/embeddingsMetadata "meta.tsv" is not supported/);
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      new TensorBoard({ writeImages: true });
      expect(warn).toHaveBeenCalledWith(expect.stringMatching(/^TensorBoard: writeImages draws the weights when histograms are written: set histogramFreq/));
    } finally {
      warn.mockRestore();
    }
    // @ts-expect-error -- 'update_freq' (snake_case) is not an argument; wrong on purpose
    expect(() => new TensorBoard({ update_freq: 'batch' })).toThrow(/^TensorBoard: unknown argument 'update_freq' \(got "batch"\); did you mean 'updateFreq'\?/);
    // @ts-expect-error -- 'step' is not a valid updateFreq; wrong on purpose
    expect(() => new TensorBoard({ updateFreq: 'step' })).toThrow(/argument 'updateFreq' got "step": expected 'epoch', 'batch' or a positive integer/);
  });

  it('warns about the TF 1 arguments tf.keras 2 ignores', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      new TensorBoard({ writeGrads: true, batchSize: 32 });
      expect(warn.mock.calls.map((c) => c[0])).toEqual([
        '`write_grads` will be ignored in TensorFlow 2.0 for the `TensorBoard` Callback.',
        '`batch_size` is no longer needed in the `TensorBoard` Callback and will be ignored in TensorFlow 2.0.',
      ]);
    } finally {
      warn.mockRestore();
    }
  });
});

const PYTHON = process.env.KERAS_TS_PYTHON ?? join(HERE, '../../../../.venv/bin/python');
const ENV = { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' };

function unavailable(): string | null {
  if (!existsSync(PYTHON)) return `needs the oracle's Python with tensorboard: ${PYTHON} does not exist (run \`pnpm oracle:setup\`, or set KERAS_TS_PYTHON)`;
  const r = spawnSync(PYTHON, ['-c', 'import tensorboard.backend.event_processing.event_accumulator'], { encoding: 'utf8', env: ENV });
  return r.status === 0 ? null : `needs the tensorboard package in ${PYTHON} (pnpm oracle:setup installs it): ${(r.stderr || r.error?.message || '').trim().split('\n').at(-1)}`;
}
const why = unavailable();
if (why && process.env.KERAS_TS_REQUIRE_ORACLE === '1') throw new Error(why);

/** Reads run directories with TensorBoard's EventAccumulator: per directory, per tag, its plugin and its (step, value) pairs. */
const READER = `
import json, sys
from tensorboard.backend.event_processing import event_accumulator as ea
from tensorboard.util import tensor_util
runs = []
for d in sys.argv[1:]:
    acc = ea.EventAccumulator(d, size_guidance={ea.TENSORS: 0})
    acc.Reload()
    out = {}
    for tag in acc.Tags()["tensors"]:
        plugin = acc.SummaryMetadata(tag).plugin_data.plugin_name
        events = []
        for e in acc.Tensors(tag):
            a = tensor_util.make_ndarray(e.tensor_proto)
            if a.dtype != object:
                value = a.tolist()
            elif a.ndim == 0:
                value = a.item().decode()
            else:  # an image summary: width, height, then PNG files
                import tensorflow as tf
                value = [a[0].decode(), a[1].decode(), [tf.io.decode_png(p).numpy().ravel().tolist() for p in a[2:]]]
            events.append([e.step, value])
        out[tag] = {"plugin": plugin, "events": events}
    runs.append(out)
print(json.dumps(runs))
`;

type Run = Record<string, { plugin: string; events: [number, unknown][] }>;
function readRuns(...dirs: string[]): Run[] {
  const r = spawnSync(PYTHON, ['-c', READER, ...dirs], { encoding: 'utf8', env: ENV });
  if (r.status !== 0) throw new Error(`EventAccumulator failed on ${dirs.join(', ')}: ${r.stderr}`);
  return JSON.parse(r.stdout) as Run[];
}

const f32 = Math.fround;

describe.skipIf(why !== null)(`TensorBoard's reader reads what fit writes${why ? ` (skipped: ${why})` : ''}`, () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = mkdtempSync(join(tmpdir(), 'keras-ts-tb-'));
    dirs.push(d);
    return d;
  };
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('epoch scalars in train/ and validation/, batch scalars, histograms, the Keras graph, evaluation_*_vs_iterations', async () => {
    const { x, y } = linearData(40, 3);
    const model = new Sequential([Input({ shape: [3] }), new Dense({ units: 4, activation: 'relu' }), new Dense({ units: 1 })]);
    model.compile({ optimizer: new optimizers.SGD({ learningRate: 0.05 }), loss: 'mse', metrics: ['mae'] });
    const logDir = tmp();
    const tb = new TensorBoard({ logDir, histogramFreq: 2, updateFreq: 2, writeImages: true });
    const batchLogs: Record<string, number>[] = [];
    const spy = new LambdaCallback({ onBatchEnd: (_b, logs) => void batchLogs.push({ ...logs }) });
    const h = await model.fit(x, y, { epochs: 3, batchSize: 10, validationSplit: 0.25, verbose: 0, callbacks: [tb, spy] });
    const evalLogs = await model.evaluate(x, y, { verbose: 0, callbacks: [tb], returnDict: true });
    expect(readdirSync(logDir).sort()).toEqual(['train', 'validation']);

    const [train, val] = readRuns(join(logDir, 'train'), join(logDir, 'validation'));
    const epochs = [0, 1, 2];
    for (const k of ['loss', 'mae']) {
      expect(train[`epoch_${k}`]).toEqual({ plugin: 'scalars', events: epochs.map((e) => [e, f32(h.history[k][e])]) });
      expect(val[`epoch_${k}`]).toEqual({ plugin: 'scalars', events: epochs.map((e) => [e, f32(h.history[`val_${k}`][e])]) });
    }
    // 30 training rows in batches of 10: 3 batches an epoch, 9 in all; every second one logged (steps 2, 4, 6, 8).
    expect(batchLogs.length).toBe(9);
    for (const k of ['loss', 'mae']) expect(train[`batch_${k}`]).toEqual({ plugin: 'scalars', events: [2, 4, 6, 8].map((s) => [s, f32(batchLogs[s - 1][k])]) });
    // Histograms of each weight at epochs 0 and 2, 30 buckets holding every value.
    const weights = model.layers.flatMap((l) => l.weights);
    expect(Object.keys(train).filter((t) => t.endsWith('/histogram')).sort()).toEqual(weights.map((w) => `${w.path}_0/histogram`).sort());
    for (const w of weights) {
      const hist = train[`${w.path}_0/histogram`];
      expect(hist.plugin).toBe('histograms');
      expect(hist.events.map((e) => e[0])).toEqual([0, 2]);
      const rows = hist.events[1][1] as number[][];
      expect(rows.length).toBe(30);
      expect(rows.reduce((n, r) => n + r[2], 0)).toBe(w.value.data.length);
    }
    // writeImages: each weight as tf.keras draws it (a [3, 4] kernel as a 4 x 3 image, a bias as a column), at the histograms' epochs.
    const kernel = weights.find((w) => w.shape.join() === '3,4')!;
    const image = train[`${kernel.path}_0/image`];
    expect(image.plugin).toBe('images');
    expect(image.events.map((e) => e[0])).toEqual([0, 2]);
    const [width, height, [pixels]] = image.events[1][1] as [string, string, number[][]];
    expect([width, height]).toEqual(['4', '3']);
    expect(pixels).toEqual(Array.from(kernel.value.data, (v) => Math.min(255, Math.max(0, Math.trunc(v * 255.5)))));
    const bias = weights.find((w) => w.shape.join() === '4')!;
    expect((train[`${bias.path}_0/image`].events[0][1] as unknown[]).slice(0, 2)).toEqual(['1', '4']);
    // The Keras model JSON, as tf.keras' keras_model_summary.
    expect(train.keras.plugin).toBe('graph_keras_model');
    expect(JSON.parse(train.keras.events[0][1] as string)).toEqual(JSON.parse(model.toJSON()));
    // Validation passes and evaluate: evaluation_<name>_vs_iterations at the optimizer's iterations.
    expect(val.evaluation_loss_vs_iterations.events).toEqual([
      [3, f32(h.history.val_loss[0])],
      [6, f32(h.history.val_loss[1])],
      [9, f32(h.history.val_loss[2])],
      [9, f32(evalLogs.loss)],
    ]);
    expect(val.evaluation_mae_vs_iterations.events.at(-1)).toEqual([9, f32(evalLogs.mae)]);
  }, 60_000);

  it('a learning rate schedule and steps per second; a functional model; updateFreq epoch writes no batch scalars', async () => {
    const { x, y } = linearData(16, 2);
    const inp = Input({ shape: [2] });
    const model = new Model(inp, new Dense({ units: 1 }).apply(inp));
    const schedule = new optimizers.ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 2, decayRate: 0.5 });
    model.compile({ optimizer: new optimizers.SGD({ learningRate: schedule }), loss: 'mse' });
    const logDir = tmp();
    await model.fit(x, y, { epochs: 2, batchSize: 8, verbose: 0, callbacks: [new TensorBoard({ logDir, writeStepsPerSecond: true })] });
    const [train] = readRuns(join(logDir, 'train'));
    expect(Object.keys(train).sort()).toEqual(['epoch_learning_rate', 'epoch_loss', 'epoch_steps_per_second', 'keras']);
    // After epoch 0: 2 iterations, 0.1 * 0.5^(2/2); after epoch 1: 4 iterations.
    expect(train.epoch_learning_rate.events).toEqual([
      [0, f32(0.05)],
      [1, f32(0.025)],
    ]);
    for (const [, v] of train.epoch_steps_per_second.events) expect(v).toBeGreaterThan(0);
    expect(existsSync(join(logDir, 'validation'))).toBe(false);
  }, 60_000);
});
