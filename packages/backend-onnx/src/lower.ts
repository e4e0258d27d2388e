import { prepareGraph, type Graph, type HostTensor } from '@keras-ts/spec';
import { GraphBuilder } from './builder.js';
import { LOWERINGS } from './lowerings/index.js';
import { bakeWeights } from './pipeline/bake.js';
import { deferOperands } from './pipeline/defer-operands.js';
import { emitNodes } from './pipeline/emit.js';
import { fillScalars } from './pipeline/fill-scalars.js';
import { foldPads } from './pipeline/fold-pads.js';
import { declareInputs, declareOutputs, type IOSpec, type NamingOptions } from './pipeline/naming.js';
import { planLowering, type LoweringPass } from './pipeline/plan.js';
import { poolGradients } from './pipeline/pool-gradients.js';
import { LoweringState } from './pipeline/state.js';

/**
 * Lowering of a spec graph to an ONNX graph, as a pipeline: the spec's graph passes
 * ({@link prepareForOnnx}: composites without a lowering decomposed, relu's gradient mask, a
 * matmul or convolution and its epilogue fused), then the lowering passes, which analyse the
 * graph into a plan, then weight baking, input naming, the emission of every node through its op's
 * lowering (`src/lowerings/<family>.ts`) and the outputs. Tensors stay channels-last as in the
 * spec; the window ops (conv, pooling) run on ONNX's channels-first operators between Transposes,
 * which onnxruntime's transpose optimizer cancels between consecutive window ops.
 */

export { NATIVE_COMPOSITES } from './lowerings/index.js';
export { GATHER_REFUSED_INDEX } from './lowerings/indexing.js';
export type { IOSpec } from './pipeline/naming.js';

/**
 * The lowering passes, in order: max pools that share their argmax with their gradient, zero
 * pads folded into the convolutions that read them, epilogue operands emitted after their fused
 * node's operator, fills taken as scalars.
 */
export const LOWERING_PASSES: readonly LoweringPass[] = [poolGradients, foldPads, deferOperands, fillScalars];

/**
 * What backend-onnx lowers: `graph` with the composites that have no lowering decomposed and
 * rewritten by the spec's graph passes for the ops that have one (spec/src/graph/passes:
 * relu-mask, and fuse-epilogues into fused_matmul / fused_conv / fused_conv_transpose).
 *
 * @example
 * const onnxModel = lowerGraph(prepareForOnnx(graph)).builder.encode();
 */
export function prepareForOnnx(graph: Graph): Graph {
  return prepareGraph(graph, hasLowering);
}

/** Whether the lowering handles `op`. */
export function hasLowering(op: string): boolean {
  return op === 'placeholder' || LOWERINGS.has(op);
}

/**
 * Every op the lowering handles: placeholder (an input or a baked weight) and the ops of its
 * lowering registry (composites only those in {@link NATIVE_COMPOSITES} reach it).
 */
export function loweredOps(): string[] {
  return ['placeholder', ...LOWERINGS.names()];
}

/** Options of {@link lowerGraph}. */
export interface LowerOptions extends NamingOptions {
  /** Placeholders (by node id) baked into the model as initializers instead of inputs. */
  readonly bake?: ReadonlyMap<number, HostTensor>;
}

/**
 * What {@link lowerGraph} returns: the ONNX graph under construction and the model's inputs and
 * outputs.
 */
export interface Lowered {
  readonly builder: GraphBuilder;
  /** The model's inputs (placeholders not baked), in graph input order, with their position in the graph's inputs. */
  readonly inputs: readonly (IOSpec & { readonly index: number })[];
  readonly outputs: readonly IOSpec[];
}

/**
 * Lowers `graph` (prepared by {@link prepareForOnnx}, or at least with the composites other than
 * {@link NATIVE_COMPOSITES} lowered and dead nodes dropped) into a GraphBuilder. Placeholders become inputs (or initializers when baked),
 * constants initializers; every output goes through an Identity named after it.
 */
export function lowerGraph(graph: Graph, opts: LowerOptions = {}): Lowered {
  const plan = planLowering(graph, LOWERING_PASSES);
  const st = new LoweringState(graph, plan, new GraphBuilder(), LOWERINGS);
  st.b.poolsWithGrad = plan.poolsWithGrad;
  bakeWeights(st, opts.bake);
  const inputs = declareInputs(st, opts);
  emitNodes(st);
  const outputs = declareOutputs(st, opts);
  return { builder: st.b, inputs, outputs };
}
