import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTsBackend } from '@keras-ts/backend-ts';
import { Dense, Embedding, InputLayer, LSTM, Sequential, Tensor, setBackend, type Layer } from '@keras-ts/keras';
import { ops, trace, type Backend, type Graph, type HostTensor, type Sym } from '@keras-ts/spec';
import * as ort from 'onnxruntime-node';
import { afterAll, describe, expect, it } from 'vitest';
import { exportGraphToOnnx, exportOnnx } from '@keras-ts/backend-onnx/export';

function uniform(shape: number[], seed: number, scale = 1): HostTensor {
  let s = seed >>> 0;
  const n = shape.reduce((a, b) => a * b, 1);
  const data = Float32Array.from({ length: n }, () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return ((s / 4294967296) * 2 - 1) * scale;
  });
  return { shape, dtype: 'float32', data };
}

const dir = mkdtempSync(join(tmpdir(), 'keras-ts-onnx-export-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A small CNN over [batch, 8, 8, 3]: conv 'same' + bias + relu, max pool, flatten, dense, softmax. */
function cnn(batch: number): { graph: Graph; weights: HostTensor[] } {
  const weights = [uniform([3, 3, 3, 4], 1, 0.5), uniform([4], 2, 0.1), uniform([64, 5], 3, 0.3), uniform([5], 4, 0.1)];
  const graph = trace(
    (x: Sym, k: Sym, b: Sym, w: Sym, c: Sym) => {
      let h = ops.relu(ops.add(ops.conv(x, k, { padding: 'same' }), b));
      h = ops.maxPool(h, { poolSize: 2 });
      h = ops.reshape(h, [batch, -1]);
      return ops.softmax(ops.add(ops.matmul(h, w), c));
    },
    [{ shape: [batch, 8, 8, 3], dtype: 'float32' }, ...weights.map((w) => ({ shape: w.shape, dtype: w.dtype }))],
  );
  return { graph, weights };
}

async function runFile(path: string, feeds: Record<string, HostTensor>): Promise<ort.InferenceSession.OnnxValueMapType> {
  const session = await ort.InferenceSession.create(path);
  try {
    const f: Record<string, ort.Tensor> = {};
    for (const [k, v] of Object.entries(feeds)) f[k] = new ort.Tensor(v.dtype, v.data, [...v.shape]);
    return await session.run(f);
  } finally {
    await session.release();
  }
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) expect(Math.abs(actual[i] - expected[i])).toBeLessThanOrEqual(tol);
}

describe('exportGraphToOnnx', () => {
  it('writes a standalone model that reproduces backend-ts, with a symbolic batch', async () => {
    const { graph, weights } = cnn(4);
    const x = uniform([4, 8, 8, 3], 9);
    const [expected] = await createTsBackend().compile(graph).run([x, ...weights]);
    const path = join(dir, 'cnn.onnx');
    const res = await exportGraphToOnnx(graph, new Map(weights.map((w, k) => [graph.inputs[k + 1], w])), path, { inputNames: ['image'] });
    expect(res.dynamicBatch).toBe(true);
    expect(res.inputs.map((i) => i.name)).toEqual(['image']);
    // No temporary file is left behind.
    expect(readdirSync(dir)).toEqual(['cnn.onnx']);

    const out = await runFile(path, { image: x });
    expect(out.output_0.dims).toEqual([4, 5]);
    expectClose(out.output_0.data as Float32Array, expected.data as Float32Array);

    // Another batch size: the first rows of a batch of 7 are those of the batch of 4.
    const x7 = uniform([7, 8, 8, 3], 9);
    x7.data.set(x.data);
    const out7 = await runFile(path, { image: x7 });
    expect(out7.output_0.dims).toEqual([7, 5]);
    expectClose((out7.output_0.data as Float32Array).slice(0, 20), expected.data as Float32Array);
  });

  it('falls back to static shapes when rows interact', async () => {
    // Normalizing over the batch: a symbolic batch would change the values.
    const g = trace((x: Sym, w: Sym) => ops.div(ops.matmul(x, w), ops.sum(ops.abs(x))), [
      { shape: [3, 2], dtype: 'float32' },
      { shape: [2, 2], dtype: 'float32' },
    ]);
    const w = uniform([2, 2], 5);
    const x = uniform([3, 2], 6);
    const path = join(dir, 'static.onnx');
    const res = await exportGraphToOnnx(g, new Map([[g.inputs[1], w]]), path);
    expect(res.dynamicBatch).toBe(false);
    expect(res.staticReason).toMatch(/rows interact/);
    const [expected] = await createTsBackend().compile(g).run([x, w]);
    const out = await runFile(path, { input_0: x });
    expectClose(out.output_0.data as Float32Array, expected.data as Float32Array);
  });

  it('exportOnnx takes a traced model: data inputs first, then its weights', async () => {
    const { graph, weights } = cnn(2);
    const path = join(dir, 'model.onnx');
    const res = await exportOnnx({ graph, inputs: [{ name: 'x', shape: [2, 8, 8, 3] }], weights }, path);
    expect(res.dynamicBatch).toBe(true);
    const x = uniform([2, 8, 8, 3], 3);
    const [expected] = await createTsBackend().compile(graph).run([x, ...weights]);
    const out = await runFile(path, { x });
    expectClose(out.output_0.data as Float32Array, expected.data as Float32Array);
    await expect(exportOnnx({ graph, inputs: [], weights }, path)).rejects.toThrow(/5 inputs, but 0 data input\(s\) and 4 weight\(s\)/);
  });

  it("exports a Keras model's traced predict graph; a batch of 1 cannot be told from a size-1 axis", async () => {
    // Record the predict graph and its feeds (data first, then the weights) on backend-ts.
    const ts = createTsBackend();
    const runs: { graph: Graph; feeds: HostTensor[] }[] = [];
    const recorder: Backend = {
      name: 'recorder',
      capabilities: ts.capabilities,
      compile: (g) => {
        const e = ts.compile(g);
        return { run: async (i) => (runs.push({ graph: g, feeds: [...i] }), e.run(i)), dispose: () => e.dispose() };
      },
    };
    setBackend(recorder);
    // An int32 input, so the traced graph takes the ids as they are (data for a float32 input is cast to float32, as in Keras).
    const ids32 = new InputLayer({ batchInputShape: [null, 5], dtype: 'int32' });
    const model = new Sequential({ layers: [ids32, new Embedding({ inputDim: 10, outputDim: 4 }) as Layer, new LSTM({ units: 3 }), new Dense({ units: 2 })] });
    const results = [];
    for (const batch of [1, 3]) {
      const ids = new Tensor([batch, 5], 'int32', Int32Array.from({ length: batch * 5 }, (_, i) => (i * 3) % 10));
      const expected = await model.predict(ids, { batchSize: batch });
      const { graph, feeds } = runs.at(-1)!;
      const path = join(dir, `lstm${batch}.onnx`);
      const res = await exportOnnx({ graph, inputs: [{ name: 'ids', shape: [batch, 5] }], weights: feeds.slice(1) }, path);
      const out = await runFile(path, { ids });
      expectClose(out.output_0.data as Float32Array, expected.data as Float32Array);
      results.push(res);
    }
    // Traced at batch 1, a squeeze of the size-1 axes also drops the batch: the check catches
    // it and the file keeps static shapes. Traced at batch 3 the batch is symbolic.
    expect(results[0].dynamicBatch).toBe(false);
    expect(results[0].staticReason).toMatch(/another batch size/);
    expect(results[1].dynamicBatch).toBe(true);
  });
});
