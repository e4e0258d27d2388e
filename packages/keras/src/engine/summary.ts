import { printable } from '../errors.js';
import { InputLayer } from './input-layer.js';
import type { LayerNode, SymbolicShape } from './keras-tensor.js';
import type { Layer } from './layer.js';
import type { Model } from './model.js';
import type { Variable } from './variable.js';

/** Python's repr of a shape tuple: `(None, 8)`, `(None,)`. */
function tuple(shape: SymbolicShape): string {
  const items = shape.map((d) => (d === null ? 'None' : String(d)));
  return items.length === 1 ? `(${items[0]},)` : `(${items.join(', ')})`;
}

/** The layer calls that belong to the model: reached from its outputs back to its inputs. */
function modelNodes(model: Model): Set<LayerNode> {
  const nodes = new Set<LayerNode>();
  const inputs = new Set(model.inputs.map((t) => t.id));
  const stack = [...model.outputs];
  while (stack.length) {
    const t = stack.pop()!;
    const node = t.source.layer.inboundNodes[t.source.nodeIndex];
    if (!node || nodes.has(node)) continue;
    nodes.add(node);
    if (!inputs.has(t.id)) stack.push(...node.inputs);
  }
  return nodes;
}

function outputShapeOf(layer: Layer, nodes: Set<LayerNode> | null): string {
  if (!nodes) return 'multiple';
  const own = layer.inboundNodes.filter((n) => nodes.has(n) && n.outputs.length);
  if (own.length === 0) return 'multiple';
  const shapes = own.map((n) => (n.outputs.length === 1 && !(layer instanceof InputLayer) ? tuple(n.outputs[0].shape) : `[${n.outputs.map((o) => tuple(o.shape)).join(', ')}]`));
  return new Set(shapes).size === 1 ? shapes[0] : 'multiple';
}

function readableSize(bytes: number): string {
  const units = ['Byte', 'KB', 'MB', 'GB', 'TB', 'PB'];
  let v = bytes;
  for (const u of units) {
    if (v / 1024 < 1) return `${v.toFixed(2)} ${u}`;
    v /= 1024;
  }
  return `${v.toFixed(2)} PB`;
}

const count = (ws: readonly Variable[]) => ws.reduce((n, w) => n + w.value.size, 0);

/**
 * Keras 2's `model.summary()` text: a table of layers, output shapes and parameter counts
 * (with a "Connected to" column for non-sequential functional models), then the totals.
 */
export function summaryLines(model: Model, lineLength?: number): string[] {
  const lines: string[] = [];
  const layers = model.layers;
  // Subclassed models have no graph: they print as a sequence with 'multiple' output shapes.
  const nodes = model.outputs.length ? modelNodes(model) : null;
  const graph = model.className !== 'Sequential' && nodes !== null;
  let sequentialLike = true;
  if (graph) {
    for (const l of layers) {
      const own = l.inboundNodes.filter((n) => nodes!.has(n) && n.inputs.length);
      if (own.length > 1 || own.some((n) => n.inputs.length > 1)) sequentialLike = false;
    }
    if (model.inputs.length > 1 || model.outputs.length > 1) sequentialLike = false;
  }
  const width = lineLength ?? (sequentialLike ? 65 : 98);
  const positions = (sequentialLike ? [0.45, 0.85, 1.0] : [0.3, 0.6, 0.7, 1.0]).map((p) => Math.floor(width * p));
  const header = sequentialLike ? ['Layer (type)', 'Output Shape', 'Param #'] : ['Layer (type)', 'Output Shape', 'Param #', 'Connected to'];

  const printRow = (fields: string[]) => {
    const left = [...fields];
    while (left.some((f) => f.length)) {
      let line = '';
      for (let col = 0; col < left.length; col++) {
        const start = col > 0 ? positions[col - 1] : 0;
        const space = col !== positions.length - 1 ? 2 : 0;
        let cutoff = positions[col] - start - space - (col !== positions.length - 1 ? 1 : 0);
        let fit = left[col].slice(0, cutoff);
        const breaks = ['),', '},', '],', "',"].map((b) => (fit.indexOf(b) >= 0 ? fit.indexOf(b) + b.length : -1)).filter((i) => i >= 0);
        if (breaks.length) {
          cutoff = Math.min(...breaks);
          fit = fit.slice(0, cutoff);
        }
        if (col === 0) line += ' ';
        line += fit + ' '.repeat(space);
        left[col] = left[col].slice(cutoff);
        line += ' '.repeat(Math.max(0, positions[col] - line.length));
      }
      lines.push(line);
    }
  };

  lines.push(`Model: "${model.name}"`);
  lines.push('_'.repeat(width));
  printRow(header);
  lines.push('='.repeat(width));
  layers.forEach((layer, i) => {
    const params = layer.built ? String(layer.countParams()) : '0 (unused)';
    const fields = [`${layer.name} (${layer.className})`, outputShapeOf(layer, nodes), params];
    if (!sequentialLike) {
      const conns: string[] = [];
      for (const node of layer.inboundNodes) {
        if (!nodes!.has(node)) continue;
        for (const t of node.inputs) conns.push(`'${t.source.layer.name}[${t.source.nodeIndex}][${t.source.tensorIndex}]'`);
      }
      fields.push(`[${conns.join(', ')}]`);
    }
    printRow(fields);
    lines.push(' '.repeat(width));
  });
  lines.push('='.repeat(width));
  const trainable = count(model.trainableWeights);
  const nonTrainable = count(model.nonTrainableWeights);
  lines.push(`Total params: ${trainable + nonTrainable} (${readableSize((trainable + nonTrainable) * 4)})`);
  lines.push(`Trainable params: ${trainable} (${readableSize(trainable * 4)})`);
  lines.push(`Non-trainable params: ${nonTrainable} (${readableSize(nonTrainable * 4)})`);
  lines.push('_'.repeat(width));
  // Names come from files: their control characters are escaped, not sent to the terminal.
  return lines.map(printable);
}
