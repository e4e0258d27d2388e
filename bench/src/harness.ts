/**
 * The measuring part of `pnpm bench`: the shapes of a workload and its contestants (peers), the
 * interleaved timing loop, memory sampling, the cross-check of outputs and the speed ratios.
 *
 * Every peer of a workload is set up once, warmed up, then run round-robin — one run of each
 * peer per round, so a burst of load on the machine hits all of them alike — until each has at
 * least `minRuns` samples and `minTimeMs` of measured time. Figures are medians.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

export type RunFn = () => void | Promise<void>;

/** A contestant of a workload. */
export interface Peer {
  name: string;
  /** Prepares models and inputs (not timed) and returns the function to time. */
  setup(): Promise<RunFn>;
  /** The result of the last run (training: of the first), used to cross-check peers. */
  output?(): Float32Array;
  /** Releases what setup allocated (optional). */
  teardown?(): void;
  /** Set when this peer cannot run the workload at all: the reason, printed instead of a time. */
  unsupported?: string;
  /**
   * For a peer that runs in another process and times itself: the wall and CPU time (ms) of its
   * last run, used instead of this process' measurement of the call (which would count the
   * messages to the child and none of its CPU time).
   */
  lastTiming?(): [number, number];
  /**
   * For a peer that runs in another process: that process' resident memory, in MB, after a
   * garbage collection once its runtime was loaded (`baseMb`) and after its last run (`nowMb`), for
   * the memory figures this process cannot measure; null when unknown.
   */
  processRss?(): { baseMb: number; nowMb: number } | null;
}

/** "`peer` must be at least `min` times faster than `against`" (min < 1: at most 1/min slower). */
export interface Target {
  peer: string;
  against: string;
  min: number;
  /** How the target reads in the issue, e.g. ">= 3x faster" or "overhead <= 1.15x". */
  text: string;
  /**
   * Report the ratio as a cost, peer median / against median (met when at most 1 / min), for
   * targets that read that way, e.g. "train_on_batch per call / fit per step <= 1.15".
   */
  asCost?: boolean;
}

/** A workload and its peers. */
export interface Workload {
  name: string;
  /** Floating-point operations of one run (multiply-add = 2), for GFLOP/s. */
  flops: number;
  peers: Peer[];
  /** The peers every other peer's speed is compared with (ratio = their median / the peer's). */
  references: string[];
  /** The peer whose output the others are cross-checked against. */
  checkAgainst: string;
  targets?: Target[];
  /** Per-workload measurement counts (big workloads run fewer, longer runs). */
  minRuns?: number;
  minTimeMs?: number;
  /** Warm-up runs per peer; when set, the --warmup time does not apply. */
  warmupRuns?: number;
  /** Largest acceptable max relative difference of the cross-check (default 1e-4). */
  tolerance?: number;
}

export interface MeasureOptions {
  minRuns: number;
  minTimeMs: number;
  warmupMs: number;
}

/** One peer's figures on one workload. */
export interface PeerResult {
  workload: string;
  peer: string;
  /** Why the peer did not run (then every figure below is absent). */
  unsupported?: string;
  medianMs?: number;
  /** Median process CPU time (user + system) per run; far below medianMs means the machine was busy. */
  medianCpuMs?: number;
  gflops?: number;
  gflopsCpu?: number;
  runs?: number;
  /** Every measured run's wall time, in ms, in order. */
  samplesMs?: number[];
  /** Speed-up against each reference peer: reference median / this peer's median (by wall, and by CPU time). */
  ratios?: Record<string, number>;
  cpuRatios?: Record<string, number>;
  /** Max relative difference of this peer's output from the checked-against peer's. */
  maxRelDiff?: number;
  /**
   * Peaks of process.memoryUsage() sampled while this peer ran, in MB (process-wide: every
   * peer's models live in the process), and the median growth of heapUsed + arrayBuffers over one
   * timed run (what a run allocates and still holds when sampled: the peer's own figure).
   */
  peakRssMb?: number;
  peakHeapMb?: number;
  peakArrayBuffersMb?: number;
  runGrowthMb?: number;
  /**
   * What the peer's setup and warm-up added and kept, measured after a full garbage collection
   * before and after each (its models, sessions, compiled graphs), in MB: rss (native memory
   * included: onnxruntime, the wasm heap) and heapUsed + arrayBuffers. Absent when the process
   * cannot collect garbage on request, and for a peer that runs in another process (`lastTiming`).
   */
  footprintRssMb?: number;
  footprintHeapMb?: number;
  /**
   * What one more run keeps, after a full garbage collection, in MB: the smallest change over a
   * few runs after the timed ones in heapUsed + arrayBuffers and in rss. A peer that holds on
   * to something every run grows here; the harness warns above {@link LEAK_HEAP_MB} / {@link LEAK_RSS_MB}.
   */
  keptHeapMbPerRun?: number;
  keptRssMbPerRun?: number;
}

const MB = 1 / (1024 * 1024);

/** Growth per run after a full GC above which a peer is reported as growing run over run, MB. */
export const LEAK_HEAP_MB = 0.1;
export const LEAK_RSS_MB = 16;

/** A full garbage collection on request (V8's `gc`, exposed through its flags), or null where that is refused. */
const fullGc: (() => void) | null = (() => {
  try {
    setFlagsFromString('--expose-gc');
    return runInNewContext('gc') as () => void;
  } catch {
    return null;
  }
})();

/** Memory held after a full GC: [heapUsed + arrayBuffers, rss], bytes. */
function held(): [number, number] {
  fullGc!();
  const m = process.memoryUsage();
  return [m.heapUsed + m.arrayBuffers, m.rss];
}

/** A target with what was achieved. */
export interface TargetResult extends Target {
  workload: string;
  /** against median / peer median, or peer / against for a cost target (undefined when either did not run). */
  achieved?: number;
  achievedCpu?: number;
  met?: boolean;
  /** Why it could not be evaluated. */
  reason?: string;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Wall-clock and process CPU time (user + system) of one run, in ms. */
async function timeOnce(fn: RunFn): Promise<[number, number]> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await fn();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return [wall, (c.user + c.system) / 1000];
}

/** Peaks of process.memoryUsage() per peer: sampled around each run and by a timer while the event loop is free. */
class MemorySampler {
  readonly rss: number[];
  readonly heap: number[];
  readonly buffers: number[];
  readonly growth: number[][];
  timed = false;
  private before = 0;
  private runPeak = 0;
  private current = -1;
  private timer: ReturnType<typeof setInterval> | null = null;

  constructor(peers: number) {
    this.rss = new Array<number>(peers).fill(0);
    this.heap = new Array<number>(peers).fill(0);
    this.buffers = new Array<number>(peers).fill(0);
    this.growth = Array.from({ length: peers }, () => []);
  }

  begin(i: number): void {
    const m = process.memoryUsage();
    this.before = m.heapUsed + m.arrayBuffers;
    this.runPeak = 0;
    this.current = i;
    this.sample();
  }

  end(): void {
    this.sample();
    if (this.timed && this.current >= 0) this.growth[this.current].push(this.runPeak);
    this.current = -1;
  }

  private sample(): void {
    const i = this.current;
    if (i < 0) return;
    const m = process.memoryUsage();
    if (m.rss > this.rss[i]) this.rss[i] = m.rss;
    if (m.heapUsed > this.heap[i]) this.heap[i] = m.heapUsed;
    if (m.arrayBuffers > this.buffers[i]) this.buffers[i] = m.arrayBuffers;
    const g = m.heapUsed + m.arrayBuffers - this.before;
    if (g > this.runPeak) this.runPeak = g;
  }

  start(): void {
    this.timer = setInterval(() => this.sample(), 5);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}

/** Max |x - y| relative to the largest |y|. */
export function maxRelDiff(x: Float32Array, y: Float32Array): number {
  if (x.length !== y.length) return Number.POSITIVE_INFINITY;
  let scale = 0;
  for (let i = 0; i < y.length; i++) scale = Math.max(scale, Math.abs(y[i]));
  let worst = 0;
  for (let i = 0; i < x.length; i++) {
    const d = Math.abs(x[i] - y[i]) / (scale || 1);
    if (!(d <= worst)) worst = d;
  }
  return worst;
}

/** First line of an error's message. */
const reasonOf = (e: unknown): string => String(e instanceof Error ? e.message : e).split('\n')[0];

/**
 * Runs one workload: every supported peer set up, warmed up, then measured round-robin. A peer
 * whose setup or a run throws is reported as unsupported with the error (e.g. a kernel its
 * backend lacks) and dropped from the rounds.
 */
export async function runWorkload(w: Workload, opts: MeasureOptions): Promise<{ results: PeerResult[]; targets: TargetResult[] }> {
  const failed = new Map<string, string>();
  const active: Peer[] = [];
  const fns: RunFn[] = [];
  // Per active peer: [heap, rss] bytes its setup and warm-up kept.
  const footprint: [number, number][] = [];
  for (const p of w.peers) {
    if (p.unsupported) continue;
    try {
      const before = fullGc ? held() : null;
      fns.push(await p.setup());
      active.push(p);
      const after = before ? held() : null;
      footprint.push(before && after ? [after[0] - before[0], after[1] - before[1]] : [NaN, NaN]);
    } catch (e) {
      failed.set(p.name, `setup failed: ${reasonOf(e)}`);
    }
  }
  const live = (i: number) => !failed.has(active[i].name);

  const mem = new MemorySampler(active.length);
  mem.start();
  const runPeer = async (i: number): Promise<[number, number] | null> => {
    mem.begin(i);
    try {
      const measured = await timeOnce(fns[i]);
      return active[i].lastTiming?.() ?? measured;
    } catch (e) {
      failed.set(active[i].name, reasonOf(e));
      console.warn(`  ${w.name}: ${active[i].name} failed: ${reasonOf(e)}`);
      return null;
    } finally {
      mem.end();
    }
  };

  const warmRuns = w.warmupRuns ?? 3;
  const warmMs = w.warmupRuns === undefined ? opts.warmupMs : 0;
  for (let i = 0; i < active.length; i++) {
    const before = fullGc ? held() : null;
    const t0 = performance.now();
    let n = 0;
    while (live(i) && (n < warmRuns || performance.now() - t0 < warmMs)) {
      await runPeer(i);
      n++;
    }
    const after = before ? held() : null;
    if (before && after) footprint[i] = [footprint[i][0] + after[0] - before[0], footprint[i][1] + after[1] - before[1]];
    const own = active[i].processRss?.();
    if (active[i].lastTiming) footprint[i] = own ? [NaN, (own.nowMb - own.baseMb) / MB] : [NaN, NaN];
  }

  mem.timed = true;
  const samples: number[][] = active.map(() => []);
  const cpuSamples: number[][] = active.map(() => []);
  const spent: number[] = active.map(() => 0);
  const minRuns = w.minRuns ?? opts.minRuns;
  const minTime = w.minTimeMs ?? opts.minTimeMs;
  const done = (i: number) => !live(i) || (samples[i].length >= minRuns && spent[i] >= minTime);
  while (!active.every((_, i) => done(i))) {
    for (let i = 0; i < active.length; i++) {
      if (done(i)) continue;
      const r = await runPeer(i);
      if (!r) continue;
      samples[i].push(r[0]);
      cpuSamples[i].push(r[1]);
      spent[i] += r[0];
    }
  }
  mem.stop();

  // Growth run over run: a few more runs of each peer, each between two full GCs (untimed, and
  // not in the figures above).
  const kept: [number, number][] = active.map(() => [NaN, NaN]);
  mem.timed = false;
  if (fullGc) {
    for (let i = 0; i < active.length; i++) {
      // 4 runs, 2 of a peer slower than 1 s, none of one slower than 10 s (a training epoch of tfjs-layers on cpu).
      const n = median(samples[i]) < 1000 ? 4 : median(samples[i]) < 10000 ? 2 : 0;
      // A peer in another process holds its memory there: its own rss figures, when it gives them.
      const other = !!active[i].lastTiming;
      const sample = (): [number, number] | null => {
        if (!other) return held();
        const own = active[i].processRss?.();
        return own ? [NaN, own.nowMb / MB] : null;
      };
      if (!live(i) || n === 0) continue;
      let prev = sample();
      if (!prev) continue;
      const dHeap: number[] = [];
      const dRss: number[] = [];
      for (let r = 0; r < n && live(i); r++) {
        if (!(await runPeer(i))) break;
        const cur = sample();
        if (!cur) break;
        dHeap.push(cur[0] - prev[0]);
        dRss.push(cur[1] - prev[1]);
        prev = cur;
      }
      // The smallest change: a peer that holds on to something every run grows in each of them; a
      // one-off allocation (a cache filled on the second epoch) shows in one only.
      if (dRss.length) kept[i] = [Math.min(...dHeap), Math.min(...dRss)];
      if (kept[i][0] * MB > LEAK_HEAP_MB || kept[i][1] * MB > LEAK_RSS_MB) {
        const heap = Number.isFinite(kept[i][0]) ? `+${(kept[i][0] * MB).toFixed(2)} MB heap + array buffers, ` : '';
        console.warn(`  WARNING ${w.name}: ${active[i].name} grows run over run: keeps ${heap}+${(kept[i][1] * MB).toFixed(1)} MB rss per run after a full GC`);
      }
    }
  }

  // Cross-check after the runs (workloads without warm-up have outputs only then).
  const diffs = new Map<string, number>();
  const check = active.find((p) => p.name === w.checkAgainst && !failed.has(p.name));
  const checkOut = check?.output?.();
  if (checkOut) {
    for (const p of active) {
      if (p === check || !p.output || failed.has(p.name)) continue;
      const d = maxRelDiff(p.output(), checkOut);
      diffs.set(p.name, d);
      if (!(d <= (w.tolerance ?? 1e-4))) console.warn(`  WARNING ${w.name}: ${p.name} differs from ${w.checkAgainst} (max rel diff ${d.toExponential(2)})`);
    }
  }
  for (const p of active) p.teardown?.();

  const wall = new Map<string, number>();
  const cpu = new Map<string, number>();
  active.forEach((p, i) => {
    if (failed.has(p.name)) return;
    wall.set(p.name, median(samples[i]));
    cpu.set(p.name, median(cpuSamples[i]));
  });
  const why = (p: Peer): string | undefined => p.unsupported ?? failed.get(p.name);
  const results: PeerResult[] = w.peers.map((p) => {
    const reason = why(p);
    if (reason) return { workload: w.name, peer: p.name, unsupported: reason };
    const i = active.indexOf(p);
    const ms = wall.get(p.name)!;
    const cms = cpu.get(p.name)!;
    const ratios: Record<string, number> = {};
    const cpuRatios: Record<string, number> = {};
    for (const ref of w.references) {
      if (ref === p.name || !wall.has(ref)) continue;
      ratios[ref] = wall.get(ref)! / ms;
      cpuRatios[ref] = cpu.get(ref)! / cms;
    }
    return {
      workload: w.name,
      peer: p.name,
      medianMs: ms,
      medianCpuMs: cms,
      gflops: w.flops / (ms * 1e6),
      gflopsCpu: w.flops / (cms * 1e6),
      runs: samples[i].length,
      samplesMs: samples[i],
      ratios,
      cpuRatios,
      ...(diffs.has(p.name) ? { maxRelDiff: diffs.get(p.name) } : {}),
      peakRssMb: mem.rss[i] * MB,
      peakHeapMb: mem.heap[i] * MB,
      peakArrayBuffersMb: mem.buffers[i] * MB,
      runGrowthMb: (mem.growth[i].length ? median(mem.growth[i]) : 0) * MB,
      ...(Number.isFinite(footprint[i][0]) ? { footprintHeapMb: footprint[i][0] * MB } : {}),
      ...(Number.isFinite(footprint[i][1]) ? { footprintRssMb: footprint[i][1] * MB } : {}),
      ...(Number.isFinite(kept[i][0]) ? { keptHeapMbPerRun: kept[i][0] * MB } : {}),
      ...(Number.isFinite(kept[i][1]) ? { keptRssMbPerRun: kept[i][1] * MB } : {}),
    };
  });
  const targets: TargetResult[] = (w.targets ?? []).map((t) => {
    const blocked = [t.peer, t.against].map((n) => w.peers.find((p) => p.name === n)).find((p) => p && why(p));
    if (blocked) return { ...t, workload: w.name, reason: `${blocked.name} cannot run it: ${why(blocked)}` };
    if (!wall.has(t.peer) || !wall.has(t.against)) return { ...t, workload: w.name, reason: 'not run' };
    const speedup = wall.get(t.against)! / wall.get(t.peer)!;
    const speedupCpu = cpu.get(t.against)! / cpu.get(t.peer)!;
    if (t.asCost) return { ...t, workload: w.name, achieved: 1 / speedup, achievedCpu: 1 / speedupCpu, met: speedup >= t.min };
    return { ...t, workload: w.name, achieved: speedup, achievedCpu: speedupCpu, met: speedup >= t.min };
  });
  return { results, targets };
}

const f1 = (v: number) => (v >= 1000 ? Math.round(v).toLocaleString('en-US') : v.toFixed(1));

/** Prints a workload's figures: one line per peer, then its targets. */
export function report(w: Workload, results: readonly PeerResult[], targets: readonly TargetResult[]): void {
  console.log(`\n${w.name}  (${(w.flops / 1e9).toFixed(2)} GFLOP per run)`);
  const width = Math.max(...results.map((r) => r.peer.length));
  for (const r of results) {
    const name = r.peer.padEnd(width);
    if (r.unsupported) {
      console.log(`  ${name}  n/a: ${r.unsupported}`);
      continue;
    }
    const ratios = Object.entries(r.ratios ?? {})
      .map(([ref, v]) => `${v.toFixed(2)}x vs ${ref}`)
      .join(', ');
    const busy = r.medianMs! > 1.25 * r.medianCpuMs! ? ` [busy: CPU ${f1(r.medianCpuMs!)} ms]` : '';
    // A peer in another process has rss figures only (its process').
    const keeps =
      r.keptHeapMbPerRun !== undefined ? `keeps ${r.keptHeapMbPerRun.toFixed(2)} MB/run` : r.keptRssMbPerRun !== undefined ? `keeps ${r.keptRssMbPerRun.toFixed(1)} MB rss/run` : '';
    const holds = r.footprintRssMb !== undefined && keeps ? `  holds ${r.footprintRssMb.toFixed(0)} MB rss, ${keeps}` : '';
    console.log(
      `  ${name}  ${f1(r.medianMs!).padStart(8)} ms  ${r.gflops!.toFixed(2).padStart(6)} GFLOP/s  ` +
        `+${r.runGrowthMb!.toFixed(1)} MB/run  rss ${r.peakRssMb!.toFixed(0)} MB${holds}  runs ${r.runs}${ratios ? `  ${ratios}` : ''}${busy}`,
    );
  }
  for (const t of targets) {
    const head = `  target ${t.peer} vs ${t.against} (${t.text}):`;
    if (t.achieved === undefined) console.log(`${head} not evaluated: ${t.reason}`);
    else console.log(`${head} ${t.achieved.toFixed(2)}x (by CPU time ${t.achievedCpu!.toFixed(2)}x) ${t.met ? 'MET' : 'NOT MET'}`);
  }
}
