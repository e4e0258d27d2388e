/**
 * Where backend-onnx's time goes on one model workload: runs the workload's keras-ts/onnx peer,
 * keeps the ONNX model of its largest executable, and runs that model in a bare onnxruntime
 * session with profiling on; prints the time per ONNX operator type.
 *
 *   npx tsx --conditions=keras-ts-source bench/src/workloads/onnx-profile.ts [--filter TEXT] [--runs N] [--save DIR] [--no-bake] [--nodes]
 *
 * (without `--conditions=keras-ts-source` the workspace packages load from their built `dist/`,
 * which may be older than their sources)
 *
 * By default every graph input but the first (the data) is baked into the model as an initializer,
 * as backend-onnx's specialized predict session does; --no-bake feeds them as inputs. The session
 * has backend-onnx's options (the bench's intra-op threads, optimization level 'all', sequential,
 * no spinning, Pad_Fusion off). --save DIR writes the model as lowered (`<workload>.onnx`) and as
 * onnxruntime optimized it (`<workload>.optimized.onnx`: what is left after its rewrites, e.g. the
 * NCHWc reorders; the nodes of its own domains need onnxruntime to load). --nodes lists the
 * slowest nodes with their input and output shapes.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as ort from 'onnxruntime-node';
import { setBackend } from '@keras-ts/keras';
import { lowerGraph } from '@keras-ts/backend-onnx';
import type { Graph, HostTensor } from '@keras-ts/spec';
import { modelWorkloads } from './index.js';
import { ortThreadCount, setWorkloadOnnxBackend } from './common.js';
import { toolArgs } from './tool-args.js';
import { RecordingOnnx } from './recording-onnx.js';

const args = toolArgs(
  process.argv.slice(2),
  { filter: 'string', runs: 'string', save: 'string', 'no-bake': 'boolean', nodes: 'boolean' },
  'usage: npx tsx --conditions=keras-ts-source bench/src/workloads/onnx-profile.ts [--filter TEXT] [--runs N] [--save DIR] [--no-bake] [--nodes]',
);
const filter = args.filter ?? 'mobilenet';
const runs = Number(args.runs ?? 5);
const save = args.save;
const noBake = args['no-bake'] ?? false;

const rec = new RecordingOnnx();
setWorkloadOnnxBackend(rec);
setBackend(rec);
for (const w of modelWorkloads()) {
  if (!w.name.includes(filter)) continue;
  const peer = w.peers.find((p) => p.name === 'keras-ts/onnx')!;
  const fn = await peer.setup();
  await fn();
  await fn();
  const { exe } = rec.compiled.reduce((a, b) => (b.exe.model.length > a.exe.model.length ? b : a));
  const counts = new Map<string, number>();
  // The executable's graph has its composites lowered already (OnnxBackend.compile does it).
  const graph = (exe as unknown as { graph: Graph }).graph;
  // As backend-onnx's specialized session for predict: every input but the first (the data) baked in.
  const bake = new Map<number, HostTensor>();
  graph.inputs.forEach((id, i) => {
    const n = graph.nodes[id];
    const size = n.shape.reduce((a, b) => a * b, 1);
    if (i > 0 && !noBake) bake.set(id, { shape: n.shape, dtype: n.dtype, data: n.dtype === 'float32' ? Float32Array.from({ length: size }, (_, k) => 0.5 + ((k * 7919) % 101) / 202) : new Int32Array(size) });
  });
  const model = lowerGraph(graph, { bake }).builder.encode();
  // Profile the bare session on the model (weights as inputs, fed like backend-onnx does).
  const dir = '/tmp/onnx-profile';
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const base = save ? join(save, w.name.replace(/\W+/g, '_')) : undefined;
  if (base) writeFileSync(`${base}.onnx`, model);
  const s = await ort.InferenceSession.create(model, {
    intraOpNumThreads: ortThreadCount(),
    enableProfiling: true,
    profileFilePrefix: join(dir, 'p'),
    graphOptimizationLevel: 'all',
    executionMode: 'sequential',
    ...(base ? { optimizedModelFilePath: `${base}.optimized.onnx` } : {}),
    // As backend-onnx's sessions (executable.ts): no spinning, Pad_Fusion off.
    extra: { session: { intra_op: { allow_spinning: '0' } }, optimization: { disable_specified_optimizers: 'Pad_Fusion' } },
  });
  const feeds: Record<string, ort.Tensor> = {};
  for (const name of s.inputNames) {
    const meta = (s as unknown as { inputMetadata: { name: string; shape: number[]; type: string }[] }).inputMetadata?.find?.((m) => m.name === name);
    const shape = meta?.shape ?? [];
    const n = shape.reduce((a: number, b: number) => a * b, 1);
    feeds[name] = new ort.Tensor('float32', new Float32Array(n).fill(0.01), shape);
  }
  for (let r = 0; r < runs; r++) await s.run(feeds);
  s.endProfiling();
  await s.release();
  // onnxruntime-node writes the profile next to the prefix, with a timestamp in the name.
  const file = join(dir, readdirSync(dir).filter((f) => f.startsWith('p')).sort().at(-1)!);
  const events = JSON.parse(readFileSync(file, 'utf8')) as { cat: string; name: string; dur: number; args?: { op_name?: string; input_type_shape?: Record<string, number[]>[]; output_type_shape?: Record<string, number[]>[] } }[];
  const shapes = (list: Record<string, number[]>[] | undefined) => (list ?? []).map((t) => `[${Object.values(t)[0]}]`).join(' ');
  const nodeShapes = new Map<string, string>();
  const per = new Map<string, number>();
  const perNode = new Map<string, number>();
  let total = 0;
  for (const e of events) {
    if (e.cat !== 'Node' || !e.name.endsWith('_kernel_time')) continue;
    const op = e.args?.op_name ?? '?';
    per.set(op, (per.get(op) ?? 0) + e.dur);
    const node = `${op} ${e.name.replace(/_kernel_time$/, '')}`;
    perNode.set(node, (perNode.get(node) ?? 0) + e.dur);
    nodeShapes.set(node, `${shapes(e.args?.input_type_shape)} -> ${shapes(e.args?.output_type_shape)}`);
    counts.set(op, (counts.get(op) ?? 0) + 1);
    total += e.dur;
  }
  rmSync(dir, { recursive: true });
  console.log(`${w.name}: ${runs} runs, ${(total / 1000 / runs).toFixed(1)} ms/run in kernels`);
  for (const [op, us] of [...per].sort((a, b) => b[1] - a[1])) console.log(`  ${op.padEnd(24)} ${(us / 1000 / runs).toFixed(2).padStart(8)} ms/run  ${(counts.get(op)! / runs).toFixed(0).padStart(5)} nodes`);
  if (args.nodes) {
    console.log('  slowest nodes:');
    for (const [node, us] of [...perNode].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`    ${node.padEnd(44)} ${(us / 1000 / runs).toFixed(3).padStart(8)} ms/run  ${nodeShapes.get(node)}`);
  }
}
