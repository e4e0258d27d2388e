/**
 * Long runs keep memory flat: after a warm-up (every step compiled once), 1,000 predict calls and
 * a 20-epoch fit compile nothing new, hold no more executables, and leave the heap and the
 * ArrayBuffer memory where they were (within a generous bound). Per backend: backend-ts' buffer
 * plans stay the same size (buffers are reused), tfjs' tensor count stays the same (no leaked
 * tensors), onnxruntime sessions are released when their executables are disposed.
 *
 * The test runs over the backends of ../backends.ts (backend-ts, backend-tfjs on cpu and wasm,
 * backend-onnx); a backend whose package cannot be imported or created here is skipped with the
 * reason.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Backend, Executable, Graph } from '@keras-ts/spec';
import { createTsBackend } from '@keras-ts/backend-ts';
import { beforeAll, describe, expect, test } from 'vitest';
import { Dense, Sequential, setBackend, Tensor, type Model } from '@keras-ts/keras';
import { BACKENDS, loadBackends, type Availability } from '../backends.js';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

/** Collects garbage until the heap stops shrinking; returns the memory in use. */
function settle(): { heap: number; buffers: number } {
  let last = Infinity;
  for (let i = 0; i < 10; i++) {
    gc();
    const heap = process.memoryUsage().heapUsed;
    if (heap >= last - 64 * 1024) break;
    last = heap;
  }
  const m = process.memoryUsage();
  return { heap: m.heapUsed, buffers: m.arrayBuffers };
}

/** A backend wrapped to count compilations and the executables alive. */
class Counting implements Backend {
  compiled = 0;
  readonly live = new Set<Executable>();
  constructor(readonly inner: Backend) {}
  get name() {
    return this.inner.name;
  }
  get capabilities() {
    return this.inner.capabilities;
  }
  compile(graph: Graph): Executable {
    const exe = this.inner.compile(graph);
    this.compiled++;
    this.live.add(exe);
    const dispose = exe.dispose.bind(exe);
    exe.dispose = () => {
      this.live.delete(exe);
      dispose();
    };
    return exe;
  }
}

function seeded(seed: number, n: number): Float32Array {
  let s = seed >>> 0;
  return Float32Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 2 - 1);
}

function makeModel(): Model {
  const m = new Sequential({ layers: [new Dense({ units: 16, activation: 'relu', inputShape: [8] }), new Dense({ units: 3, activation: 'softmax' })] });
  m.compile({ optimizer: 'adam', loss: 'sparse_categorical_crossentropy', metrics: ['accuracy'] });
  return m;
}

const x = new Tensor([50, 8], 'float32', seeded(1, 400)); // batches of 16 leave a partial batch of 2
const y = new Tensor([50], 'int32', Int32Array.from({ length: 50 }, (_, i) => (i * 7) % 3));
const one = new Tensor([8, 8], 'float32', seeded(2, 64));

/** Generous bounds: the heap may wobble (JIT, caches), but not grow with the number of calls. */
const HEAP_SLACK = 24 * 2 ** 20;
const BUFFER_SLACK = 8 * 2 ** 20;

let ready: Availability = new Map();

beforeAll(async () => {
  ready = await loadBackends();
}, 120_000);

describe('memory stays flat over long runs', () => {
  for (const c of BACKENDS) {
    test(`${c.name}: 1,000 predict calls and a 20-epoch fit`, async (ctx) => {
      const r = ready.get(c.name)!;
      if ('reason' in r) ctx.skip(r.reason);
      const b = new Counting((r as { backend: Backend }).backend);
      setBackend(b);
      try {
        const model = makeModel();
        // Warm-up: every step (train, test and predict; full and partial batches) compiled once.
        await model.fit(x, y, { epochs: 2, batchSize: 16, verbose: 0 });
        for (let i = 0; i < 20; i++) await model.predict(one);
        await model.evaluate(x, y, { batchSize: 16 });
        const compiled = b.compiled;
        const live = b.live.size;
        const counters = await c.counters(b.live);
        expect(Object.values(counters).every((v) => v > 0)).toBe(true);
        const before = settle();

        for (let i = 0; i < 1000; i++) await model.predict(one);
        const afterPredict = settle();
        expect(b.compiled).toBe(compiled);
        expect(b.live.size).toBe(live);
        expect(await c.counters(b.live)).toEqual(counters);
        expect(afterPredict.heap - before.heap).toBeLessThan(HEAP_SLACK);
        expect(afterPredict.buffers - before.buffers).toBeLessThan(BUFFER_SLACK);

        const h = await model.fit(x, y, { epochs: 20, batchSize: 16, verbose: 0 });
        expect(h.history.loss).toHaveLength(20);
        const afterFit = settle();
        expect(b.compiled).toBe(compiled);
        expect(b.live.size).toBe(live);
        expect(await c.counters(b.live)).toEqual(counters);
        expect(afterFit.heap - before.heap).toBeLessThan(HEAP_SLACK);
        expect(afterFit.buffers - before.buffers).toBeLessThan(BUFFER_SLACK);

        // Dropping the compiled steps releases their executables (ONNX sessions, tfjs tensors).
        (model as unknown as { resetCompiledSteps(): void }).resetCompiledSteps();
        expect(b.live.size).toBeLessThan(live);
      } finally {
        c.dispose?.(b.inner);
        setBackend(createTsBackend());
      }
    }, 120_000);
  }
});
