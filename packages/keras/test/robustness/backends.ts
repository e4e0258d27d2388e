/**
 * The backends the robustness tests run on (like tfjs' ALL_ENVS): one shared spec, run once per
 * backend. Each backend package is imported lazily (the keras package does not depend on them);
 * a backend that cannot be imported or created here is skipped with the reason, not failed.
 *
 * Used by memory.test.ts, faults.test.ts and checkpoint-child.ts (which gets a `key` on its
 * command line and creates that backend in the child process).
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Backend, Executable } from '@keras-ts/spec';
import { createTsBackend } from '@keras-ts/backend-ts';

const PACKAGES = join(dirname(fileURLToPath(import.meta.url)), '../../..');

export type BackendKey = 'ts' | 'tfjs-cpu' | 'tfjs-wasm' | 'onnx';

export interface BackendCandidate {
  /** The name shown in test titles. */
  readonly name: string;
  /** A short name, e.g. for a child process' command line. */
  readonly key: BackendKey;
  /** Creates the backend (throws if it cannot run here). */
  readonly make: () => Promise<Backend>;
  /**
   * Backend-specific counts of memory held that must not grow over a long run (tensors alive,
   * buffers planned, ...), given the executables alive.
   */
  readonly counters: (live: Iterable<Executable>) => Record<string, number>;
  /** Frees everything the backend holds. */
  readonly dispose?: (b: Backend) => void;
  /**
   * Known behaviours where this backend differs from TF, by the name of the test that shows it,
   * each with the reason: that test is expected to fail on this backend (and reports when it no
   * longer does).
   */
  readonly knownIssues?: Readonly<Record<string, string>>;
}

type TfjsModule = typeof import('../../../backend-tfjs/src/index.js');
type OnnxModule = typeof import('../../../backend-onnx/src/index.js');

const tfjs = async (): Promise<TfjsModule> => (await import(join(PACKAGES, 'backend-tfjs/src/index.ts'))) as TfjsModule;
const onnx = async (): Promise<OnnxModule> => (await import(join(PACKAGES, 'backend-onnx/src/index.ts'))) as OnnxModule;

/** tfjs' count of tensors alive (on its active backend, which backend-tfjs switches to on each run). */
function tfjsTensors(): Record<string, number> {
  const tf = createRequire(join(PACKAGES, 'backend-tfjs/package.json'))('@tensorflow/tfjs') as { memory(): { numTensors: number } };
  return { tensors: tf.memory().numTensors };
}

const disposeAll = (b: Backend) => (b as unknown as { dispose(): void }).dispose();

export const BACKENDS: readonly BackendCandidate[] = [
  {
    name: 'backend-ts',
    key: 'ts',
    make: async () => createTsBackend(),
    // Each executable's memory plan: its buffers are made once and reused on every run.
    counters: (live) => ({ buffers: [...live].reduce((n, e) => n + ((e as { bufferCount?: number }).bufferCount ?? 0), 0) }),
  },
  {
    name: 'backend-tfjs (cpu)',
    key: 'tfjs-cpu',
    make: async () => (await tfjs()).createTfjsBackend({ backend: 'cpu' }),
    counters: tfjsTensors,
    dispose: disposeAll,
  },
  {
    name: 'backend-tfjs (wasm)',
    key: 'tfjs-wasm',
    make: async () => (await tfjs()).createTfjsBackend({ backend: 'wasm' }),
    counters: tfjsTensors,
    dispose: disposeAll,
  },
  {
    name: 'backend-onnx',
    key: 'onnx',
    make: async () => (await onnx()).createOnnxBackend(),
    counters: () => ({}),
    dispose: disposeAll,
  },
];

/** The candidate of a key (throws on an unknown key). */
export function backendByKey(key: string): BackendCandidate {
  const c = BACKENDS.find((b) => b.key === key);
  if (!c) throw new Error(`unknown backend '${key}' (one of ${BACKENDS.map((b) => b.key).join(', ')})`);
  return c;
}

/** Each backend created, or the reason it cannot run here (by candidate name). */
export type Availability = Map<string, { backend: Backend } | { reason: string }>;

/** Creates every candidate's backend, recording the reason for those that cannot run here. */
export async function loadBackends(candidates: readonly BackendCandidate[] = BACKENDS): Promise<Availability> {
  const ready: Availability = new Map();
  for (const c of candidates) {
    try {
      ready.set(c.name, { backend: await c.make() });
    } catch (e) {
      ready.set(c.name, { reason: `${c.name} is not available here: ${String((e as Error)?.message ?? e).split('\n')[0]}` });
    }
  }
  return ready;
}
