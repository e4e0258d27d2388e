import type { z } from 'zod';
import type { DType } from '../dtype.js';
import type { Shape } from '../shape.js';
import type { Node, Sym } from '../graph/graph.js';
import { KerasError, KerasValueError } from '../errors.js';

/** What a shape rule sees of each input, and what it returns for the output. */
export interface TensorInfo {
  readonly shape: Shape;
  readonly dtype: DType;
}

/** What a gradient rule gets: the forward node's inputs and output, and the output's adjoint. */
export interface GradContext<A> {
  readonly inputs: readonly Sym[];
  readonly output: Sym;
  readonly dy: Sym;
  readonly attrs: A;
}

/**
 * The words of an op's entry in the op-set reference (docs/ops.md, made by
 * scripts/docs/ops.ts), which its code cannot give. They sit next to the declaration so that a
 * change to a rule and to its description go together; every op must have them.
 */
export interface OpDoc {
  /** What the op computes, in a sentence or two. */
  readonly summary: string;
  /** Names of the inputs in order, one per input (a variadic op gives one name for all of them). */
  readonly inputs: readonly string[];
  /** The output shape in terms of the inputs' shapes and the attributes, and what the rule rejects. */
  readonly shape: string;
  /** The dtypes the inputs take and the output's dtype. */
  readonly dtype: string;
  /**
   * The gradient: which inputs receive one and how it is computed. Required when the op has a
   * `grad` rule; without one the reference says the op has no gradient (for a composite: that
   * of its decomposition), followed by this text when given.
   */
  readonly grad?: string;
}

/**
 * One op of the spec, declared once, as data.
 *
 * - `infer` is the shape and dtype rule; it needs no backend. It throws {@link ShapeProblem}
 *   (via {@link problem}) to reject inputs; the graph turns that into an {@link OpError}.
 * - `grad` returns one adjoint per input (null: no gradient flows to that input), written in
 *   other ops. Ops without `grad` are not differentiable (tracing a gradient through one fails)
 *   unless they are composites, whose gradient is that of their decomposition.
 * - `decompose` (composites only) rewrites the op into other ops; a backend that registers a
 *   fused kernel under the composite's name runs that instead.
 */
export interface OpDef<A = Record<string, unknown>> {
  /** The op's name, unique in the registry (snake_case, as in the graph IR). */
  readonly name: string;
  /** 'primitive': backends must implement it; 'composite': defined by `decompose`. */
  readonly kind: 'primitive' | 'composite';
  /** Number of inputs, or 'variadic' (at least one). */
  readonly arity: number | 'variadic';
  /** The zod schema of the attributes; the graph parses (and fills defaults of) every node's attributes with it. */
  readonly attrs: z.ZodType<A>;
  /** The shape and dtype rule: the output's shape and dtype from the inputs' and the attributes. */
  readonly infer: (inputs: readonly TensorInfo[], attrs: A) => TensorInfo;
  /** The gradient rule: one adjoint per input (null: none), written in other ops. */
  readonly grad?: (ctx: GradContext<A>) => readonly (Sym | null)[];
  /** The decomposition of a composite into other ops, traced into the current graph. */
  readonly decompose?: (inputs: readonly Sym[], attrs: A) => Sym;
  /** Whether the op's output is a constant function of its inputs' values (false: random ops). */
  readonly pure?: boolean;
  /** Its entry in the op-set reference, in words (see {@link OpDoc}). */
  readonly doc?: OpDoc;
}

/**
 * The attribute schema of each op, by op name. Each op family adds its ops next to their
 * declarations (`declare module './registry.js' { interface OpSchemas { conv: typeof convAttrs } }`),
 * so that kernels receive their attributes typed ({@link OpNode}) with no casts.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by module augmentation
export interface OpSchemas {}

/** The name of an op whose attributes are typed (see {@link OpSchemas}). */
export type OpName = keyof OpSchemas & string;

/** The attributes of op `N` as its schema parses them (defaults filled). */
export type OpAttrs<N extends OpName> = z.output<OpSchemas[N]>;

/**
 * A graph node of op `N`, its attributes typed from the op's schema: what a kernel registered for
 * `N` receives (the graph parsed the node's attributes with that schema when it was added).
 *
 * @example
 * const transpose = (node: OpNode<'transpose'>) => node.attrs.perm; // number[]
 */
export type OpNode<N extends OpName> = Omit<Node, 'op' | 'attrs'> & {
  readonly op: N;
  readonly attrs: Readonly<OpAttrs<N>>;
};

/**
 * Whether `node` is a node of op `op`; narrows it to {@link OpNode}, its attributes typed (for
 * code that handles several ops, such as a graph pass or a fusion planner).
 *
 * @example
 * if (isOpNode(node, 'clip')) lo = node.attrs.min; // number
 */
export function isOpNode<N extends OpName>(node: Node, op: N): node is Node & OpNode<N> {
  return node.op === op;
}

/**
 * Thrown by shape rules; carries only the problem, the graph adds the op and inputs (it becomes an
 * {@link OpError}). A {@link KerasError} with code `BAD_OP_INPUT` when a rule is run by hand.
 * @example throw new ShapeProblem(`axis ${axis} is out of range for rank ${rank}`);
 */
export class ShapeProblem extends KerasError {
  constructor(message: string) {
    super('BAD_OP_INPUT', message);
  }
}

/** Rejects the op's inputs or attributes with a message saying what is wrong. */
export function problem(message: string): never {
  throw new ShapeProblem(message);
}

const REGISTRY = new Map<string, OpDef<any>>();

/** Registers an op; refuses a second op of the same name. */
export function defineOp<A>(def: OpDef<A>): OpDef<A> {
  if (REGISTRY.has(def.name)) throw new KerasValueError(`op '${def.name}' is already defined`);
  if (def.kind === 'composite' && !def.decompose) {
    throw new KerasValueError(`composite op '${def.name}' needs a decomposition`);
  }
  REGISTRY.set(def.name, def);
  return def;
}

/** The declaration of an op by name, or undefined. */
export function findOp(name: string): OpDef<any> | undefined {
  return REGISTRY.get(name);
}

/** The declaration of an op by name; throws for an unknown name. */
export function getOp(name: string): OpDef<any> {
  const def = REGISTRY.get(name);
  if (!def) throw new KerasValueError(`unknown op '${name}'`);
  return def;
}

/** Every declared op, in declaration order. */
export function allOps(): OpDef<any>[] {
  return [...REGISTRY.values()];
}
