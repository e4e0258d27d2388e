import { KernelRegistry, type Node, type OpAttrs, type OpName, KerasNotImplementedError } from '@keras-ts/spec';
import type { GraphBuilder } from './builder.js';

/** A node of the spec graph whose attributes have the type `A` of its op's attribute schema. */
export type LoweringNode<A> = Omit<Node, 'attrs'> & { readonly attrs: A };

/**
 * The attributes of op `Op` as its zod schema parses them (the spec's `OpAttrs`), for an op whose
 * family declares its schema in the spec's `OpSchemas`; a plain record for any other.
 */
export type AttrsOf<Op extends string> = Op extends OpName ? Readonly<OpAttrs<Op>> : Readonly<Record<string, unknown>>;

/**
 * Lowers one node of the spec graph to ONNX nodes in `b` and returns the ONNX name of its value.
 * `ins` are the ONNX names of its inputs (an input may be a broadcast scalar, see
 * pipeline/fill-scalars.ts), `inNodes` the spec nodes they come from, and `bias` a bias vector
 * that conv, conv_transpose and 2-D matmul fold into their operator (see lowerings/fused.ts).
 */
export type Lowering<A = Readonly<Record<string, unknown>>> = (b: GraphBuilder, node: LoweringNode<A>, ins: string[], inNodes: readonly Node[], bias?: string) => string;

/**
 * The lowerings of backend-onnx by op name, on the spec's {@link KernelRegistry} (an op the spec
 * does not have, or registered twice, is refused). A lowering receives its node's attributes
 * typed from the op's schema ({@link AttrsOf}): the graph parsed them with it when the node was made.
 */
export class LoweringRegistry {
  private readonly kernels = new KernelRegistry<Lowering>('backend-onnx');

  /** Registers the lowering of `op`; it receives the node's attributes typed from the op's schema. */
  add<Op extends string>(op: Op, lower: Lowering<AttrsOf<Op>>): void {
    // The one place attributes get their type: the op's schema parsed them when the node was made.
    this.kernels.register(op, (b, node, ins, inNodes, bias) => lower(b, node as LoweringNode<AttrsOf<Op>>, ins, inNodes, bias));
  }

  /** Lowers `node` with its op's lowering; throws when the op has none. */
  lower(b: GraphBuilder, node: Node, ins: string[], inNodes: readonly Node[], bias?: string): string {
    if (!this.kernels.has(node.op)) throw new KerasNotImplementedError(`backend-onnx: no lowering for op '${node.op}' (%${node.id})`);
    return this.kernels.get(node.op)(b, node, ins, inNodes, bias);
  }

  /** Whether `op` has a lowering. */
  has(op: string): boolean {
    return this.kernels.has(op);
  }

  /** The ops that have a lowering, in registration order. */
  names(): string[] {
    return this.kernels.names();
  }
}

/** One op family's lowerings (`src/lowerings/<family>.ts`), added to a registry. */
export type LoweringFamily = (reg: LoweringRegistry) => void;
