import type { DType, Shape } from '@keras-ts/spec';
import type { Dim } from '../proto.js';
import type { LoweringState } from './state.js';

/** An input or output of a lowered model: its ONNX name, dtype and (traced) shape. */
export interface IOSpec {
  readonly name: string;
  readonly dtype: DType;
  readonly shape: Shape;
}

/** How the model's inputs and outputs are named and declared (the naming options of lowerGraph). */
export interface NamingOptions {
  /** Graph input names, in the graph's input order (default: sanitized placeholder names). */
  readonly inputNames?: readonly (string | undefined)[];
  /** Output names (default out_0, out_1...). */
  readonly outputNames?: readonly string[];
  /** Declared dims of each input (e.g. a symbolic batch); default the static shape. */
  readonly inputDims?: (k: number, shape: Shape) => readonly Dim[];
  /** Declared dims of each output, as `inputDims` for inputs; default the static shape. */
  readonly outputDims?: (k: number, shape: Shape) => readonly Dim[];
  /**
   * Lower for a symbolic batch of this traced size: shapes whose leading dimension equals it
   * read the batch from the first input that has it (for export; only shape-carrying ops
   * change, so the model stays correct at the traced size).
   */
  readonly dynamicBatch?: number;
}

/** A placeholder's name as an ONNX value name: characters other than [A-Za-z0-9_.:/-] become '_'. */
export function sanitize(name: string): string {
  return name.replace(/[^A-Za-z0-9_.:/-]/g, '_') || 'input';
}

/**
 * Declares the graph inputs not baked as the model's inputs, named after their placeholders
 * (unique), and picks the first with the symbolic batch as its source. Returns them in graph
 * input order with their position among the graph's inputs.
 */
export function declareInputs(st: LoweringState, opts: NamingOptions): (IOSpec & { index: number })[] {
  const { b, graph } = st;
  const inputs: (IOSpec & { index: number })[] = [];
  const used = new Set<string>();
  graph.inputs.forEach((id, k) => {
    if (st.has(id)) return; // baked
    const node = graph.nodes[id];
    let name = opts.inputNames?.[k] ?? sanitize(String(node.attrs.name ?? `input_${k}`));
    while (used.has(name)) name = `${name}_${k}`;
    used.add(name);
    st.set(id, name, node.shape);
    b.addInput(name, node.dtype, opts.inputDims ? opts.inputDims(k, node.shape) : node.shape);
    inputs.push({ name, dtype: node.dtype, shape: node.shape, index: k });
    if (opts.dynamicBatch !== undefined && !b.batch && node.shape.length > 0 && node.shape[0] === opts.dynamicBatch) {
      b.batch = { size: opts.dynamicBatch, source: name };
    }
  });
  return inputs;
}

/** Declares the model's outputs, each an Identity of its node's value named after it. */
export function declareOutputs(st: LoweringState, opts: NamingOptions): IOSpec[] {
  const { b, graph } = st;
  return graph.outputs.map((id, k) => {
    const node = graph.nodes[id];
    const name = opts.outputNames?.[k] ?? `out_${k}`;
    b.nodes.push({ op: 'Identity', inputs: [st.valueOf(id)], outputs: [name] });
    b.addOutput(name, node.dtype, opts.outputDims ? opts.outputDims(k, node.shape) : node.shape);
    return { name, dtype: node.dtype, shape: node.shape };
  });
}
