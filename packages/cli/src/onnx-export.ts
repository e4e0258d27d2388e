/**
 * ONNX export of a Keras model: its predict graph, traced on a sample batch, handed to
 * backend-onnx's `exportOnnx` with the weights baked in.
 *
 * The graph is the one `model.predict` itself compiles: a recording backend (wrapping the real
 * one) keeps the graph it is given and the tensors it is fed — the data inputs first, then the
 * model's variables (and a seed, when a layer draws random numbers). So the export needs no
 * engine internals and is exactly what predict runs.
 */
import { allocData, type Backend, type Executable, type Graph, type HostTensor, type Shape } from '@keras-ts/spec';
import { getBackend, setBackend, Tensor, type Model } from '@keras-ts/keras';

/** Traced at a batch of 3: at batch 1 a squeeze of size-1 axes would also drop the batch axis. */
const TRACE_BATCH = 3;
import { withoutOnnxTelemetry } from './backends.js';
import { CliError } from './util.js';

interface Run {
  readonly graph: Graph;
  readonly feeds: readonly HostTensor[];
}

/** A backend that runs on `inner` and records every graph run with its inputs. */
class RecordingBackend implements Backend {
  readonly name: string;
  readonly capabilities: Backend['capabilities'];
  readonly runs: Run[] = [];

  constructor(private readonly inner: Backend) {
    this.name = inner.name;
    this.capabilities = inner.capabilities;
  }

  compile(graph: Graph): Executable {
    const exe = this.inner.compile(graph);
    const runs = this.runs;
    return {
      run: async (inputs) => {
        runs.push({ graph, feeds: [...inputs] });
        return exe.run(inputs);
      },
      ...(exe.runSync
        ? {
            runSync: (inputs: readonly HostTensor[]) => {
              runs.push({ graph, feeds: [...inputs] });
              return exe.runSync!(inputs);
            },
          }
        : {}),
      dispose: () => exe.dispose(),
    };
  }
}

/** What backend-onnx's exporter takes and returns (typed here so that the CLI does not depend on its exact types). */
interface ExportResultLike {
  readonly dynamicBatch: boolean;
  readonly staticReason?: string;
  readonly bytes: number;
}
type ExportOnnxFn = (model: { graph: Graph; inputs: { name: string; shape: Shape }[]; weights: HostTensor[] }, path: string, options?: { outputNames?: readonly string[]; dynamicBatch?: boolean }) => Promise<ExportResultLike>;

/** backend-onnx's `exportOnnx`, or an error saying the export is unavailable. */
async function loadExporter(): Promise<ExportOnnxFn> {
  let mod: Record<string, unknown>;
  try {
    withoutOnnxTelemetry();
    mod = (await import('@keras-ts/backend-onnx/export')) as Record<string, unknown>;
  } catch (e) {
    throw new CliError(`cannot write ONNX: backend-onnx export is unavailable (@keras-ts/backend-onnx/export cannot be loaded: ${(e as Error).message.split('\n')[0]})`);
  }
  if (typeof mod.exportOnnx !== 'function') throw new CliError('cannot write ONNX: backend-onnx export is unavailable (@keras-ts/backend-onnx/export has no exportOnnx function)');
  return mod.exportOnnx as ExportOnnxFn;
}

/** One sample batch (batch 1, zeros) for the model's inputs; every other dimension must be known. */
function sampleInputs(model: Model, batch: number): Tensor[] {
  return model.inputs.map((spec, i) => {
    const rest = spec.shape.slice(1);
    const unknown = rest.findIndex((d) => d === null);
    if (unknown >= 0) {
      throw new CliError(`cannot export model '${model.name}' to ONNX: input '${model.inputNames[i]}' has shape (${spec.shape.map((d) => d ?? 'None').join(', ')}); only the batch dimension may be unknown`);
    }
    const shape = [batch, ...(rest as number[])];
    return new Tensor(shape, spec.dtype, allocData(spec.dtype, shape.reduce((a, b) => a * b, 1)));
  });
}

export interface OnnxExportSummary {
  readonly dynamicBatch: boolean;
  /** The fixed batch size of a static model (null when the batch is dynamic). */
  readonly batch: number | null;
  readonly staticReason?: string;
  readonly bytes: number;
}

/**
 * Writes `model` as a standalone .onnx file (atomically, by backend-onnx): inputs named as the
 * model's inputs, outputs as its outputs, a symbolic batch dimension when the graph allows it.
 */
export async function exportModelToOnnx(model: Model, path: string): Promise<OnnxExportSummary> {
  const exportOnnx = await loadExporter();
  const first = await exportAtBatch(exportOnnx, model, path, TRACE_BATCH, true);
  if (first.dynamicBatch) return { ...first, batch: null };
  // Rows mix in the graph traced at batch 3 (a reshape across the batch, say): a static model is
  // written traced at batch 1, which is what a caller of a static model feeds it, row by row.
  try {
    const one = await exportAtBatch(exportOnnx, model, path, 1, false);
    return { ...one, staticReason: first.staticReason, batch: 1 };
  } catch {
    // At batch 1 the trace itself differs (a squeeze of size-1 axes): the batch-3 file stays.
    await exportAtBatch(exportOnnx, model, path, TRACE_BATCH, false);
    return { ...first, batch: TRACE_BATCH };
  }
}

/**
 * ONNX output names: the model's output names, made unique (a layer with several outputs, as an
 * LSTM with `returnState`, gives `lstm`, `lstm_1`, `lstm_2`; ONNX names each value once).
 */
function uniqueNames(names: readonly string[]): string[] {
  const used = new Set<string>();
  return names.map((n) => {
    let name = n;
    for (let k = 1; used.has(name); k++) name = `${n}_${k}`;
    used.add(name);
    return name;
  });
}

async function exportAtBatch(exportOnnx: ExportOnnxFn, model: Model, path: string, batch: number, dynamicBatch: boolean): Promise<Omit<OnnxExportSummary, 'batch'>> {
  const xs = sampleInputs(model, batch);
  const inner = getBackend();
  const recorder = new RecordingBackend(inner);
  setBackend(recorder);
  try {
    await model.predict(xs.length === 1 ? xs[0] : xs, { batchSize: batch, verbose: 0 });
  } finally {
    setBackend(inner);
  }
  const run = recorder.runs.at(-1);
  const n = xs.length;
  if (!run || run.graph.inputs.length !== run.feeds.length || run.feeds.length < n || !xs.every((x, i) => run.feeds[i].shape.join(',') === x.shape.join(','))) {
    throw new CliError(`cannot export model '${model.name}' to ONNX: its predict graph could not be traced`);
  }
  const nOut = model.outputs.length;
  // Only the predictions: drop any state updates a layer might record (none in inference).
  const graph = run.graph;
  if (graph.outputs.length > nOut) graph.outputs = graph.outputs.slice(0, nOut);
  const result = await exportOnnx(
    {
      graph,
      inputs: model.inputNames.map((name, i) => ({ name, shape: xs[i].shape })),
      weights: run.feeds.slice(n).map((t) => ({ shape: [...t.shape], dtype: t.dtype, data: t.data })),
    },
    path,
    { outputNames: uniqueNames(model.outputNames), ...(dynamicBatch ? {} : { dynamicBatch: false }) },
  );
  return { dynamicBatch: result.dynamicBatch, staticReason: result.staticReason, bytes: result.bytes };
}
