import * as tf from '@tensorflow/tfjs';
import { KernelRegistry, ops, prepareGraph, trace, type Graph, type HostTensor, type Sym } from '@keras-ts/spec';
import { describe, expect, it } from 'vitest';
import { createTfjsBackend, TfjsExecutable, type Kernel, type TfjsBackend } from '../src/index.js';

const f32 = (data: ArrayLike<number>, shape: number[], stable = false): HostTensor => ({ shape, dtype: 'float32', data: Float32Array.from(data), stable });

function rand(shape: number[], seed: number): HostTensor {
  let s = seed >>> 0;
  const n = shape.reduce((a, b) => a * b, 1);
  return f32(Array.from({ length: n }, () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 4294967296) * 2 - 1), shape);
}

function expectClose(a: HostTensor, b: HostTensor, tol = 1e-5): void {
  expect(a.shape).toEqual(b.shape);
  for (let i = 0; i < a.data.length; i++) expect(Math.abs(a.data[i] - b.data[i])).toBeLessThanOrEqual(tol * (1 + Math.abs(b.data[i])));
}

const cpu = await createTfjsBackend({ backend: 'cpu' });
const wasm = await createTfjsBackend({ backend: 'wasm' });
const cpuPlain = await createTfjsBackend({ backend: 'cpu', fuse: false });

/** The ops `backend` runs for `g` after the spec's passes (placeholders and constants left out). */
const planned = (backend: TfjsBackend, g: Graph): string[] =>
  prepareGraph(g, (op) => backend.kernels.has(op))
    .nodes.filter((n) => n.op !== 'placeholder' && n.op !== 'constant')
    .map((n) => n.op);

for (const backend of [cpu, wasm] as TfjsBackend[]) {
  describe(`backend-tfjs executor on ${backend.name}`, () => {
    it('names itself and states its capabilities', () => {
      expect(backend.capabilities.sync).toBe(true);
      expect(backend.capabilities.training).toBe(true);
      expect(backend.capabilities.fusedKernels).toEqual(expect.arrayContaining(['softmax', 'log_softmax']));
      expect(backend.capabilities.fusedKernels.every((op) => backend.kernels.has(op))).toBe(true);
    });

    it('fuses matmul + bias + relu, with a bias sliced from a rank-2 tensor', () => {
      // dense(x) = relu(x @ w + b), b taken from a [2, 5] tensor (a GRU-style packed bias).
      const build = (x: Sym, w: Sym, bb: Sym) => ops.relu(ops.add(ops.matmul(x, w), ops.reshape(ops.slice(bb, [1, 0], [1, 5]), [5])));
      const specs = [
        { shape: [3, 4], dtype: 'float32' as const },
        { shape: [4, 5], dtype: 'float32' as const },
        { shape: [2, 5], dtype: 'float32' as const },
      ];
      const inputs = [rand([3, 4], 1), rand([4, 5], 2), rand([2, 5], 3)];
      expect(planned(backend, trace(build, specs))).toEqual(['slice', 'reshape', 'fused_matmul']);
      expect(planned(cpuPlain, trace(build, specs))).toEqual(['matmul', 'slice', 'reshape', 'add', 'relu']);
      const [fused] = backend.compile(trace(build, specs)).runSync(inputs);
      const [plain] = cpuPlain.compile(trace(build, specs)).runSync(inputs);
      expectClose(fused, plain);
      expect(Math.min(...fused.data)).toBe(0);
    });

    it('matmul with a transposed operand + bias + relu gives what the unfused ops give', () => {
      // tfjs 4.22's wasm _FusedMatMul adds the bias wrongly when an operand is transposed.
      for (const [tA, tB] of [[true, false], [false, true], [true, true]]) {
        const build = (x: Sym, w: Sym, b: Sym) => ops.relu(ops.add(ops.matmul(x, w, tA, tB), b));
        const xs = tA ? [7, 5] : [5, 7];
        const ws = tB ? [3, 7] : [7, 3];
        const specs = [xs, ws, [3]].map((shape) => ({ shape, dtype: 'float32' as const }));
        const inputs = [rand(xs, 11), rand(ws, 12), rand([3], 13)];
        const [fused] = backend.compile(trace(build, specs)).runSync(inputs);
        const [plain] = cpuPlain.compile(trace(build, specs)).runSync(inputs);
        expectClose(fused, plain);
      }
    });

    it('fuses conv + bias + sigmoid (rank 1 causal and rank 2 same)', () => {
      for (const [rank, xs, ws, padding] of [
        [1, [2, 7, 3], [3, 3, 4], 'causal'],
        [2, [2, 5, 6, 3], [3, 2, 3, 4], 'same'],
      ] as const) {
        const build = (x: Sym, w: Sym, b: Sym) => ops.sigmoid(ops.add(b, ops.conv(x, w, { padding, strides: rank === 2 ? [2, 1] : 1 })));
        const specs = [
          { shape: [...xs], dtype: 'float32' as const },
          { shape: [...ws], dtype: 'float32' as const },
          { shape: [4], dtype: 'float32' as const },
        ];
        const inputs = [rand([...xs], 4), rand([...ws], 5), rand([4], 6)];
        const [fused] = backend.compile(trace(build, specs)).runSync(inputs);
        const [plain] = cpuPlain.compile(trace(build, specs)).runSync(inputs);
        expectClose(fused, plain);
      }
    });

    it('runs x * s + t with per-channel s, t (inference batch norm) as one batchNorm, NaN and infinities kept', () => {
      // s as [1, 1, 1, C] (the frontend's reshape), t as [C], either operand order.
      const build = (x: Sym, s: Sym, t: Sym) => ops.add(t, ops.mul(ops.reshape(s, [1, 1, 1, 3]), x));
      const specs = [
        { shape: [2, 4, 5, 3], dtype: 'float32' as const },
        { shape: [3], dtype: 'float32' as const },
        { shape: [3], dtype: 'float32' as const },
      ];
      const x = rand([2, 4, 5, 3], 7);
      const xd = x.data as Float32Array;
      xd[0] = Number.NaN;
      xd[1] = Number.POSITIVE_INFINITY;
      xd[2] = Number.NEGATIVE_INFINITY;
      const inputs = [x, rand([3], 8), rand([3], 9)];
      const g = trace(build, specs);
      expect(planned(backend, g)).toEqual(['reshape', 'scale_shift']);
      // The run leaves nothing behind (the executable's own constants, made at compile time, stay).
      const fusedExe = backend.compile(trace(build, specs));
      const before = tf.memory().numTensors;
      const [fused] = fusedExe.runSync(inputs);
      expect(tf.memory().numTensors).toBe(before);
      const [plain] = cpuPlain.compile(trace(build, specs)).runSync(inputs);
      expect(Number.isNaN(fused.data[0])).toBe(true);
      expect(fused.data[1]).toBe(plain.data[1]);
      expect(fused.data[2]).toBe(plain.data[2]);
      for (let i = 0; i < 3; i++) (fused.data as Float32Array)[i] = (plain.data as Float32Array)[i] = 0;
      expectClose(fused, plain);
      // A traced graph whose mul has another reader is left alone (and still right).
      const shared = (xx: Sym, s: Sym, t: Sym) => {
        const m = ops.mul(xx, s);
        return ops.add(ops.add(m, t), m);
      };
      expect(planned(backend, trace(shared, specs))).not.toContain('scale_shift');
      const [a] = backend.compile(trace(shared, specs)).runSync(inputs);
      const [b] = cpuPlain.compile(trace(shared, specs)).runSync(inputs);
      expect(Number.isNaN(a.data[0])).toBe(true);
      for (let i = 0; i < 3; i++) (a.data as Float32Array)[i] = (b.data as Float32Array)[i] = 0;
      expectClose(a, b);
    });

    it('computes what depends only on stable inputs once per set of stable objects, and again when one changes', () => {
      // y = x * (s / sqrt(v)) + t: the scale depends on the weights only.
      const build = (x: Sym, s: Sym, v: Sym, t: Sym) => ops.add(ops.mul(x, ops.div(s, ops.sqrt(v))), t);
      const specs = [[4, 3], [3], [3], [3]].map((shape) => ({ shape, dtype: 'float32' as const }));
      const before = tf.memory().numTensors;
      const exe = backend.compile(trace(build, specs));
      const plainExe = cpuPlain.compile(trace(build, specs));
      const weights = (seed: number) => [rand([3], seed), f32([1, 4, 9], [3], true), rand([3], seed + 1)].map((w) => ({ ...w, stable: true }));
      let w = weights(20);
      let held = 0;
      for (let run = 0; run < 6; run++) {
        if (run === 4) w = weights(30); // a new weight object: recomputed, the old values released
        const x = rand([4, 3], 40 + run);
        const [y] = exe.runSync([x, ...w]);
        const [want] = plainExe.runSync([x, ...w]);
        expectClose(y, want);
        // Only the stable inputs' device copies and (from the second run with the same objects on)
        // the kept values remain; the first run with new weights drops the old kept values.
        if (run === 2) held = tf.memory().numTensors;
        if (run === 3 || run === 5) expect(tf.memory().numTensors).toBe(held);
        if (run === 4) expect(tf.memory().numTensors).toBeLessThan(held);
      }
      expect(held).toBeGreaterThan(before);
      exe.dispose();
      plainExe.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });

    it('ctx.memo makes a value once per tensor: reused while a stable input is the same object, remade for another, freed on dispose', () => {
      // A kernel for neg that reads its input through ctx.memo (as webgl's depthwise filter does).
      const kernels = new KernelRegistry<Kernel>('memo-test');
      let made = 0;
      kernels.register('neg', (_node, _infos, ctx) => {
        const doubled = ctx.memo((t) => {
          made++;
          return tf.mul(t, tf.scalar(2));
        });
        return ([t]) => tf.neg(doubled(t));
      });
      const g = trace((w: Sym) => ops.neg(w), [{ shape: [3], dtype: 'float32' }]);
      const before = tf.memory().numTensors;
      const exe = new TfjsExecutable(g, kernels, backend.name === 'tfjs-cpu' ? 'cpu' : 'wasm');
      const w1 = f32([1, 2, 3], [3], true);
      for (let run = 0; run < 3; run++) expect([...exe.runSync([w1])[0].data]).toEqual([-2, -4, -6]);
      expect(made).toBe(1);
      const w2 = f32([4, 5, 6], [3], true);
      expect([...exe.runSync([w2])[0].data]).toEqual([-8, -10, -12]);
      expect([...exe.runSync([w2])[0].data]).toEqual([-8, -10, -12]);
      expect(made).toBe(2);
      // A value that is not stable is a new tensor every run: made each time.
      expect([...exe.runSync([f32([1, 1, 1], [3])])[0].data]).toEqual([-2, -2, -2]);
      expect(made).toBe(3);
      exe.dispose();
      expect(tf.memory().numTensors).toBe(before);
    });

    it('runs depthwise transposes and filter gradients as one depthwise conv, equal to one conv per channel', () => {
      const N = 2, H = 5, W = 4, C = 3, M = 2;
      for (const o of [
        { strides: [2, 2], padding: 'same' as const },
        { dilations: [2, 1], padding: [[1, 0], [0, 2]] as [number, number][] },
      ]) {
        const opts = { ...o, groups: C };
        const xShape = [N, H, W, C];
        const wShape = [3, 2, 1, C * M];
        const yShape = trace((x, w) => ops.conv(x, w, opts), [{ shape: xShape, dtype: 'float32' }, { shape: wShape, dtype: 'float32' }]).nodes.at(-1)!.shape;
        const specs = [
          { shape: xShape, dtype: 'float32' as const },
          { shape: wShape, dtype: 'float32' as const },
          { shape: [...yShape], dtype: 'float32' as const },
        ];
        const whole = (x: Sym, w: Sym, dy: Sym) => [ops.convTranspose(dy, w, xShape, opts), ops.convBackpropFilter(x, dy, wShape, opts)];
        const perChannel = (x: Sym, w: Sym, dy: Sym) => {
          const dxs: Sym[] = [];
          const dws: Sym[] = [];
          for (let c = 0; c < C; c++) {
            const xc = ops.slice(x, [0, 0, 0, c], [-1, -1, -1, 1]);
            const wc = ops.slice(w, [0, 0, 0, c * M], [-1, -1, -1, M]);
            const dyc = ops.slice(dy, [0, 0, 0, c * M], [-1, -1, -1, M]);
            dxs.push(ops.convTranspose(dyc, wc, [N, H, W, 1], { ...o }));
            dws.push(ops.convBackpropFilter(xc, dyc, [3, 2, 1, M], { ...o }));
          }
          return [ops.concat(dxs, -1), ops.concat(dws, -1)];
        };
        const inputs = [rand(xShape, 11), rand(wShape, 12), rand([...yShape], 13)];
        const a = backend.compile(trace(whole, specs)).runSync(inputs);
        const b = backend.compile(trace(perChannel, specs)).runSync(inputs);
        expectClose(a[0], b[0]);
        expectClose(a[1], b[1]);
      }
    });

    it('uploads a stable input once per slot and replaces it when another object arrives', () => {
      const exe = backend.compile(trace((x, w) => ops.matmul(x, w), [{ shape: [2, 3], dtype: 'float32' }, { shape: [3, 2], dtype: 'float32' }]));
      const w1 = f32([1, 0, 0, 1, 1, 1], [3, 2], true);
      const x = f32([1, 2, 3, 4, 5, 6], [2, 3]);
      const before = tf.memory().numTensors;
      expect(Array.from(exe.runSync([x, w1])[0].data)).toEqual([4, 5, 10, 11]);
      const cached = tf.memory().numTensors;
      expect(cached).toBe(before + 1);
      for (let i = 0; i < 5; i++) exe.runSync([x, w1]);
      expect(tf.memory().numTensors).toBe(cached);
      const w2 = f32([2, 0, 0, 2, 0, 0], [3, 2], true);
      expect(Array.from(exe.runSync([x, w2])[0].data)).toEqual([2, 4, 8, 10]);
      expect(tf.memory().numTensors).toBe(cached);
      exe.dispose();
      expect(tf.memory().numTensors).toBe(before);
      expect(() => exe.runSync([x, w2])).toThrow(/disposed/);
    });

    it('returns outputs that do not alias inputs, constants or each other', () => {
      const exe = backend.compile(
        trace((x) => {
          const c = ops.constant(x.graph, [7, 8], [2]);
          return [ops.identity(x), ops.reshape(x, [2, 1]), ops.identity(c), ops.identity(c)];
        }, [{ shape: [2], dtype: 'float32' }]),
      );
      const x = f32([1, 2], [2], true);
      const outs = exe.runSync([x]);
      for (const o of outs) (o.data as Float32Array)[0] = 99;
      expect(Array.from(x.data)).toEqual([1, 2]);
      const again = exe.runSync([x]);
      expect(again.map((o) => o.data[0])).toEqual([1, 1, 7, 7]);
      exe.dispose();
    });

    it('checks inputs against the graph', () => {
      const exe = backend.compile(trace((x) => ops.neg(x), [{ shape: [2], dtype: 'float32' }]));
      expect(() => exe.runSync([f32([1, 2, 3], [3])])).toThrow(/input 0 \('input_0'\) must be float32\[2\], got float32\[3\]/);
      expect(() => exe.runSync([])).toThrow(/takes 1 input\(s\), got 0/);
      exe.dispose();
    });

    it('rejects gather indices out of range, leaking nothing', () => {
      const exe = backend.compile(trace((p, i) => ops.gather(ops.exp(p), i), [{ shape: [3], dtype: 'float32' }, { shape: [2], dtype: 'int32' }]));
      const before = tf.memory().numTensors;
      expect(() => exe.runSync([f32([1, 2, 3], [3]), { shape: [2], dtype: 'int32', data: Int32Array.from([0, 3]) }])).toThrow(/indices\[1\] = 3 is out of range for axis 0 of size 3/);
      expect(tf.memory().numTensors).toBe(before);
      exe.dispose();
    });
  });
}

describe('backend-tfjs with both tfjs backends in one process', () => {
  it('switches the active tfjs backend per run', () => {
    const g = () => trace((x) => ops.softmax(ops.mul(x, 2)), [{ shape: [2, 3], dtype: 'float32' }]);
    const a = cpu.compile(g());
    const b = wasm.compile(g());
    const x = rand([2, 3], 9);
    const [ya] = a.runSync([x]);
    const [yb] = b.runSync([x]);
    expect(tf.getBackend()).toBe('wasm');
    const [ya2] = a.runSync([x]);
    expect(tf.getBackend()).toBe('cpu');
    expectClose(yb, ya);
    expectClose(ya2, ya, 0);
    a.dispose();
    b.dispose();
  });
});
