/**
 * Faults during fit: an exception in a callback, NaN losses, an abort signal; and checkpoints
 * that are always whole: a save that fails halfway, or a process killed in the middle of a save,
 * leaves the previous checkpoint intact.
 *
 * One spec run on every backend of ../backends.ts (backend-ts, backend-tfjs on cpu and wasm,
 * backend-onnx; a backend that cannot run here is skipped with the reason). The ModelCheckpoint
 * tests (file names, save_best_only, formats, config) are about the callback and the files it
 * writes, the same whatever computes the weights: they are keras' own
 * (packages/keras/test/robustness/model-checkpoint.test.ts).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Backend } from '@keras-ts/spec';
import { createTsBackend } from '@keras-ts/backend-ts';
import { afterAll, describe, expect, test, vi } from 'vitest';
import { Dense, LambdaCallback, loadModel, loadWeights, ModelCheckpoint, SGD, Sequential, setBackend, Tensor, TerminateOnNaN, Variable, type Model } from '@keras-ts/keras';
import { BACKENDS, loadBackends, type BackendCandidate } from '../backends.js';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = join(HERE, '../..');
// The child resolves the packages as this run does: their sources, or their dist/ (KERAS_TS_DIST=1).
const CONDITIONS = process.env.KERAS_TS_DIST === '1' ? [] : ['--conditions=keras-ts-source'];

// Every backend is created once, before the tests are collected (tfjs and onnxruntime initialize
// asynchronously); those that cannot run here are skipped with the reason.
const ready = await loadBackends();
afterAll(() => {
  for (const c of BACKENDS) {
    const r = ready.get(c.name);
    if (r && 'backend' in r) c.dispose?.(r.backend);
  }
  setBackend(createTsBackend());
});

/**
 * Declares `body` as a test on each backend (in a describe block per backend), with that backend
 * set. A backend listing the test in its `knownIssues` runs it as expected to fail.
 */
function onEveryBackend(title: string, body: (c: BackendCandidate) => Promise<void>, timeout?: number): void {
  for (const c of BACKENDS) {
    describe(c.name, () => {
      const r = ready.get(c.name)!;
      const known = c.knownIssues?.[title];
      const declare = known && 'backend' in r ? test.fails : test;
      declare(known ? `${title} (known to differ here: ${known})` : title, async (ctx) => {
        if ('reason' in r) ctx.skip(r.reason);
        setBackend((r as { backend: Backend }).backend);
        await body(c);
      }, timeout);
    });
  }
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 2 - 1;
}
const data = (shape: number[], seed: number) => {
  const r = seeded(seed);
  return new Tensor(shape, 'float32', Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, r));
};

function model(): Sequential {
  const m = new Sequential({
    layers: [
      new Dense({ units: 6, activation: 'tanh', inputShape: [4], kernelInitializer: { class_name: 'GlorotUniform', config: { seed: 1 } } }),
      new Dense({ units: 1, kernelInitializer: { class_name: 'GlorotUniform', config: { seed: 2 } } }),
    ],
  });
  m.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
  return m;
}

const x = data([32, 4], 3);
const y = data([32, 1], 4);
const weightsOf = (m: Model) => m.getWeights().map((w) => Array.from(w.data));

/** A fresh model trained exactly `steps` batches of 4 in order (the reference for "after step k"). */
async function trainedSteps(steps: number): Promise<number[][]> {
  const m = model();
  if (steps > 0) await m.fit(x, y, { batchSize: 4, epochs: 1, shuffle: false, stepsPerEpoch: steps, verbose: 0 });
  return weightsOf(m);
}

class Boom extends Error {}

describe('faults during fit', () => {
  onEveryBackend('a callback throwing in onTrainBatchEnd at the 3rd batch: fit rejects with that error, the weights are those after step 3', async () => {
    const m = model();
    const err = new Boom('callback failed at batch 2');
    const thrower = new LambdaCallback({
      onBatchEnd: (batch) => {
        if (batch === 2) throw err;
      },
    });
    await expect(m.fit(x, y, { batchSize: 4, epochs: 3, shuffle: false, verbose: 0, callbacks: [thrower] })).rejects.toBe(err);
    expect(weightsOf(m)).toEqual(await trainedSteps(3));
    // The model is usable afterwards: training again works.
    const h = await m.fit(x, y, { batchSize: 4, epochs: 1, shuffle: false, verbose: 0 });
    expect(h.history.loss).toHaveLength(1);
  });

  onEveryBackend('a NaN loss with TerminateOnNaN stops training after that batch', async () => {
    const m = model();
    const bad = new Tensor(x.shape, 'float32', Float32Array.from(x.data));
    bad.data[4 * 4 + 1] = NaN; // a sample of the 2nd batch
    const batches: number[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      const h = await m.fit(bad, y, { batchSize: 4, epochs: 5, shuffle: false, verbose: 0, callbacks: [new TerminateOnNaN(), new LambdaCallback({ onBatchEnd: (b) => void batches.push(b) })] });
      expect(log).toHaveBeenCalledWith('Batch 1: Invalid loss, terminating training');
      expect(batches).toEqual([0, 1]);
      expect(h.epoch).toEqual([0]);
      expect(Number.isNaN(h.history.loss[0])).toBe(true);
    } finally {
      log.mockRestore();
    }
  });

  onEveryBackend('a NaN input reaches TerminateOnNaN through a Dense relu layer', async () => {
    // relu(NaN) is NaN (as TF): a NaN input is not hidden by a relu.
    const m = new Sequential({ layers: [new Dense({ units: 6, activation: 'relu', inputShape: [4] }), new Dense({ units: 1 })] });
    m.compile({ optimizer: new SGD({ learningRate: 0.1 }), loss: 'mse' });
    const bad = new Tensor(x.shape, 'float32', Float32Array.from(x.data));
    bad.data[9 * 4] = NaN; // sample 9: the 3rd batch
    const batches: number[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await m.fit(bad, y, { batchSize: 4, epochs: 2, shuffle: false, verbose: 0, callbacks: [new TerminateOnNaN(), new LambdaCallback({ onBatchEnd: (b) => void batches.push(b) })] });
      expect(batches).toEqual([0, 1, 2]);
      expect(log).toHaveBeenCalledWith('Batch 2: Invalid loss, terminating training');
    } finally {
      log.mockRestore();
    }
  });

  onEveryBackend('predict: a NaN input stays NaN through a Dense relu layer', async () => {
    const m = new Sequential({ layers: [new Dense({ units: 6, activation: 'relu', inputShape: [4] }), new Dense({ units: 1 })] });
    const bad = new Tensor([2, 4], 'float32', Float32Array.from([NaN, 1, 2, 3, 1, 2, 3, 4]));
    const out = await m.predict(bad);
    expect(Number.isNaN(out.data[0])).toBe(true);
    expect(Number.isNaN(out.data[1])).toBe(false);
  });

  onEveryBackend('an abort signal stops fit cleanly after the current step: onTrainEnd runs, fit resolves with the completed epochs, the weights are those of the last step', async () => {
    const m = model();
    const controller = new AbortController();
    const calls: string[] = [];
    let steps = 0;
    const spy = new LambdaCallback({
      onBatchEnd: (b) => {
        calls.push(`batch ${b}`);
        if (++steps === 11) controller.abort(); // the 3rd batch of the 2nd epoch (8 batches an epoch)
      },
      onEpochEnd: (e) => void calls.push(`epoch ${e}`),
      onTrainEnd: () => void calls.push('train end'),
    });
    const h = await m.fit(x, y, { batchSize: 4, epochs: 5, shuffle: false, verbose: 0, callbacks: [spy], signal: controller.signal });
    expect(calls.slice(-5)).toEqual(['epoch 0', 'batch 0', 'batch 1', 'batch 2', 'train end']);
    expect(h.epoch).toEqual([0]); // the partial epoch is not reported
    expect(weightsOf(m)).toEqual(await trainedStepsAcrossEpochs(11));
  });

  onEveryBackend('a signal aborted before fit starts trains nothing; fitGenerator honours it too', async () => {
    const m = model();
    const before = weightsOf(m);
    const ends: string[] = [];
    const h = await m.fit(x, y, { epochs: 3, verbose: 0, signal: AbortSignal.abort(), callbacks: [new LambdaCallback({ onTrainEnd: () => void ends.push('end') })] });
    expect(h.epoch).toEqual([]);
    expect(ends).toEqual(['end']);
    expect(weightsOf(m)).toEqual(before);
    const controller = new AbortController();
    let steps = 0;
    const gen = function* () {
      for (;;) yield [x.sliceRows(0, 4), y.sliceRows(0, 4)] as [Tensor, Tensor];
    };
    await m.fitGenerator(gen(), { stepsPerEpoch: 10, epochs: 100, verbose: 0, signal: controller.signal, callbacks: [new LambdaCallback({ onBatchEnd: () => void (++steps === 5 && controller.abort()) })] });
    expect(steps).toBe(5);
    expect(weightsOf(m)).toEqual(await trainedGenerator(5));
  });

  onEveryBackend('an abort from a timer while training stops within one step', async () => {
    const m = model();
    const controller = new AbortController();
    let steps = 0;
    let after = -1;
    const slow = new LambdaCallback({ onBatchEnd: () => new Promise<void>((r) => setTimeout(() => (steps++, r()), 5)) });
    controller.signal.addEventListener('abort', () => (after = steps));
    setTimeout(() => controller.abort(), 40);
    await m.fit(x, y, { batchSize: 4, epochs: 1000, verbose: 0, callbacks: [slow], signal: controller.signal });
    expect(steps).toBeGreaterThan(0);
    expect(steps).toBeLessThan(100);
    // The step running when the signal fired completes; no other starts.
    expect(steps - after).toBeLessThanOrEqual(1);
  });
});

/** A fresh model trained `steps` batches of 4 in order, over epochs of 8 batches. */
async function trainedStepsAcrossEpochs(steps: number): Promise<number[][]> {
  const m = model();
  const full = Math.floor(steps / 8);
  if (full) await m.fit(x, y, { batchSize: 4, epochs: full, shuffle: false, verbose: 0 });
  if (steps % 8) await m.fit(x, y, { batchSize: 4, epochs: 1, shuffle: false, stepsPerEpoch: steps % 8, verbose: 0 });
  return weightsOf(m);
}

/** A fresh model trained `steps` times on the first batch of 4 (the fitGenerator reference). */
async function trainedGenerator(steps: number): Promise<number[][]> {
  const m = model();
  const gen = function* () {
    for (;;) yield [x.sliceRows(0, 4), y.sliceRows(0, 4)] as [Tensor, Tensor];
  };
  await m.fitGenerator(gen(), { stepsPerEpoch: steps, epochs: 1, verbose: 0 });
  return weightsOf(m);
}

describe('checkpoints are always whole', () => {
  onEveryBackend('a save that fails halfway rejects fit and leaves the previous checkpoint as it was, with no temporary file', async () => {
    for (const name of ['ckpt.keras', 'ckpt.h5', 'ckpt.weights.h5']) {
      const dir = mkdtempSync(join(tmpdir(), 'ckpt-'));
      const file = join(dir, name);
      const m = model();
      await m.fit(x, y, { batchSize: 8, epochs: 1, verbose: 0, callbacks: [new ModelCheckpoint({ filepath: file, saveWeightsOnly: name.endsWith('.weights.h5') })] });
      const before = readFileSync(file);
      // The next save fails after its first weights have been written into the temporary file.
      const getter = Object.getOwnPropertyDescriptor(Variable.prototype, 'value')!.get!;
      let reads = 0;
      let failing = false;
      const spy = vi.spyOn(Variable.prototype, 'value', 'get').mockImplementation(function (this: Variable) {
        if (failing && ++reads > 2) throw new Error('disk full (simulated)');
        return getter.call(this);
      });
      const arm = new LambdaCallback({ onEpochEnd: () => void (failing = true) });
      try {
        await expect(m.fit(x, y, { batchSize: 8, epochs: 1, verbose: 0, callbacks: [arm, new ModelCheckpoint({ filepath: file, saveWeightsOnly: name.endsWith('.weights.h5') })] })).rejects.toThrow('disk full (simulated)');
      } finally {
        spy.mockRestore();
      }
      expect(reads).toBeGreaterThan(2);
      expect(readFileSync(file).equals(before)).toBe(true);
      expect(readdirSync(dir)).toEqual([name]);
      await (name.endsWith('.weights.h5') ? loadWeights(model(), file) : loadModel(file));
    }
  });

  onEveryBackend('a process killed in the middle of a save leaves the previous checkpoint whole', async (c) => {
    const child = join(HERE, 'checkpoint-child.ts');
    for (let attempt = 1; ; attempt++) {
      const dir = mkdtempSync(join(tmpdir(), 'ckpt-kill-'));
      const file = join(dir, 'ckpt.h5');
      const proc = spawn(process.execPath, [...CONDITIONS, '--import', 'tsx', child, file, c.key], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      proc.stdout.on('data', (d) => (out += d));
      proc.stderr.on('data', (d) => (err += d));
      const exited = new Promise<void>((r) => proc.on('exit', () => r()));
      // Wait for a first complete checkpoint, then for a save in progress (its temporary file).
      const deadline = Date.now() + 60_000;
      try {
        while (!out.includes('saved 1') && Date.now() < deadline && proc.exitCode === null) await new Promise((r) => setTimeout(r, 20));
        expect(out, err).toContain('saved 1');
        while (Date.now() < deadline && !readdirSync(dir).some((f) => f.endsWith('.tmp'))) await new Promise((r) => setImmediate(r));
      } finally {
        proc.kill('SIGKILL'); // also when the test fails: the child would train forever
      }
      await exited;
      const leftovers = readdirSync(dir).filter((f) => f.endsWith('.tmp'));
      // The kill landed mid-save when the temporary file is still there; otherwise try again.
      if (leftovers.length === 0 && attempt < 5) continue;
      console.info(`${c.name}: killed mid-save on attempt ${attempt}`);
      expect(leftovers.length).toBe(1);
      const announced = [...out.matchAll(/saving (\d+) (\S+)/g)].map((m) => Number(m[2]));
      const loaded = await loadModel(file);
      const sum = loaded.getWeights().reduce((s, w) => s + Array.from(w.data).reduce((a, b) => a + b, 0), 0);
      // The file holds one of the saves that completed (bit-for-bit the weights announced for it).
      expect(announced.some((a) => a === sum)).toBe(true);
      return;
    }
  }, 120_000);
});
