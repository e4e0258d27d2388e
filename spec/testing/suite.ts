import { describe, expect, it } from 'vitest';
import { allOps, grad, KerasValueError, ops, sizeOf, trace, Sym, type Backend, type HostTensor } from '../src/index.js';
import type { OpCase, TensorLit } from './case.js';
import { OpCheckFailure } from './failure.js';
import { ALL_CASES } from './cases/index.js';

/** Ops whose gradient rule is not checked against finite differences, and why. */
export const GRAD_CHECK_EXEMPT: Readonly<Record<string, string>> = {
  stop_gradient: 'its gradient is zero by definition, which finite differences cannot see',
  cast: 'only a float32 to float32 cast carries a gradient, and that cast is elided by the builder',
};

/** Ops that need no case of their own, and why. */
export const CASE_EXEMPT: Readonly<Record<string, string>> = {
  placeholder: 'every case feeds its inputs through placeholders',
};

/** Primitive ops an executable handles itself, with no kernel, and why. */
export const KERNEL_EXEMPT: Readonly<Record<string, string>> = {
  placeholder: "an executable binds the graph's inputs itself",
  constant: 'an executable holds constants itself',
};

/**
 * Which of the spec's elementwise op tables declares `op` ('unary', 'binary', or 'elementwise'
 * for where, cast and clip), or null for other ops. Elementwise ops have their cases in the file
 * of that name under spec/testing/cases/.
 * @example elementwiseFamily('relu') // 'unary'; elementwiseFamily('matmul') // null
 */
export function elementwiseFamily(op: string): 'unary' | 'binary' | 'elementwise' | null {
  if (op in ops.UNARY) return 'unary';
  if (op in ops.BINARY) return 'binary';
  return op === 'where' || op === 'cast' || op === 'clip' ? 'elementwise' : null;
}

/** Where a case for `op` goes, for the coverage check's messages. */
function caseHome(op: string): string {
  const family = elementwiseFamily(op);
  return family ? `spec/testing/cases/${family}.ts` : 'the case file of its op family in spec/testing/cases/';
}

/** What the suite checks a backend's kernels against (see {@link SuiteOptions.kernels}). */
export interface KernelCoverage {
  /** Whether the backend has a kernel (or lowering) for `op`. */
  has(op: string): boolean;
  /** Where a kernel for `op` goes in the backend (a file, and the table in it), named when one is missing. */
  home(op: string): string;
}

/** Options of {@link describeOpSuite}. */
export interface SuiteOptions {
  /** Case names this backend skips, each with its reason. */
  readonly skip?: Readonly<Record<string, string>>;
  /**
   * The backend's kernels: the suite then checks that every primitive op has one (a test per op,
   * failing with the place the kernel goes), besides running the cases.
   */
  readonly kernels?: KernelCoverage;
}

function close(actual: number, expected: number, rtol: number, atol: number): boolean {
  if (Number.isNaN(expected)) return Number.isNaN(actual);
  if (!Number.isFinite(expected)) return actual === expected;
  return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
}

/** Compares a result with an expected tensor; throws with the first mismatch. */
export function expectTensorClose(actual: HostTensor, expected: TensorLit, rtol = 1e-5, atol = 1e-6, label = 'output'): void {
  expect(`${actual.dtype}[${actual.shape.join(',')}]`, `${label}: dtype and shape`).toBe(`${expected.dtype}[${expected.shape.join(',')}]`);
  for (let i = 0; i < expected.data.length; i++) {
    if (!close(actual.data[i], expected.data[i], rtol, atol)) {
      throw new OpCheckFailure(
        `${label}: element ${i} is ${actual.data[i]}, expected ${expected.data[i]} (rtol ${rtol}, atol ${atol})\n` +
          `  actual:   [${Array.from(actual.data.slice(0, 24)).map((v) => +v.toFixed(6))}]\n` +
          `  expected: [${Array.from(expected.data.slice(0, 24)).map((v) => +v.toFixed(6))}]`,
      );
    }
  }
}

async function runForward(backend: Backend, c: OpCase): Promise<HostTensor[]> {
  const g = trace(c.build, c.inputs);
  const exe = backend.compile(g);
  try {
    return await exe.run(c.inputs);
  } finally {
    exe.dispose();
  }
}

/** A fixed, well-spread weighting of an output so that sum(w * y) sees every element. */
function weights(shape: readonly number[], k: number): Float32Array {
  const n = sizeOf(shape);
  const w = new Float32Array(n);
  for (let i = 0; i < n; i++) w[i] = 0.5 + (((i * 7 + k * 13) % 11) / 11) * 1.0;
  return w;
}

async function checkGradient(backend: Backend, c: OpCase): Promise<void> {
  const spec = typeof c.grad === 'object' ? c.grad : {};
  const wrt = spec.wrt ?? c.inputs.map((x, i) => (x.dtype === 'float32' ? i : -1)).filter((i) => i >= 0);
  const rtol = spec.rtol ?? 2e-2;
  const atol = spec.atol ?? 2e-3;
  const eps = spec.eps ?? 1e-2;
  const g = trace((...xs: Sym[]) => {
    const out = c.build(...xs);
    const outs: readonly Sym[] = out instanceof Sym ? [out] : out;
    let loss: Sym | null = null;
    outs.forEach((y, k) => {
      if (y.dtype !== 'float32') return;
      const w = ops.constant(y.graph, weights(y.shape, k), y.shape);
      const term = ops.sum(ops.mul(y, w));
      loss = loss ? ops.add(loss, term) : term;
    });
    if (!loss) throw new KerasValueError('gradient check: the case has no float32 output');
    const grads = grad([loss], wrt.map((i) => xs[i]));
    return [loss, ...grads];
  }, c.inputs);
  const exe = backend.compile(g);
  try {
    const inputs = c.inputs.map((x) => ({ ...x, data: x.data.slice() }));
    const [, ...analytic] = await exe.run(inputs);
    for (let k = 0; k < wrt.length; k++) {
      const x = inputs[wrt[k]].data as Float32Array;
      for (let i = 0; i < x.length; i++) {
        const orig = x[i];
        x[i] = orig + eps;
        const [lp] = await exe.run(inputs);
        x[i] = orig - eps;
        const [lm] = await exe.run(inputs);
        x[i] = orig;
        const numeric = (lp.data[0] - lm.data[0]) / (2 * eps);
        const a = analytic[k].data[i];
        if (!close(a, numeric, rtol, atol)) {
          throw new OpCheckFailure(`gradient of input ${wrt[k]}, element ${i}: autodiff gives ${a}, finite differences ${numeric} (eps ${eps})`);
        }
      }
    }
  } finally {
    exe.dispose();
  }
}

/**
 * The shared op suite: every case of every op family, run on the backend `make` creates, with
 * forward values and finite-difference gradient checks. Each backend's tests call this once.
 *
 * @example describeOpSuite('ts', () => createTsBackend());
 */
export function describeOpSuite(name: string, make: () => Backend, options: SuiteOptions = {}): void {
  describe(`op suite on ${name}`, () => {
    const backend = make();
    const kernels = options.kernels;
    if (kernels) {
      describe('kernel coverage', () => {
        for (const def of allOps()) {
          if (def.kind !== 'primitive' || KERNEL_EXEMPT[def.name]) continue;
          it(`${def.name} has a kernel`, () => {
            expect(kernels.has(def.name), `backend ${name} has no kernel for primitive op '${def.name}': add one in ${kernels.home(def.name)}`).toBe(true);
          });
        }
      });
    }
    for (const [family, cases] of Object.entries(ALL_CASES)) {
      if (cases.length === 0) continue;
      describe(family, () => {
        for (const c of cases) {
          const reason = options.skip?.[c.name];
          if (reason) {
            it.skip(`${c.name} (skipped: ${reason})`, () => {});
            continue;
          }
          it(c.name, async () => {
            if (c.throws) {
              expect(() => trace(c.build, c.inputs)).toThrow(c.throws);
              return;
            }
            const outs = await runForward(backend, c);
            if (c.expected) {
              const exp = (Array.isArray(c.expected) ? c.expected : [c.expected]) as TensorLit[];
              expect(outs.length).toBe(exp.length);
              exp.forEach((e, k) => expectTensorClose(outs[k], e, c.rtol ?? 1e-5, c.atol ?? 1e-6, `output ${k}`));
            }
            c.check?.(outs);
            if (!c.expected && !c.check) throw new KerasValueError(`case '${c.name}': a case needs expected values, a check, or throws`);
            if (c.grad) await checkGradient(backend, c);
          });
        }
      });
    }
  });
}

/**
 * Checks that every op of the spec has a forward case and, where differentiable, a gradient check;
 * a missing one fails naming the file its case goes in.
 */
export function describeOpCoverage(): void {
  describe('op suite coverage', () => {
    const all = Object.values(ALL_CASES).flat();
    const forward = new Set(all.filter((c) => !c.throws).flatMap((c) => c.ops));
    const graded = new Set(all.filter((c) => c.grad).flatMap((c) => c.ops));
    for (const def of allOps()) {
      if (CASE_EXEMPT[def.name]) continue;
      it(`${def.name} has a forward case`, () => {
        expect(forward.has(def.name), `no forward case lists op '${def.name}': add one in ${caseHome(def.name)}`).toBe(true);
      });
      const differentiable = !!def.grad || def.kind === 'composite';
      if (differentiable && !GRAD_CHECK_EXEMPT[def.name]) {
        it(`${def.name} has a gradient check`, () => {
          expect(graded.has(def.name), `no gradient-checked case lists op '${def.name}': add \`grad: true\` to one of its cases in ${caseHome(def.name)}`).toBe(true);
        });
      }
    }
  });
}
