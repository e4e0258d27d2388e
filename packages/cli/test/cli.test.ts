import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/main.js';

const here = dirname(fileURLToPath(import.meta.url));
const GOLDENS = join(here, '..', '..', '..', 'conformance', 'goldens', 'keras-3.16.0-torch');
const FILES = join(GOLDENS, 'files');

interface JsonTensor {
  shape: number[];
  dtype: string;
  data: (number | string)[];
}

const training = (name: string) => JSON.parse(readFileSync(join(GOLDENS, 'training', `${name}.json`), 'utf8')) as Record<string, unknown>;

/** Runs the CLI in-process in `cwd`, collecting what it prints. */
async function run(cwd: string, ...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { cwd, out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

function expectClose(actual: JsonTensor | JsonTensor[], golden: JsonTensor | JsonTensor[], rtol: number, atol: number): void {
  const a = Array.isArray(actual) ? actual : [actual];
  const g = Array.isArray(golden) ? golden : [golden];
  expect(a.length).toBe(g.length);
  a.forEach((t, k) => {
    expect(t.shape).toEqual(g[k].shape);
    t.data.forEach((v, i) => {
      const want = Number(g[k].data[i]);
      expect(Math.abs(Number(v) - want)).toBeLessThanOrEqual(atol + rtol * Math.abs(want));
    });
  });
}

/** The part of onnxruntime-node's API the ONNX test uses (the CLI does not depend on it directly). */
interface Ort {
  Tensor: new (type: 'float32', data: Float32Array, dims: readonly number[]) => unknown;
  InferenceSession: {
    create(path: string): Promise<{
      inputNames: readonly string[];
      outputNames: readonly string[];
      run(feeds: Record<string, unknown>): Promise<Record<string, { dims: readonly number[]; data: ArrayLike<number> }>>;
      release(): Promise<void>;
    }>;
  };
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'keras-ts-cli-'));
  const mlp = training('mlp_adam_cce');
  writeFileSync(join(dir, 'x.json'), JSON.stringify(mlp.x));
  const two = training('functional_two_inputs_bce');
  writeFileSync(join(dir, 'x2.json'), JSON.stringify(two.x));
  const [a, b] = two.x as JsonTensor[];
  writeFileSync(join(dir, 'x2-named.json'), JSON.stringify({ b, a }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('keras-ts summary', () => {
  it('escapes control characters in names from the file (no raw ANSI escapes reach the terminal)', async () => {
    const evil = '\u001b[31mred\u001b[0m\rlayer\u0007';
    const config = { class_name: 'Sequential', config: { name: 'seq', layers: [{ class_name: 'Dense', config: { name: evil, units: 2, batch_input_shape: [null, 3] } }] } };
    writeFileSync(join(dir, 'evil.json'), JSON.stringify(config));
    const r = await run(dir, 'summary', 'evil.json');
    expect(r.code, r.err.join('\n')).toBe(0);
    const text = r.out.join('\n');
    expect(text).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(text).toContain('\\x1b[31mred\\x1b[0m\\x0dlayer\\x07');
  });

  it("prints Keras' summary table of a .keras file", async () => {
    const r = await run(dir, 'summary', join(FILES, 'mlp_adam_cce.keras'));
    expect(r.code).toBe(0);
    const text = r.out.join('\n');
    expect(text).toContain('Model: "sequential"');
    expect(text).toContain('dense_20 (Dense)');
    expect(text).toContain('dense_21 (Dense)');
    expect(text).toContain('Total params: 67');
    expect(r.err).toEqual([]);
  });

  it('reads a legacy .h5 functional model (with the "Connected to" column) and honours --line-length', async () => {
    const r = await run(FILES, 'summary', 'functional_two_inputs_bce.h5', '--line-length', '120');
    expect(r.code).toBe(0);
    expect(r.out.join('\n')).toContain('Connected to');
    expect(r.out.some((l) => l.length === 120)).toBe(true);
  });
});

describe('keras-ts predict', () => {
  it('refuses an --output that is one of its inputs (the model, the input JSON), even through a link', async () => {
    const model = join(dir, 'own.keras');
    writeFileSync(model, readFileSync(join(FILES, 'mlp_adam_cce.keras')));
    const before = readFileSync(model);
    for (const out of [model, 'x.json']) {
      const r = await run(dir, 'predict', model, '--input', 'x.json', '--output', out);
      expect(r.code).toBe(2);
      expect(r.err.join('\n')).toMatch(/is one of the inputs .*it would be overwritten/);
    }
    expect(readFileSync(model).equals(before)).toBe(true);
  });

  it('refuses dtype names that are not dtypes (prototype keys) and int32 values out of range', async () => {
    for (const [dtype, data, want] of [
      ['constructor', [1, 2, 3, 4], /unknown dtype "constructor"/],
      ['__proto__', [1, 2, 3, 4], /unknown dtype "__proto__"/],
      ['toString', [1, 2, 3, 4], /unknown dtype "toString"/],
      ['int32', [1, 2, 2 ** 40, 4], /data\[2\] is 1099511627776, outside the int32 range/],
    ] as const) {
      writeFileSync(join(dir, 'bad.json'), JSON.stringify({ shape: [1, 4], dtype, data }));
      const r = await run(dir, 'predict', join(FILES, 'mlp_adam_cce.keras'), '--input', 'bad.json');
      expect(r.code).toBe(1);
      expect(r.err.join('\n')).toMatch(want);
    }
  });

  it("reproduces the training case's predict_after from the saved .keras file", async () => {
    const c = training('mlp_adam_cce');
    const r = await run(dir, 'predict', join(FILES, 'mlp_adam_cce.keras'), '--input', 'x.json');
    expect(r.code).toBe(0);
    const tol = c.tolerance as { rtol: number; atol: number };
    expectClose(JSON.parse(r.out.join('\n')), c.predict_after as JsonTensor, tol.rtol, tol.atol);
  });

  it('writes the outputs with --output (atomically: no temporary file is left)', async () => {
    const c = training('mlp_adam_cce');
    const r = await run(dir, 'predict', join(FILES, 'mlp_adam_cce.h5'), '--input', 'x.json', '--output', 'y.json', '--batch-size', '5');
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^wrote .*y\.json \(float32\(16, 3\)\)$/);
    expectClose(JSON.parse(readFileSync(join(dir, 'y.json'), 'utf8')), c.predict_after as JsonTensor, 1e-3, 1e-4);
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('takes several inputs as a list or by input name', async () => {
    const c = training('functional_two_inputs_bce');
    for (const input of ['x2.json', 'x2-named.json']) {
      const r = await run(dir, 'predict', join(FILES, 'functional_two_inputs_bce.keras'), '--input', input);
      expect(r.code).toBe(0);
      expectClose(JSON.parse(r.out.join('\n')), c.predict_after as JsonTensor, 1e-3, 1e-4);
    }
  });

  for (const backend of ['tfjs', 'onnx']) {
    it(`runs on --backend ${backend}`, async () => {
      const c = training('mlp_adam_cce');
      const r = await run(dir, 'predict', join(FILES, 'mlp_adam_cce.keras'), '--input', 'x.json', '--backend', backend);
      expect(r.err.filter((l) => l.startsWith('keras-ts'))).toEqual([]);
      expect(r.code).toBe(0);
      expectClose(JSON.parse(r.out.join('\n')), c.predict_after as JsonTensor, 1e-3, 1e-4);
    });
  }
});

describe('keras-ts convert', () => {
  it('.keras -> .h5 -> TF.js -> .keras round-trips the predictions exactly', async () => {
    const predict = async (file: string): Promise<JsonTensor> => {
      const r = await run(dir, 'predict', file, '--input', 'x.json');
      expect(r.code).toBe(0);
      return JSON.parse(r.out.join('\n')) as JsonTensor;
    };
    const original = await predict(join(FILES, 'mlp_adam_cce.keras'));
    const steps: [string, string][] = [
      [join(FILES, 'mlp_adam_cce.keras'), 'rt.h5'],
      ['rt.h5', 'rt-tfjs/'],
      ['rt-tfjs', 'rt.keras'],
    ];
    for (const [from, to] of steps) {
      const r = await run(dir, 'convert', from, to);
      expect(r.code, r.err.join('\n')).toBe(0);
      expect(r.out[0]).toMatch(/^wrote /);
    }
    // Shards are named by their content (the save is atomic as a whole).
    expect(readdirSync(join(dir, 'rt-tfjs')).sort()).toEqual([expect.stringMatching(/^group1-shard1of1\.[0-9a-f]{8}\.bin$/), 'model.json']);
    for (const f of ['rt.h5', 'rt-tfjs/model.json', 'rt.keras']) expect(await predict(f)).toEqual(original);
  });

  it('writes weights only and Keras JSON, which predict together again', async () => {
    const src = join(FILES, 'lstm_rmsprop_mse.keras');
    expect((await run(dir, 'convert', src, 'lstm.weights.h5')).code).toBe(0);
    expect((await run(dir, 'convert', src, 'lstm-arch.json')).code).toBe(0);
    const arch = JSON.parse(readFileSync(join(dir, 'lstm-arch.json'), 'utf8')) as { class_name: string; keras_version: string };
    expect(arch.class_name).toBe('Sequential');
    const c = training('lstm_rmsprop_mse');
    writeFileSync(join(dir, 'x-lstm.json'), JSON.stringify(c.x));
    const r = await run(dir, 'predict', 'lstm-arch.json', '--weights', 'lstm.weights.h5', '--input', 'x-lstm.json');
    expect(r.code).toBe(0);
    expect(r.err).toEqual([]);
    expectClose(JSON.parse(r.out.join('\n')), c.predict_after as JsonTensor, 1e-3, 1e-4);
    // Without --weights, the architecture loads with fresh weights and a note.
    const fresh = await run(dir, 'summary', 'lstm-arch.json');
    expect(fresh.code).toBe(0);
    expect(fresh.err.join('\n')).toMatch(/only the architecture/);
  });

  it('exports the predict graph to ONNX, which onnxruntime runs to the same outputs', async () => {
    const c = training('functional_two_inputs_bce');
    const r = await run(dir, 'convert', join(FILES, 'functional_two_inputs_bce.keras'), 'two.onnx');
    expect(r.code, r.err.join('\n')).toBe(0);
    expect(r.out[0]).toMatch(/ONNX model, model 'functional_5', dynamic batch/);
    // onnxruntime-node: a devDependency, the runtime backend-onnx uses.
    const require = createRequire(import.meta.url);
    const ort = require('onnxruntime-node') as Ort;
    const session = await ort.InferenceSession.create(join(dir, 'two.onnx'));
    try {
      expect(session.inputNames).toEqual(['a', 'b']);
      const [a, b] = c.x as JsonTensor[];
      const feeds = { a: new ort.Tensor('float32', Float32Array.from(a.data as number[]), a.shape), b: new ort.Tensor('float32', Float32Array.from(b.data as number[]), b.shape) };
      const out = await session.run(feeds);
      const y = out[session.outputNames[0]];
      expectClose({ shape: [...y.dims], dtype: 'float32', data: Array.from(y.data) }, c.predict_after as JsonTensor, 1e-3, 1e-4);
    } finally {
      await session.release();
    }
  });
});

describe('keras-ts errors', () => {
  const oneLineError = (r: { code: number; err: string[] }, code: number, pattern: RegExp) => {
    expect(r.code).toBe(code);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toMatch(pattern);
  };

  it('a missing model file', async () => {
    oneLineError(await run(dir, 'summary', 'nope.keras'), 1, /^keras-ts summary: .*nope\.keras: no such file$/);
  });

  it('a missing input file', async () => {
    oneLineError(await run(dir, 'predict', join(FILES, 'mlp_adam_cce.keras'), '--input', 'nope.json'), 1, /nope\.json: no such file/);
  });

  it('an unknown output format', async () => {
    oneLineError(await run(dir, 'convert', join(FILES, 'mlp_adam_cce.keras'), 'out.xyz'), 1, /unknown output format for 'out\.xyz'/);
    expect(readdirSync(dir)).not.toContain('out.xyz');
  });

  it('a file that is not a model', async () => {
    writeFileSync(join(dir, 'junk.bin'), 'not a model at all');
    oneLineError(await run(dir, 'summary', 'junk.bin'), 1, /junk\.bin: not a model file/);
  });

  it('a weights-only file given as the model', async () => {
    oneLineError(await run(dir, 'summary', join(FILES, 'mlp_adam_cce.weights.h5')), 1, /holds only weights, not a model: .* pass this file as --weights/);
  });

  it('bad input JSON', async () => {
    writeFileSync(join(dir, 'bad.json'), '{"shape": [2, 4');
    oneLineError(await run(dir, 'predict', join(FILES, 'mlp_adam_cce.keras'), '--input', 'bad.json'), 1, /bad\.json: not valid JSON/);
    writeFileSync(join(dir, 'short.json'), '{"shape": [2, 4], "dtype": "float32", "data": [1, 2]}');
    oneLineError(await run(dir, 'predict', join(FILES, 'mlp_adam_cce.keras'), '--input', 'short.json'), 1, /shape \[2,4\] needs 8 values, "data" has 2/);
    writeFileSync(join(dir, 'notensor.json'), '{"values": 3}');
    oneLineError(await run(dir, 'predict', join(FILES, 'mlp_adam_cce.keras'), '--input', 'notensor.json'), 1, /expected a tensor/);
  });

  it('a shape that does not fit the model, and the wrong number of inputs', async () => {
    writeFileSync(join(dir, 'wide.json'), JSON.stringify({ shape: [2, 5], dtype: 'float32', data: Array(10).fill(0) }));
    oneLineError(await run(dir, 'predict', join(FILES, 'mlp_adam_cce.keras'), '--input', 'wide.json'), 1, /input 'input_layer' has shape \(2, 5\), but model 'sequential' expects \(None, 4\)/);
    oneLineError(await run(dir, 'predict', join(FILES, 'mlp_adam_cce.keras'), '--input', 'x2.json'), 1, /gives 2 tensors, but model 'sequential' takes 1 input/);
    oneLineError(await run(dir, 'predict', join(FILES, 'functional_two_inputs_bce.keras'), '--input', 'x.json'), 1, /gives 1 tensor, but model 'functional_5' takes 2 inputs: 'a' \(None, 4\), 'b' \(None, 3\)/);
  });

  it('writing where it cannot leaves nothing behind', async () => {
    oneLineError(await run(dir, 'predict', join(FILES, 'mlp_adam_cce.keras'), '--input', 'x.json', '--output', 'no/such/dir/y.json'), 1, /the directory .*no\/such\/dir does not exist/);
  });

  it('usage errors exit 2 and point at --help', async () => {
    oneLineError(await run(dir, 'predict', join(FILES, 'mlp_adam_cce.keras')), 2, /--input T\.json is required \(see keras-ts predict --help\)/);
    oneLineError(await run(dir, 'predict', join(FILES, 'mlp_adam_cce.keras'), '--input', 'x.json', '--backend', 'jax'), 2, /unknown backend 'jax'/);
    oneLineError(await run(dir, 'predict', join(FILES, 'mlp_adam_cce.keras'), '--input', 'x.json', '--batch-size', '0'), 2, /--batch-size must be a positive integer/);
    oneLineError(await run(dir, 'convert', 'a.keras'), 2, /missing OUT/);
    oneLineError(await run(dir, 'summary', 'a.keras', '--frob'), 2, /unknown option --frob/);
    oneLineError(await run(dir, 'frob'), 2, /unknown command 'frob'/);
  });

  it('--help for every command', async () => {
    for (const cmd of ['summary', 'predict', 'convert']) {
      const r = await run(dir, cmd, '--help');
      expect(r.code).toBe(0);
      expect(r.out.join('\n')).toMatch(new RegExp(`^usage: keras-ts ${cmd} `));
    }
    const top = await run(dir, '--help');
    expect(top.code).toBe(0);
    expect(top.out.join('\n')).toContain('summary FILE');
    expect((await run(dir, 'help', 'convert')).out.join('\n')).toMatch(/^usage: keras-ts convert/);
  });
});
