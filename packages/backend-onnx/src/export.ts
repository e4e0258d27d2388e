/**
 * `@keras-ts/backend-onnx/export`: export of a traced graph to a standalone .onnx file, weights
 * baked in as initializers.
 *
 * @module \@keras-ts/backend-onnx/export
 */
import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import './ort-env.js';
import * as ort from 'onnxruntime-node';
import { allocData, fmtShape, shapesEqual, sizeOf, type DataArray, type Graph, type HostTensor, type Shape, KerasValueError } from '@keras-ts/spec';
import { lowerGraph, prepareForOnnx, type IOSpec } from './lower.js';

/**
 * Export of a traced graph to a standalone .onnx file: weights baked in as initializers, the
 * remaining placeholders as the model's inputs, with a symbolic batch dimension when the graph
 * allows it.
 */

export interface ExportOptions {
  /**
   * Try a symbolic leading (batch) dimension on the data inputs and the outputs that share it
   * (default true). The exported model is checked at the traced batch size and at twice it
   * (rows must not mix); when that check fails, the static shapes are written instead.
   */
  readonly dynamicBatch?: boolean;
  /** Names of the model's inputs (default: the placeholders' names). */
  readonly inputNames?: readonly string[];
  /** Names of the model's outputs (default output_0, output_1...). */
  readonly outputNames?: readonly string[];
  /** The graph's name inside the model (default 'keras_ts'). */
  readonly graphName?: string;
}

/**
 * What {@link exportGraphToOnnx} wrote: the file, its inputs and outputs, whether its batch
 * dimension is symbolic, and its size.
 */
export interface ExportResult {
  readonly path: string;
  /** Whether the file has a symbolic batch dimension. */
  readonly dynamicBatch: boolean;
  /** Why the batch is static, when it is (after a failed check, or when asked). */
  readonly staticReason?: string;
  readonly inputs: readonly IOSpec[];
  readonly outputs: readonly IOSpec[];
  readonly bytes: number;
}

const BATCH = 'batch';

function encode(graph: Graph, bake: Map<number, HostTensor>, opts: ExportOptions, dynamic: boolean) {
  const lowered = prepareForOnnx(graph);
  // The passes keep the inputs' positions: re-key the baked values by position.
  const bakeLowered = new Map<number, HostTensor>();
  graph.inputs.forEach((id, k) => {
    const v = bake.get(id);
    if (v) bakeLowered.set(lowered.inputs[k], v);
  });
  const dataInputs = graph.inputs.filter((id) => !bake.has(id)).map((id) => graph.nodes[id]);
  const B = dataInputs.find((n) => n.shape.length > 0)?.shape[0];
  const dyn = dynamic && B !== undefined;
  let dataIndex = 0;
  const inputNames = opts.inputNames
    ? graph.inputs.map((id) => (bake.has(id) ? undefined : opts.inputNames![dataIndex++]))
    : undefined;
  const result = lowerGraph(lowered, {
    bake: bakeLowered,
    inputNames,
    outputNames: opts.outputNames ?? graph.outputs.map((_, k) => `output_${k}`),
    dynamicBatch: dyn ? B : undefined,
    inputDims: (_k, shape) => (dyn && shape.length > 0 && shape[0] === B ? [BATCH, ...shape.slice(1)] : shape),
    outputDims: (_k, shape) => (dyn && shape.length > 0 && shape[0] === B ? [BATCH, ...shape.slice(1)] : shape),
  });
  return { bytes: result.builder.encode(opts.graphName ?? 'keras_ts'), inputs: result.inputs, outputs: result.outputs, batch: dyn ? B : undefined };
}

/** Deterministic sample inputs: floats in [-1, 1), int32 zeros (always valid indices), bool false. */
function sampleInput(spec: IOSpec, batch: number | undefined, times: number): HostTensor {
  const shape = batch !== undefined && spec.shape[0] === batch ? [batch * times, ...spec.shape.slice(1)] : [...spec.shape];
  const data = allocData(spec.dtype, sizeOf(shape));
  if (spec.dtype === 'float32') {
    let s = 12345;
    const base = new Float32Array(sizeOf(spec.shape));
    for (let i = 0; i < base.length; i++) {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      base[i] = (s / 4294967296) * 2 - 1;
    }
    const copies = data.length / Math.max(base.length, 1);
    for (let r = 0; r < copies; r++) (data as Float32Array).set(base, r * base.length);
  }
  return { shape, dtype: spec.dtype, data };
}

async function runModel(bytes: Uint8Array, inputs: readonly IOSpec[], feeds: readonly HostTensor[]): Promise<HostTensor[]> {
  // Fatal-only logging: a model rejected at another batch size is an answer here, not an error to print.
  const session = await ort.InferenceSession.create(bytes, { logSeverityLevel: 4 });
  try {
    const f: Record<string, ort.Tensor> = {};
    inputs.forEach((spec, k) => (f[spec.name] = new ort.Tensor(spec.dtype, feeds[k].data, [...feeds[k].shape])));
    const out = await session.run(f);
    return session.outputNames.map((n) => ({ shape: out[n].dims as number[], dtype: 'float32', data: out[n].data as DataArray }));
  } finally {
    await session.release();
  }
}

function close(a: HostTensor, b: HostTensor): boolean {
  if (a.data.length !== b.data.length) return false;
  for (let i = 0; i < a.data.length; i++) {
    const x = Number(a.data[i]);
    const y = Number(b.data[i]);
    if (!(Math.abs(x - y) <= 1e-5 + 1e-4 * Math.abs(y)) && !(Number.isNaN(x) && Number.isNaN(y))) return false;
  }
  return true;
}

/**
 * Checks a model with a symbolic batch: at the traced batch it must give what the static model
 * gives, and on the inputs stacked twice, each output twice over.
 */
async function checkDynamic(dynBytes: Uint8Array, staticBytes: Uint8Array, inputs: readonly IOSpec[], outputs: readonly IOSpec[], batch: number): Promise<string | null> {
  try {
    const once = inputs.map((s) => sampleInput(s, batch, 1));
    const ref = await runModel(staticBytes, inputs, once);
    const got = await runModel(dynBytes, inputs, once);
    for (let k = 0; k < ref.length; k++) {
      if (!close(got[k], ref[k])) return `output ${k} at the traced batch differs from the static model's`;
    }
    const twice = await runModel(
      dynBytes,
      inputs,
      inputs.map((s) => sampleInput(s, batch, 2)),
    );
    for (let k = 0; k < ref.length; k++) {
      const o = outputs[k];
      const batched = o.shape.length > 0 && o.shape[0] === batch;
      const want = batched ? [batch * 2, ...o.shape.slice(1)] : o.shape;
      if (!shapesEqual(twice[k].shape, want)) return `output ${k} has shape ${fmtShape(twice[k].shape)} at batch ${batch * 2}, expected ${fmtShape(want)}`;
      const expected = batched ? { ...ref[k], data: concatTwice(ref[k].data) } : ref[k];
      if (!close(twice[k], expected)) return `output ${k} at batch ${batch * 2} is not the traced batch's output twice over (the rows interact)`;
    }
    return null;
  } catch (e) {
    return `onnxruntime rejected the model at another batch size: ${(e as Error).message.split('\n')[0]}`;
  }
}

function concatTwice(d: DataArray): DataArray {
  const out = new (d.constructor as new (n: number) => DataArray)(d.length * 2);
  out.set(d);
  out.set(d, d.length);
  return out;
}

/** Writes `bytes` to `path` through a temporary file in the same directory and a rename. */
export async function writeAtomic(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  try {
    await writeFile(tmp, bytes);
    await rename(tmp, path);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}

/**
 * Writes `graph` as a standalone ONNX model: each placeholder in `weightValues` (keyed by its
 * node id) is baked in as an initializer, the other placeholders are the model's inputs.
 *
 * For a symbolic batch, trace the graph at a batch size above 1 that no other dimension has
 * (say 3): at batch 1 the batch axis cannot be told from other size-1 axes (a squeeze of every
 * size-1 axis drops it), so such graphs fall back to static shapes.
 *
 * @example
 * const g = trace((x, w) => ops.matmul(x, w), [{ shape: [8, 4], dtype: 'float32' }, { shape: [4, 2], dtype: 'float32' }]);
 * await exportGraphToOnnx(g, new Map([[g.inputs[1], kernel]]), 'model.onnx');
 */
export async function exportGraphToOnnx(graph: Graph, weightValues: ReadonlyMap<number, HostTensor>, path: string, options: ExportOptions = {}): Promise<ExportResult> {
  const bake = new Map<number, HostTensor>();
  for (const [id, value] of weightValues) {
    const node = graph.nodes[id];
    if (!node || node.op !== 'placeholder' || !graph.inputs.includes(id)) throw new KerasValueError(`exportGraphToOnnx: %${id} is not an input of the graph`);
    if (node.dtype !== value.dtype || !shapesEqual(node.shape, value.shape)) {
      throw new KerasValueError(`exportGraphToOnnx: weight for input '${String(node.attrs.name)}' must be ${node.dtype}${fmtShape(node.shape)}, got ${value.dtype}${fmtShape(value.shape)}`);
    }
    bake.set(id, value);
  }
  const stat = encode(graph, bake, options, false);
  let chosen = stat;
  let staticReason: string | undefined = options.dynamicBatch === false ? 'not asked for' : undefined;
  if (options.dynamicBatch !== false) {
    const dyn = encode(graph, bake, options, true);
    if (dyn.batch === undefined) staticReason = 'no data input has a batch dimension';
    else {
      const problem = await checkDynamic(dyn.bytes, stat.bytes, dyn.inputs, dyn.outputs, dyn.batch);
      if (problem) staticReason = problem;
      else chosen = dyn;
    }
  }
  await writeAtomic(path, chosen.bytes);
  return {
    path,
    dynamicBatch: chosen !== stat,
    ...(staticReason && chosen === stat ? { staticReason } : {}),
    inputs: chosen.inputs.map(({ name, dtype, shape }) => ({ name, dtype, shape })),
    outputs: chosen.outputs,
    bytes: chosen.bytes.length,
  };
}

/**
 * A model ready for export, structurally: its predict graph, whose inputs are the data inputs
 * (first, `inputs.length` of them) and then one placeholder per weight, in `weights` order.
 */
export interface ExportableModel {
  readonly graph: Graph;
  readonly inputs: readonly { readonly name: string; readonly shape: Shape }[];
  readonly weights: readonly HostTensor[];
}

/**
 * Writes a traced model (see {@link ExportableModel}) as a standalone .onnx file.
 * @example await exportOnnx(tracedPredict, 'model.onnx');
 */
export async function exportOnnx(model: ExportableModel, path: string, options: ExportOptions = {}): Promise<ExportResult> {
  const { graph, inputs, weights } = model;
  if (graph.inputs.length !== inputs.length + weights.length) {
    throw new KerasValueError(`exportOnnx: the graph has ${graph.inputs.length} inputs, but ${inputs.length} data input(s) and ${weights.length} weight(s) were given`);
  }
  const bake = new Map<number, HostTensor>();
  weights.forEach((w, k) => bake.set(graph.inputs[inputs.length + k], w));
  return exportGraphToOnnx(graph, bake, path, { inputNames: inputs.map((i) => i.name), ...options });
}
