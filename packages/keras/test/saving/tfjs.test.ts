import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { Dense, Sequential, Tensor, onlyOutput, type Model } from '../../src/index.js';
import { loadModel, loadWeights, saveModel } from '../../src/saving/index.js';
import { tempDir } from './helpers.js';

function halfBits(x: number): number {
  // Exact for the values used below (representable in float16).
  const f = new Float32Array([x]);
  const u = new Uint32Array(f.buffer)[0];
  const sign = (u >>> 16) & 0x8000;
  const exp = ((u >>> 23) & 0xff) - 127 + 15;
  const mant = (u >>> 13) & 0x3ff;
  if (x === 0) return sign;
  return sign | (exp << 10) | mant;
}

function mlp(): Model {
  return new Sequential({ name: 'tiny', layers: [new Dense({ units: 2, inputShape: [3], name: 'd1' }), new Dense({ units: 1, name: 'd2' })] });
}

describe("TF.js' layers-model format", () => {
  test('reads quantized (uint8, uint16, float16) weights split over two shards, with a bare model topology', async () => {
    const model = mlp();
    const dir = tempDir();
    // d1/kernel [3,2] uint8: q * scale + min; d1/bias [2] float16; d2/kernel [2,1] uint16; d2/bias [1] float32.
    const k1q = new Uint8Array([0, 1, 2, 3, 4, 255]);
    const b1 = [0.5, -2.25];
    const k2q = new Uint16Array([10, 65535]);
    const b2 = new Float32Array([0.125]);
    const bytes = new Uint8Array(6 + 4 + 4 + 4);
    bytes.set(k1q, 0);
    const dv = new DataView(bytes.buffer);
    b1.forEach((v, i) => dv.setUint16(6 + 2 * i, halfBits(v), true));
    k2q.forEach((v, i) => dv.setUint16(10 + 2 * i, v, true));
    dv.setFloat32(14, b2[0], true);
    writeFileSync(join(dir, 'a.bin'), bytes.subarray(0, 7));
    writeFileSync(join(dir, 'b.bin'), bytes.subarray(7));
    const json = {
      format: 'layers-model',
      modelTopology: JSON.parse(model.toJSON()),
      weightsManifest: [
        {
          paths: ['a.bin', 'b.bin'],
          weights: [
            { name: 'd1/kernel', shape: [3, 2], dtype: 'float32', quantization: { dtype: 'uint8', scale: 0.5, min: -1, original_dtype: 'float32' } },
            { name: 'd1/bias', shape: [2], dtype: 'float32', quantization: { dtype: 'float16', original_dtype: 'float32' } },
            { name: 'd2/kernel', shape: [2, 1], dtype: 'float32', quantization: { dtype: 'uint16', scale: 0.001, min: 0.25 } },
            { name: 'd2/bias', shape: [1], dtype: 'float32' },
          ],
        },
      ],
    };
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    const back = await loadModel(join(dir, 'model.json'));
    const [k1, bb1, k2, bb2] = back.getWeights().map((t) => Array.from(t.data));
    expect(k1).toEqual(Array.from(Float32Array.from([0, 1, 2, 3, 4, 255], (q) => q * 0.5 - 1)));
    expect(bb1).toEqual(b1);
    expect(k2).toEqual(Array.from(Float32Array.from([10, 65535], (q) => q * 0.001 + 0.25)));
    expect(bb2).toEqual([0.125]);
  });

  test('weights are matched by name, whatever their order in the manifest', async () => {
    const a = mlp();
    a.setWeights(a.weights.map((w, i) => new Tensor([...w.shape], 'float32', new Float32Array(w.value.size).fill(i + 1))));
    const dir = tempDir();
    await saveModel(a, join(dir, 'model.json'));
    const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
    expect(json.weightsManifest[0].weights.map((w: { name: string }) => w.name)).toEqual(['d1/kernel', 'd1/bias', 'd2/kernel', 'd2/bias']);
    expect(json.modelTopology.model_config.class_name).toBe('Sequential');
    // Reverse the manifest (and the bytes with it): names still decide.
    const shard = join(dir, json.weightsManifest[0].paths[0]);
    const bin = readFileSync(shard);
    const sizes = [6, 2, 2, 1].map((n) => n * 4);
    const parts: Buffer[] = [];
    let at = 0;
    for (const s of sizes) (parts.push(bin.subarray(at, at + s)), (at += s));
    writeFileSync(shard, Buffer.concat(parts.reverse()));
    json.weightsManifest[0].weights.reverse();
    json.weightsManifest[0].weights.forEach((w: { name: string }) => (w.name = `${w.name}:0`));
    writeFileSync(join(dir, 'model.json'), JSON.stringify(json));
    const b = mlp();
    await loadWeights(b, join(dir, 'model.json'));
    expect(b.getWeights().map((t) => t.data[0])).toEqual([1, 2, 3, 4]);
  });

  test('large models are split into 4 MiB shards', async () => {
    const big = new Sequential({ layers: [new Dense({ units: 1100, inputShape: [1000] })] });
    const dir = tempDir();
    await saveModel(big, join(dir, 'big.json'));
    const json = JSON.parse(readFileSync(join(dir, 'big.json'), 'utf8'));
    expect(json.weightsManifest[0].paths).toEqual([expect.stringMatching(/^big\.group1-shard1of2\.[0-9a-f]{8}\.bin$/), expect.stringMatching(/^big\.group1-shard2of2\.[0-9a-f]{8}\.bin$/)]);
    expect(readFileSync(join(dir, json.weightsManifest[0].paths[0])).length).toBe(4 * 1024 * 1024);
    const back = await loadModel(join(dir, 'big.json'));
    expect(Array.from(back.weights[0].value.data.subarray(0, 50))).toEqual(Array.from(big.weights[0].value.data.subarray(0, 50)));
    expect(Array.from(back.weights[0].value.data.subarray(-50))).toEqual(Array.from(big.weights[0].value.data.subarray(-50)));
  });

  test('a plain model JSON (to_json) loads the architecture', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'arch.json'), mlp().toJSON());
    const m = await loadModel(join(dir, 'arch.json'));
    expect(m.layers.map((l) => l.name)).toEqual(['d1', 'd2']);
    await expect(loadWeights(m, join(dir, 'arch.json'))).rejects.toThrow("arch.json: a JSON file without 'weightsManifest': it holds no weights");
  });
});

describe('TF.js saves are atomic as a whole', () => {
  const model = (seed: number) => {
    const m = new Sequential({ layers: [new Dense({ units: 3, inputShape: [2] })] });
    m.setWeights([new Tensor([2, 3], 'float32', Float32Array.from({ length: 6 }, (_, i) => seed + i)), new Tensor([3], 'float32', new Float32Array(3).fill(seed))]);
    return m;
  };
  const x = new Tensor([1, 2], 'float32', Float32Array.from([1, -1]));
  const predict = async (m: Model) => Array.from(onlyOutput(await m.predict(x)).data);
  const shards = (dir: string) => (JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8')).weightsManifest[0].paths as string[]);

  test('overwriting a model replaces it whole and removes the shards only the old one used', async () => {
    const dir = tempDir();
    await saveModel(model(1), join(dir, 'model.json'));
    const old = shards(dir);
    await saveModel(model(2), join(dir, 'model.json'));
    expect(await predict(await loadModel(join(dir, 'model.json')))).toEqual(await predict(model(2)));
    expect(readdirSync(dir).sort()).toEqual([...shards(dir), 'model.json'].sort());
    expect(shards(dir)).not.toEqual(old);
  });

  test('a save that fails half-way leaves the previous model loading as it was, and nothing of its own', async () => {
    const dir = tempDir();
    await saveModel(model(1), join(dir, 'model.json'));
    const before = readdirSync(dir).sort();
    // Learn the new model's shard name elsewhere, then block it here with a folder of that name.
    const scratch = tempDir();
    await saveModel(model(2), join(scratch, 'model.json'));
    mkdirSync(join(dir, shards(scratch)[0]));
    await expect(saveModel(model(2), join(dir, 'model.json'))).rejects.toThrow(/cannot save .*model\.json/);
    expect(await predict(await loadModel(join(dir, 'model.json')))).toEqual(await predict(model(1)));
    expect(readdirSync(dir).sort()).toEqual([...before, shards(scratch)[0]].sort());
  });
});
