/**
 * backend-ts on every core against backend-ts on one thread (issue #18: "at least 1.7x faster on
 * this 2-core machine than on one thread for the 512³ matmul and the MobileNetV2 predict"). Two
 * peers per workload, in the same process, interleaved like every other workload:
 *
 * - `keras-ts/ts threads=1`: createTsBackend({ threads: 1 }), everything on the calling thread;
 * - `keras-ts/ts threads=N`: createTsBackend() with its default, N = the available cores (or
 *   KERAS_TS_THREADS), large kernels split across worker threads.
 *
 * The matmul compiles one graph on each backend. MobileNetV2 runs the backend-ts peer of the
 * model workload (mobilenet.ts) once per peer, its one model compiled on each backend: the
 * workloads' backend-ts (common.ts) becomes a switch whose executables run on the threads=1
 * backend while that peer runs, on the default one otherwise (so every other workload sees
 * the default backend-ts, as before).
 */
import type { Backend, Executable, Graph, HostTensor } from '@keras-ts/spec';
import { ops, trace } from '@keras-ts/spec';
import { createTs, oursName, randomData, setWorkloadTsBackend, type Peer, type Workload } from './common.js';
import { mobilenetWorkload } from './mobilenet.js';

/** Peer names; the target is the second against the first. */
const ONE = `${oursName('ts')} threads=1`;
const many = (threads: number): string => `${oursName('ts')} threads=${threads}`;

/** The threads a backend-ts with default options uses. */
function threadsOf(backend: Backend): number {
  return (backend as Backend & { options: { threads: number } }).options.threads;
}

/** Waits for a backend-ts' worker threads to load, so no measured run falls back to one thread. */
async function ready(backend: Backend): Promise<void> {
  await (backend as Backend & { threadsReady(): Promise<void> }).threadsReady();
}

/** The workloads' backend-ts: the default backend, or the threads=1 one while `single` is set. */
class ThreadsSwitch implements Backend {
  readonly name = 'ts';
  single = false;
  constructor(
    readonly one: Backend,
    readonly all: Backend,
  ) {}
  get capabilities() {
    return this.all.capabilities;
  }
  compile(graph: Graph): Executable {
    let a: Executable | null = null;
    let b: Executable | null = null;
    const pick = (): Executable => (this.single ? (a ??= this.one.compile(graph)) : (b ??= this.all.compile(graph)));
    return {
      run: (inputs: readonly HostTensor[]) => pick().run(inputs),
      runSync: (inputs: readonly HostTensor[]) => pick().runSync!(inputs),
      dispose: () => {
        a?.dispose();
        b?.dispose();
      },
    };
  }
}

function targets(threads: number) {
  return [{ peer: many(threads), against: ONE, min: 1.7, text: '>= 1.7x faster' }];
}

function matmulThreads(one: Backend, all: Backend, n = 512): Workload {
  const host: HostTensor[] = [1, 2].map((seed) => ({ shape: [n, n], dtype: 'float32', data: randomData(n * n, seed) }));
  const graph = (): Graph => trace((a, b) => ops.matmul(a, b), [{ shape: [n, n], dtype: 'float32' }, { shape: [n, n], dtype: 'float32' }]);
  const peer = (name: string, backend: Backend): Peer => {
    let out: Float32Array = new Float32Array(0);
    return {
      name,
      async setup() {
        await ready(backend);
        const exe = backend.compile(graph());
        return () => {
          out = exe.runSync!(host)[0].data as Float32Array;
        };
      },
      output: () => out,
    };
  };
  return {
    name: `threads: matmul ${n}x${n}x${n}`,
    flops: 2 * n * n * n,
    peers: [peer(ONE, one), peer(many(threadsOf(all)), all)],
    references: [ONE],
    checkAgainst: ONE,
    targets: targets(threadsOf(all)),
    tolerance: 0,
  };
}

function mobilenetThreads(sw: ThreadsSwitch): Workload {
  const base = mobilenetWorkload();
  const ts = base.peers.find((p) => p.name === oursName('ts'))!;
  let run: Promise<() => void | Promise<void>> | null = null;
  const peer = (name: string, single: boolean): Peer => ({
    name,
    async setup() {
      await ready(sw.all);
      const f = await (run ??= ts.setup());
      return async () => {
        sw.single = single;
        try {
          await f();
        } finally {
          sw.single = false;
        }
      };
    },
    output: () => ts.output!(),
  });
  return {
    ...base,
    name: `threads: ${base.name}`,
    peers: [peer(ONE, true), peer(many(threadsOf(sw.all)), false)],
    references: [ONE],
    checkAgainst: ONE,
    targets: targets(threadsOf(sw.all)),
    tolerance: 0,
  };
}

/** The two workloads: the 512³ matmul and MobileNetV2 (alpha 0.35, batch 8) predict. */
export function threadsWorkloads(): Workload[] {
  const one = createTs({ threads: 1 });
  const all = createTs();
  const sw = new ThreadsSwitch(one, all);
  setWorkloadTsBackend(sw);
  return [matmulThreads(one, all), mobilenetThreads(sw)];
}
