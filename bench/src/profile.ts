/**
 * `pnpm bench --profile`: where each contestant's time goes on a workload, per op, instead of the
 * timed comparison. Every contestant that has a profiler is set up and warmed up as for timing,
 * then run `runs` times with its profiler on:
 *
 * - keras-ts/ts: backend-ts' own step timer (`KERAS_TS_PROFILE=cpu`, which `profile-env.ts` sets
 *   before backend-ts loads): process CPU time per op kind, fused groups labelled `conv+add+relu`.
 * - keras-ts/tfjs-cpu, keras-ts/tfjs-wasm, tfjs-layers/cpu, tfjs-layers/wasm: `tf.profile`, time
 *   per tfjs kernel.
 * - keras-ts/onnx: onnxruntime's profiler. The backend is wrapped to record the graph it runs and
 *   the inputs of its last run; that graph is lowered as backend-onnx lowers it (with the stable
 *   weights baked in when backend-onnx baked them: predict and evaluate loops) and run `runs`
 *   times on the same inputs in a session with backend-onnx's options and profiling on; the table
 *   is the kernel time per ONNX operator.
 *
 * Each table says how much of the contestant's wall time per run (measured in the same runs,
 * profiler on) its ops explain; the rest is the frontend (batching, tensors, the loops) and, for
 * onnx, the calls into onnxruntime.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { lowerGraph, prepareForOnnx } from '@keras-ts/backend-onnx';
import { resetTsProfile, tsProfile } from '@keras-ts/backend-ts';
import { KerasStateError, type HostTensor } from '@keras-ts/spec';
import type { Peer, RunFn, Workload } from './harness.js';
import { ortThreadCount, setWorkloadOnnxBackend } from './workloads/common.js';
import { RecordingOnnx } from './workloads/recording-onnx.js';

/** One row of a profile: an op (or kernel, or fused group) and its time per run. */
interface OpTime {
  op: string;
  msPerRun: number;
  callsPerRun: number;
}

/** Rows shown per contestant (the rest are summed in one line). */
const TOP = 15;

/** Wall and process CPU time per run, in ms. */
interface PerRun {
  wall: number;
  cpu: number;
}

async function timeRuns(fn: RunFn, runs: number): Promise<PerRun> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let r = 0; r < runs; r++) await fn();
  const c = process.cpuUsage(c0);
  return { wall: (performance.now() - t0) / runs, cpu: (c.user + c.system) / 1000 / runs };
}

/**
 * One contestant's table: its time per run, the ops' total and share of the wall time (of the
 * CPU time when the ops were timed in CPU time), then the slowest ops.
 */
function printTable(head: string, per: PerRun, rows: readonly OpTime[], what: string, clock: 'wall' | 'cpu' = 'wall'): void {
  const sorted = [...rows].sort((a, b) => b.msPerRun - a.msPerRun);
  const total = sorted.reduce((a, r) => a + r.msPerRun, 0);
  const of = clock === 'cpu' ? per.cpu : per.wall;
  console.log(
    `  ${head}: ${per.wall.toFixed(2)} ms/run wall, ${per.cpu.toFixed(2)} ms/run CPU; ${what} ${total.toFixed(2)} ms/run ` +
      `(${((100 * total) / of).toFixed(0)}% of the ${clock === 'cpu' ? 'CPU' : 'wall'} time)`,
  );
  const width = Math.min(72, Math.max(8, ...sorted.slice(0, TOP).map((r) => r.op.length)));
  for (const r of sorted.slice(0, TOP)) {
    console.log(`    ${r.op.slice(0, width).padEnd(width)} ${r.msPerRun.toFixed(3).padStart(9)} ms  ${String(Math.round(r.callsPerRun)).padStart(5)} calls  ${((100 * r.msPerRun) / total).toFixed(1).padStart(5)}%`);
  }
  const rest = sorted.slice(TOP);
  if (rest.length) {
    const ms = rest.reduce((a, r) => a + r.msPerRun, 0);
    console.log(`    ${`(${rest.length} more)`.padEnd(width)} ${ms.toFixed(3).padStart(9)} ms  ${''.padStart(5)}        ${((100 * ms) / total).toFixed(1).padStart(5)}%`);
  }
}

/** backend-ts: its step timer, reset before the profiled runs. */
async function profileTs(fn: RunFn, runs: number): Promise<void> {
  if (!process.env.KERAS_TS_PROFILE) {
    console.log('  keras-ts/ts: no profile: backend-ts times its steps only when KERAS_TS_PROFILE is set before it loads (pnpm bench --profile sets it)');
    return;
  }
  resetTsProfile();
  const per = await timeRuns(fn, runs);
  const rows = tsProfile().map((p) => ({ op: p.op, msPerRun: p.ms / runs, callsPerRun: p.calls / runs }));
  const cpu = process.env.KERAS_TS_PROFILE === 'cpu';
  printTable('keras-ts/ts', per, rows, `backend-ts steps (${cpu ? 'process CPU time' : 'wall time'}, per op kind)`, cpu ? 'cpu' : 'wall');
}

/** A tfjs contestant: tf.profile over the runs, time per kernel. */
async function profileTfjs(name: string, fn: RunFn, runs: number): Promise<void> {
  let timed: PerRun = { wall: 0, cpu: 0 };
  const info = await tf.profile(async () => {
    timed = await timeRuns(fn, runs);
  });
  const per = new Map<string, OpTime>();
  for (const k of info.kernels) {
    // tf.profile also lists the op wrappers (`fusedConv2d__op`) around the kernels they run.
    if (k.name.endsWith('__op')) continue;
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const e = per.get(k.name) ?? { op: k.name, msPerRun: 0, callsPerRun: 0 };
    e.msPerRun += ms / runs;
    e.callsPerRun += 1 / runs;
    per.set(k.name, e);
  }
  printTable(`${name} (tfjs ${tf.getBackend()})`, timed, [...per.values()], 'tfjs kernels (tf.profile)');
}

/**
 * The kernel time per ONNX operator type in an onnxruntime profile file (Chrome trace events),
 * over the runs after the first (`model_run` events mark the runs).
 */
function readOrtProfile(file: string): { rows: OpTime[]; runs: number } {
  type Event = { cat: string; name: string; ts: number; dur: number; args?: { op_name?: string } };
  const events = JSON.parse(readFileSync(file, 'utf8')) as Event[];
  const modelRuns = events.filter((e) => e.cat === 'Session' && e.name === 'model_run').sort((a, b) => a.ts - b.ts);
  const after = modelRuns.length > 1 ? modelRuns[0].ts + modelRuns[0].dur : -Infinity;
  const runs = Math.max(1, modelRuns.length - 1);
  const per = new Map<string, OpTime>();
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time') || e.ts < after) continue;
    const op = e.args?.op_name ?? '?';
    const row = per.get(op) ?? { op, msPerRun: 0, callsPerRun: 0 };
    row.msPerRun += e.dur / 1000 / runs;
    row.callsPerRun += 1 / runs;
    per.set(op, row);
  }
  return { rows: [...per.values()], runs };
}

/** backend-onnx: the graph it ran most, lowered as it lowers it, in a profiled session with its options. */
async function profileOnnx(rec: RecordingOnnx, fn: RunFn, runs: number): Promise<void> {
  for (const c of rec.compiled) c.runs = 0;
  const per = await timeRuns(fn, runs);
  const ran = rec.compiled.filter((c) => c.runs > 0 && c.last);
  if (ran.length === 0) {
    console.log('  keras-ts/onnx: no profile: no graph ran');
    return;
  }
  // The graph with the most work: nodes times runs.
  const top = ran.reduce((a, b) => (b.graph.nodes.length * b.runs > a.graph.nodes.length * a.runs ? b : a));
  const prepared = prepareForOnnx(top.graph);
  const inputs = top.last!;
  const baked = top.exe.specializations > 0;
  const bake = new Map<number, HostTensor>();
  if (baked) prepared.inputs.forEach((id, k) => inputs[k].stable && bake.set(id, inputs[k]));
  const lowered = lowerGraph(prepared, { bake });
  const dir = mkdtempSync(join(tmpdir(), 'keras-ts-bench-ort-profile-'));
  try {
    const session = await ort.InferenceSession.create(lowered.builder.encode(), {
      graphOptimizationLevel: 'all',
      executionMode: 'sequential',
      logSeverityLevel: 4,
      intraOpNumThreads: ortThreadCount(),
      extra: { session: { intra_op: { allow_spinning: '0' } }, optimization: { disable_specified_optimizers: 'Pad_Fusion' } },
      enableProfiling: true,
      profileFilePrefix: join(dir, 'ort'),
    });
    const feeds: Record<string, ort.Tensor> = {};
    for (const spec of lowered.inputs) {
      const t = inputs[spec.index];
      feeds[spec.name] = new ort.Tensor(t.dtype as 'float32' | 'int32' | 'bool', t.data, [...t.shape]);
    }
    // A first run (memory arena, pre-packed weights) that the table leaves out, then the runs.
    for (let r = 0; r <= runs; r++) await session.run(feeds);
    session.endProfiling();
    await session.release();
    const file = readdirSync(dir).find((f) => f.endsWith('.json'));
    if (!file) throw new KerasStateError(`onnxruntime wrote no profile into ${dir}`);
    // Per contestant run: the graph ran `top.runs / runs` times in each (a training epoch runs its step per batch).
    const times = top.runs / runs;
    const rows = readOrtProfile(join(dir, file)).rows.map((r) => ({ op: r.op, msPerRun: r.msPerRun * times, callsPerRun: r.callsPerRun * times }));
    const what =
      `onnxruntime kernels (its ${top.graph.nodes.length}-node graph${times !== 1 ? `, run ${+times.toFixed(1)} times a run` : ''}, ` +
      `${baked ? 'weights baked in as backend-onnx does' : 'every input fed'}; timed in a profiled session on the same model and inputs)`;
    printTable('keras-ts/onnx', per, rows, what);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The contestants that have a per-op profiler. */
function profilerOf(p: Peer): 'ts' | 'tfjs' | 'onnx' | null {
  if (p.name === 'keras-ts/ts') return 'ts';
  if (p.name === 'keras-ts/onnx') return 'onnx';
  if (p.name.startsWith('keras-ts/tfjs-') || p.name.startsWith('tfjs-layers/')) return 'tfjs';
  return null;
}

/**
 * Profiles one workload: each contestant with a profiler, after the workload's warm-up runs (2
 * unless it sets `warmupRuns`), over `runs` runs; prints one table per contestant.
 */
export async function profileWorkload(w: Workload, runs: number): Promise<void> {
  console.log(`\nprofile: ${w.name}, ${runs} run(s) per contestant after warm-up`);
  const rec = new RecordingOnnx();
  setWorkloadOnnxBackend(rec);
  for (const p of w.peers) {
    const kind = profilerOf(p);
    if (!kind || p.unsupported) {
      console.log(`  ${p.name}: ${p.unsupported ? `n/a: ${p.unsupported}` : 'no per-op profiler (not profiled)'}`);
      continue;
    }
    let fn: RunFn;
    try {
      fn = await p.setup();
      for (let r = 0; r < (w.warmupRuns ?? 2); r++) await fn();
    } catch (e) {
      console.log(`  ${p.name}: n/a: ${e instanceof Error ? e.message.split('\n')[0] : String(e)}`);
      continue;
    }
    if (kind === 'ts') await profileTs(fn, runs);
    else if (kind === 'tfjs') await profileTfjs(p.name, fn, runs);
    else await profileOnnx(rec, fn, runs);
    p.teardown?.();
  }
  rec.inner.dispose();
}
