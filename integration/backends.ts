/**
 * Every backend the integration tests run on (like tfjs' ALL_ENVS): a test is one shared spec,
 * declared once per backend. Each backend package is imported lazily; a backend that cannot be
 * imported or created here is skipped with the reason, never counted as passed.
 *
 * Used by the layer harness (layers/), the robustness tests (robustness/) and checkpoint-child.ts
 * (which gets a `key` on its command line and creates that backend in the child process).
 */
import type { Backend, Executable } from '@keras-ts/spec';
import { createTsBackend } from '@keras-ts/backend-ts';

/** The short name of a backend; also the name of its skip list in conformance/skips/. */
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
  readonly counters: (live: Iterable<Executable>) => Promise<Record<string, number>>;
  /** Frees everything the backend holds. */
  readonly dispose?: (b: Backend) => void;
  /**
   * Known behaviours where this backend differs from TF, by the name of the test that shows it,
   * each with the reason: that test is expected to fail on this backend (and reports when it no
   * longer does).
   */
  readonly knownIssues?: Readonly<Record<string, string>>;
}

/** tfjs' count of tensors alive (on its active backend, which backend-tfjs switches to on each run). */
async function tfjsTensors(): Promise<Record<string, number>> {
  const tf = await import('@tensorflow/tfjs');
  return { tensors: tf.memory().numTensors };
}

const disposeAll = (b: Backend) => b.dispose?.();

export const BACKENDS: readonly BackendCandidate[] = [
  {
    name: 'backend-ts',
    key: 'ts',
    make: async () => createTsBackend(),
    // Each executable's memory plan: its buffers are made once and reused on every run.
    counters: async (live) => ({ buffers: [...live].reduce((n, e) => n + ((e as { bufferCount?: number }).bufferCount ?? 0), 0) }),
  },
  {
    name: 'backend-tfjs (cpu)',
    key: 'tfjs-cpu',
    make: async () => (await import('@keras-ts/backend-tfjs')).createTfjsBackend({ backend: 'cpu' }),
    counters: tfjsTensors,
    dispose: disposeAll,
  },
  {
    name: 'backend-tfjs (wasm)',
    key: 'tfjs-wasm',
    make: async () => (await import('@keras-ts/backend-tfjs')).createTfjsBackend({ backend: 'wasm' }),
    counters: tfjsTensors,
    dispose: disposeAll,
  },
  {
    name: 'backend-onnx',
    key: 'onnx',
    make: async () => (await import('@keras-ts/backend-onnx')).createOnnxBackend(),
    counters: async () => ({}),
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
