import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTsBackend } from '@keras-ts/backend-ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globMatcher, main } from '../src/cli.js';
import { findSkip, loadSkipList, prefixCovers, runConformance, validateSkipList, type CaseResult, type GoldenCase } from '../src/index.js';
import { familiesOf, summaryLine } from '../src/report.js';

// The suite has to be able to fail: each perturbed copy of a real golden below must fail, with a
// message that says what is wrong, and every case that is not run must be a skip with a reason.

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, '..');
const GOLDENS = join(ROOT, 'goldens', 'keras-3.16.0-torch');
const HANDWRITTEN = join(ROOT, 'cases-handwritten');

type Json = Record<string, any>;
const golden = (id: string): Json => JSON.parse(readFileSync(join(GOLDENS, `${id}.json`), 'utf8'));
const writeCase = (dir: string, c: Json, file = `${c.id}.json`): void => {
  const p = join(dir, ...file.split('/'));
  mkdirSync(dirname(p), { recursive: true });
  writeFileSync(p, JSON.stringify(c));
};
const byId = (rs: readonly CaseResult[], id: string): CaseResult => {
  const r = rs.find((x) => x.id === id);
  if (!r) throw new Error(`no result for ${id}; got ${rs.map((x) => x.id).join(', ')}`);
  return r;
};

let tmp: string;
let perturbed: string;
beforeAll(() => {
  tmp = mkdtempSync(join(tmpdir(), 'keras-ts-conformance-'));
  perturbed = join(tmp, 'perturbed');

  const relu = golden('activations/relu');
  writeCase(perturbed, { ...relu, id: 'selftest/relu_unchanged' });
  const off = structuredClone(relu);
  off.id = 'selftest/relu_value_beyond_tolerance';
  expect(off.outputs[0].data[13]).toBe(0.5); // relu(0.5)
  off.outputs[0].data[13] = 0.5009765625; // 0.5 + 2^-10: exact in float32, far beyond atol 1e-6 + rtol 1e-5 * 0.5
  writeCase(perturbed, off);

  const dense = golden('layers/Dense/act_relu');
  writeCase(perturbed, { ...dense, id: 'selftest/dense_unchanged' });
  const shape = structuredClone(dense);
  shape.id = 'selftest/dense_wrong_shape';
  expect(shape.outputs[0].shape).toEqual([2, 4]);
  shape.outputs[0].shape = [4, 2];
  writeCase(perturbed, shape);
  const missing = structuredClone(dense);
  missing.id = 'selftest/dense_missing_weight';
  missing.weights = missing.weights.filter((w: Json) => w.name !== 'dense_1/bias');
  expect(missing.weights).toHaveLength(1);
  writeCase(perturbed, missing);
}, 30_000);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the suite fails what is wrong', () => {
  it('passes the unchanged copies and fails each perturbed one with a clear message', async () => {
    const rs = await runConformance(createTsBackend(), { caseDirs: [perturbed] });
    expect(rs).toHaveLength(5);
    expect(byId(rs, 'selftest/relu_unchanged').status).toBe('pass');
    expect(byId(rs, 'selftest/dense_unchanged').status).toBe('pass');

    const value = byId(rs, 'selftest/relu_value_beyond_tolerance');
    expect(value.status).toBe('fail');
    expect(value.reason).toBe('output: element 13 is 0.5, expected 0.5009765625 (|diff| 9.766e-4 > atol 0.000001 + rtol 0.00001 * |expected|)');
    expect(value.maxAbsError).toBeCloseTo(0.0009765625, 10);

    const shape = byId(rs, 'selftest/dense_wrong_shape');
    expect(shape.status).toBe('fail');
    expect(shape.reason).toBe('output 0: shape [2,4], expected [4,2]');

    const missing = byId(rs, 'selftest/dense_missing_weight');
    expect(missing.status).toBe('fail');
    expect(missing.reason).toMatch(/has 2 weights \(.*kernel\[5,4\], .*bias\[4\]\); the golden has 1 \(dense_1\/kernel\[5,4\]\)$/);

    for (const r of rs) {
      expect(r.backend).toBe('ts');
      expect(r.ms).toBeGreaterThanOrEqual(0);
    }
    expect(summaryLine(rs)).toBe('2 passed, 3 failed, 0 skipped');
  });

  it('fails a file that is not a case, and a second case with an id already seen', async () => {
    const dir = join(tmp, 'broken');
    writeCase(dir, { note: 'no format' }, 'not_a_case.json');
    mkdirSync(join(dir, 'sub'), { recursive: true });
    writeFileSync(join(dir, 'sub', 'truncated.json'), '{"format": "keras-golden/1", "id": ');
    const relu = golden('activations/relu');
    writeCase(dir, relu, 'a/relu.json');
    writeCase(dir, relu, 'b/relu.json');
    const rs = await runConformance(createTsBackend(), { caseDirs: [dir] });
    expect(byId(rs, 'not_a_case')).toMatchObject({ status: 'fail', reason: 'not a valid case file: not_a_case.json: format is undefined, expected "keras-golden/1"' });
    expect(byId(rs, 'sub/truncated').status).toBe('fail');
    expect(byId(rs, 'sub/truncated').reason).toMatch(/^not a valid case file: sub[/\\]truncated\.json: not valid JSON/);
    const dups = rs.filter((r) => r.id === 'activations/relu');
    expect(dups.map((r) => r.status)).toEqual(['pass', 'fail']);
    expect(dups[1].reason).toMatch(/^duplicate case id: .*b[/\\]relu\.json has the id of .*a[/\\]relu\.json/);
  });
});

describe('a case that is not run is a skip with its reason, never a pass', () => {
  it('skips an unknown kind with a reason', async () => {
    const dir = join(tmp, 'unknown-kind');
    writeCase(dir, { format: 'keras-golden/1', id: 'selftest/quantum', kind: 'quantum', keras_version: '9', backend: 'none', tolerance: { rtol: 0, atol: 0 } });
    const [r] = await runConformance(createTsBackend(), { caseDirs: [dir] });
    expect(r.status).toBe('skip');
    expect(r.reason).toMatch(/^case kind 'quantum' is not supported by the runner \(known kinds: activation, layer, loss, optimizer, metric, model, training\)$/);
  });

  it('reports skip-list entries (by id and by prefix) as skips with their reasons', async () => {
    const skips = validateSkipList([
      { id: 'selftest/relu_value_beyond_tolerance', reason: 'a known difference', evidence: 'issue 99' },
      { prefix: 'selftest/dense', reason: 'a prefix covers whole segments only' },
      { prefix: 'selftest', reason: 'the selftest family is not ready' },
    ]);
    const rs = await runConformance(createTsBackend(), { caseDirs: [perturbed], skip: skips });
    expect(byId(rs, 'selftest/relu_value_beyond_tolerance')).toMatchObject({ status: 'skip', reason: 'skip list: a known difference (evidence: issue 99)' });
    expect(byId(rs, 'selftest/relu_value_beyond_tolerance').ms).toBeUndefined();
    for (const id of ['selftest/relu_unchanged', 'selftest/dense_unchanged', 'selftest/dense_wrong_shape', 'selftest/dense_missing_weight']) {
      expect(byId(rs, id)).toMatchObject({ status: 'skip', reason: 'skip list: the selftest family is not ready' });
    }
    expect(summaryLine(rs)).toBe('0 passed, 0 failed, 5 skipped');
    // The longest prefix wins; a prefix ending in '/' covers everything below it.
    const list = validateSkipList([
      { prefix: 'layers', reason: 'short' },
      { prefix: 'layers/LSTM', reason: 'long' },
    ]);
    expect(findSkip('layers/LSTM/basic', list)?.reason).toBe('long');
    expect(findSkip('layers/LSTMCell/basic', list)?.reason).toBe('short');
    expect(findSkip('layersX/a', list)).toBeUndefined();
    expect(prefixCovers('layers/LST/', 'layers/LST/a')).toBe(true);
    // The record form: keys ending in '/' are prefixes.
    const rec = await runConformance(createTsBackend(), { caseDirs: [perturbed], skip: { 'selftest/': 'everything' } });
    expect(rec.every((r) => r.status === 'skip' && r.reason === 'skip list: everything')).toBe(true);
  });

  it('refuses a skip entry without a reason, or with neither or both of id and prefix', async () => {
    expect(() => validateSkipList([{ id: 'layers/LSTM/basic' }], 'x.json')).toThrow('x.json: entry 0 (layers/LSTM/basic) has no reason; every skip needs one');
    expect(() => validateSkipList([{ id: 'a', reason: '  ' }])).toThrow(/has no reason/);
    expect(() => validateSkipList([{ reason: 'r' }])).toThrow(/exactly one of "id" or "prefix"/);
    expect(() => validateSkipList([{ id: 'a', prefix: 'b', reason: 'r' }])).toThrow(/exactly one of "id" or "prefix"/);
    expect(() => validateSkipList([{ id: 'a', reson: 'typo' }])).toThrow(/unknown key 'reson'/);
    const file = join(tmp, 'skips.json');
    writeFileSync(file, JSON.stringify({ skips: [{ prefix: 'layers/LSTM', reason: 'r' }] }));
    expect(await loadSkipList(file)).toEqual([{ prefix: 'layers/LSTM', reason: 'r', evidence: undefined }]);
  });

  it('the ts skip list is valid and every entry has a reason', async () => {
    const entries = await loadSkipList(join(ROOT, 'skips', 'ts.json'));
    for (const e of entries) expect(e.reason.trim()).not.toBe('');
  });
});

describe('the CLI', () => {
  const quiet = () => {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) } };
  };

  it('writes --json and --html atomically and exits non-zero on a failure', async () => {
    const { out, io } = quiet();
    const reports = join(tmp, 'reports');
    const code = await main(['--backend', 'ts', '--cases', 'perturbed', '--json', 'reports/r.json', '--html', 'reports/r.html'], { ...io, cwd: tmp });
    expect(code).toBe(1);
    expect(out.at(-1)).toBe('2 passed, 3 failed, 0 skipped');
    expect(out.some((l) => l.startsWith('  FAIL selftest/dense_wrong_shape: output 0: shape [2,4], expected [4,2]'))).toBe(true);
    expect(readdirSync(reports).sort()).toEqual(['r.html', 'r.json']); // no temporary file left behind

    const json = JSON.parse(readFileSync(join(reports, 'r.json'), 'utf8'));
    expect(json.summary).toEqual({ passed: 2, failed: 3, skipped: 0 });
    expect(json.results).toHaveLength(5);
    for (const r of json.results) expect(Object.keys(r)).toEqual(expect.arrayContaining(['id', 'backend', 'status', 'maxAbsError', 'maxRelError', 'reason', 'ms']));
    const shape = json.results.find((r: Json) => r.id === 'selftest/dense_wrong_shape');
    expect(shape).toMatchObject({ backend: 'ts', status: 'fail', reason: 'output 0: shape [2,4], expected [4,2]' });
    expect(typeof shape.ms).toBe('number');

    const html = readFileSync(join(reports, 'r.html'), 'utf8');
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|src="http/); // self-contained
    expect(html).toContain('<table class="matrix">');
    expect(html).toContain('selftest/dense_missing_weight');
    expect(html).toContain('output 0: shape [2,4], expected [4,2]');
    expect(html).toContain('|diff| 9.766e-4 &gt; atol'); // reasons are escaped
    expect(html).toContain('2 / 3 / 0');
  });

  it('runs a backend given as a module, skipping training by capability', async () => {
    const dir = join(tmp, 'training');
    writeCase(dir, golden('training/early_stopping'));
    writeCase(dir, golden('activations/tanh'));
    const { out, io } = quiet();
    const code = await main(['--backend', './test/fixtures/no-training-backend.ts', '--cases', dir, '--json', join(tmp, 'mod.json')], { ...io, cwd: ROOT });
    expect(code).toBe(0);
    expect(out.at(-1)).toBe('1 passed, 0 failed, 1 skipped');
    const json = JSON.parse(readFileSync(join(tmp, 'mod.json'), 'utf8'));
    expect(json.results.find((r: Json) => r.id === 'training/early_stopping')).toMatchObject({
      backend: 'ts-no-training',
      status: 'skip',
      reason: "backend 'ts-no-training' does not train (capabilities.training is false)",
    });
  });

  it('runs the cases on a backend asked for by name (tfjs on its cpu backend)', async () => {
    const { io } = quiet();
    const code = await main(['--backend', 'tfjs', '--cases', perturbed, '--json', join(tmp, 'tfjs.json')], { ...io, cwd: tmp });
    const json = JSON.parse(readFileSync(join(tmp, 'tfjs.json'), 'utf8'));
    expect(json.results.length).toBeGreaterThan(0);
    expect(json.results.every((r: Json) => r.backend === 'tfjs-cpu' && r.status !== 'skip')).toBe(true);
    // The perturbed copies fail on every backend, so the run fails.
    expect(json.results.some((r: Json) => r.status === 'fail')).toBe(true);
    expect(code).toBe(1);
  });

  it('refuses bad arguments and unknown backends with exit code 2', async () => {
    const a = quiet();
    expect(await main(['--frobnicate'], { ...a.io, cwd: tmp })).toBe(2);
    expect(a.err[0]).toMatch(/^unknown argument --frobnicate/);
    const b = quiet();
    expect(await main(['--backend', 'no-such-backend-xyz', '--cases', perturbed], { ...b.io, cwd: tmp })).toBe(2);
    expect(b.err[0]).toMatch(/'no-such-backend-xyz' is not a known backend \(ts, tfjs, tfjs-wasm, onnx, all\) and cannot be imported/);
    const c = quiet();
    expect(await main(['--cases', 'does-not-exist'], { ...c.io, cwd: tmp })).toBe(2);
    expect(c.err[0]).toMatch(/does-not-exist does not exist/);
  });

  it('runs as a process: a directory it has not seen before, given relative to INIT_CWD, and exit codes', () => {
    const ext = join(tmp, 'external');
    writeCase(join(ext, 'good'), golden('layers/Dense/rank3'));
    writeCase(join(ext, 'bad'), JSON.parse(readFileSync(join(perturbed, 'selftest', 'dense_wrong_shape.json'), 'utf8')));
    // As `pnpm conformance` runs it: tsx on src/cli.ts inside conformance/, with INIT_CWD the
    // directory the user ran pnpm from (npx would reset INIT_CWD, so call the tsx binary).
    const tsx = join(ROOT, '..', 'node_modules', '.bin', 'tsx');
    const run = (dir: string) =>
      spawnSync(tsx, ['--conditions=keras-ts-source', join(ROOT, 'src', 'cli.ts'), '--backend', 'ts', '--cases', dir], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, INIT_CWD: ext } });
    const good = run('good');
    expect(good.status, good.stderr).toBe(0);
    expect(good.stdout.trimEnd().split('\n').at(-1)).toBe('1 passed, 0 failed, 0 skipped');
    const bad = run('bad');
    expect(bad.status, bad.stderr).toBe(1);
    expect(bad.stdout.trimEnd().split('\n').at(-1)).toBe('0 passed, 1 failed, 0 skipped');
  }, 60_000);

  it('filters ids by glob', () => {
    expect(globMatcher('layers/LSTM')('layers/LSTM/basic')).toBe(true);
    expect(globMatcher('layers/*/basic')('layers/GRU/basic')).toBe(true);
    expect(globMatcher('layers/*')('layers/GRU/basic')).toBe(false);
    expect(globMatcher('layers/**')('layers/GRU/basic')).toBe(true);
    // `**` matches no segment too, in the middle as at the end; `?` is one character of a segment.
    expect(globMatcher('layers/**/basic')('layers/basic')).toBe(true);
    expect(globMatcher('layers/**/basic')('layers/GRU/x/basic')).toBe(true);
    expect(globMatcher('layers/Conv?D/*')('layers/Conv2D/same')).toBe(true);
    expect(globMatcher('layers/Conv?D/*')('layers/Conv2DTranspose/same')).toBe(false);
    expect(globMatcher('layers/*LSTM*/*')('layers/ConvLSTM2D/basic')).toBe(true);
    // Every other character is itself (no regular expression syntax).
    expect(globMatcher('losses/*.x')('losses/mse.x')).toBe(true);
    expect(globMatcher('losses/*.x')('losses/msex')).toBe(false);
    expect(globMatcher('layers/(a|b)*')('layers/(a|b)1')).toBe(true);
  });

  it('groups ids into families of their first two segments', () => {
    const f = familiesOf(['layers/LSTM/basic', 'layers/LSTM/return_state', 'activations/relu', 'losses/Huber/delta1', 'losses/MeanSquaredError', 'losses/MeanSquaredError/sample_weight', 'handwritten/models/x']);
    expect(Object.fromEntries(f)).toEqual({
      'layers/LSTM/basic': 'layers/LSTM',
      'layers/LSTM/return_state': 'layers/LSTM',
      'activations/relu': 'activations',
      'losses/Huber/delta1': 'losses/Huber',
      'losses/MeanSquaredError': 'losses/MeanSquaredError',
      'losses/MeanSquaredError/sample_weight': 'losses/MeanSquaredError',
      'handwritten/models/x': 'handwritten/models',
    });
  });
});

// The hand-written cases are checked here against the formulas they state, independently of
// keras-ts, so that a failure of one on a backend is the backend's and not the arithmetic's.
describe('the hand-written cases', () => {
  const files: string[] = [];
  const walk = (d: string) => {
    for (const n of readdirSync(d, { withFileTypes: true })) {
      if (n.isDirectory()) walk(join(d, n.name));
      else if (n.name.endsWith('.json')) files.push(join(d, n.name));
    }
  };
  walk(HANDWRITTEN);
  // fuzz/ holds the shrunk differences of the oracle fuzzer (conformance/oracle/fuzz.ts): numbers
  // real Keras computed, not hand-written; checked on their own below.
  const FUZZ = join(HANDWRITTEN, 'fuzz');
  const fuzzFiles = files.filter((f) => f.startsWith(FUZZ + sep));
  const cases = files.filter((f) => !fuzzFiles.includes(f)).map((f) => ({ file: f, c: JSON.parse(readFileSync(f, 'utf8')) as GoldenCase & Json }));

  it('under fuzz/ are the fuzzer\'s, marked as such, with the numbers of real Keras', () => {
    for (const file of fuzzFiles) {
      const c = JSON.parse(readFileSync(file, 'utf8')) as GoldenCase & Json;
      expect(c.id).toBe(`handwritten/${relative(HANDWRITTEN, file).slice(0, -5).split(sep).join('/')}`);
      expect(c).toMatchObject({ format: 'keras-golden/1', fuzz: true, backend: 'tensorflow-cpu-float32' });
      expect(['model', 'training']).toContain(c.kind);
      expect(c.keras_version).toMatch(/^3\./);
      expect(c.note).toMatch(/^Found by the differential fuzzer/);
    }
  });

  it('are marked as hand-written, with a note, under the handwritten/ prefix', () => {
    expect(cases.length).toBeGreaterThanOrEqual(5);
    for (const { file, c } of cases) {
      const rel = relative(HANDWRITTEN, file).slice(0, -5).split(sep).join('/');
      expect(c.id).toBe(`handwritten/${rel}`);
      expect(c).toMatchObject({ format: 'keras-golden/1', handwritten: true, keras_version: '2.x (hand-written)', backend: 'hand-computed' });
      expect(c.note).toMatch(/^Written by hand/);
    }
  });

  const t = (x: Json) => ({ shape: x.shape as number[], data: x.data as number[] });
  const close = (a: number[], b: number[]) => {
    expect(a.length).toBe(b.length);
    a.forEach((v, i) => expect(Math.abs(v - b[i])).toBeLessThan(1e-6));
  };

  it('hold Keras 2 hard_sigmoid and LeakyReLU(alpha) values', () => {
    for (const { c } of cases) {
      if (c.kind === 'activation' && c.activation === 'hard_sigmoid') close(t(c.outputs[0]).data, t(c.inputs[0]).data.map((x) => Math.min(1, Math.max(0, 0.2 * x + 0.5))));
      if (c.kind === 'layer' && c.layer.class_name === 'LeakyReLU') {
        const alpha = c.layer.config.alpha as number;
        expect(typeof alpha).toBe('number');
        close(t(c.outputs[0]).data, t(c.inputs[0]).data.map((x) => (x > 0 ? x : alpha * x)));
      }
    }
  });

  it('hold the outputs of their Keras 2 models', () => {
    type M = number[][];
    const rows = (x: Json): M => {
      const { shape, data } = t(x);
      const n = shape.slice(1).reduce((a, b) => a * b, 1);
      return Array.from({ length: shape[0] }, (_, i) => data.slice(i * n, (i + 1) * n));
    };
    const act = (name: string, v: number) => (name === 'relu' ? Math.max(0, v) : name === 'linear' ? v : NaN);
    const apply = (layer: Json, ins: M[], weights: Json[]): M => {
      const cfg = layer.config;
      if (layer.class_name === 'Flatten' || layer.class_name === 'InputLayer') return ins[0];
      if (layer.class_name === 'Activation') return ins[0].map((r) => r.map((v) => act(cfg.activation, v)));
      if (layer.class_name === 'Add') return ins[0].map((r, i) => r.map((v, j) => ins.reduce((s, m) => s + m[i][j], 0)));
      if (layer.class_name === 'Dense') {
        const k = weights.shift() as Json;
        const b = cfg.use_bias ? (weights.shift() as Json).data : new Array(cfg.units).fill(0);
        const [nIn, nOut] = k.shape;
        return ins[0].map((r) => Array.from({ length: nOut }, (_, j) => act(cfg.activation, r.reduce((s, v, i) => s + v * k.data[i * nOut + j], b[j]))));
      }
      throw new Error(`the checker does not know ${layer.class_name}`);
    };
    let checked = 0;
    for (const { c } of cases.filter((x) => x.c.kind === 'model')) {
      const weights = [...c.weights];
      const cfg = c.model.config;
      let y: M;
      if (c.model.class_name === 'Sequential') {
        y = rows(c.inputs[0]);
        for (const l of cfg.layers) y = apply(l, [y], weights);
      } else {
        const values = new Map<string, M>();
        for (const l of cfg.layers) {
          const ins = l.inbound_nodes.length ? (l.inbound_nodes[0] as [string][]).map(([name]) => values.get(name) as M) : [rows(c.inputs[cfg.input_layers.findIndex(([n]: [string]) => n === l.name)])];
          values.set(l.name, apply(l, ins, weights));
        }
        y = values.get(cfg.output_layers[0][0]) as M;
      }
      expect(weights).toHaveLength(0);
      close(y.flat(), t(c.outputs[0]).data);
      checked++;
    }
    expect(checked).toBeGreaterThanOrEqual(3);
  });
});
