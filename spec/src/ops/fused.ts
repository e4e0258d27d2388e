// Fused composite ops: what the graph passes of ../graph/passes/ make. A backend that registers a
// kernel under one of these names runs it as one step; any other backend never sees them (the
// passes only make the ops a backend has), and a graph that holds one anyway is lowered to its
// decomposition, which is exactly the nodes the pass replaced.
import { z } from 'zod';
import type { Sym } from '../graph/graph.js';
import { broadcastShapes, fmtShape, shapesEqual } from '../shape.js';
import { add, BINARY, mul } from './binary.js';
import { zConvAttrs, zConvTransposeAttrs, zDepthwiseConvAttrs } from './conv.js';
import { zMatmulAttrs } from './matmul.js';
import { defineOp, getOp, problem, ShapeProblem, type TensorInfo } from './registry.js';
import { UNARY } from './unary.js';

/**
 * One step of a fused op's epilogue: the running value y becomes `op(...)` of y, placed at
 * position `at` among the op's inputs, and of the fused op's inputs listed in `args` (positions
 * 2 and up: the first two are the producer's), with the step op's attributes.
 */
export const zEpilogueStep = z.strictObject({
  op: z.string(),
  at: z.number().int().nonnegative().default(0),
  args: z.array(z.number().int().min(2)).default([]),
  attrs: z.record(z.string(), z.unknown()).default({}),
});

/** One step of an epilogue (see {@link zEpilogueStep}). */
export type EpilogueStep = z.output<typeof zEpilogueStep>;

/**
 * Whether `op` may be a step of an epilogue: a float32 elementwise op whose output has its first
 * input's shape when the others broadcast into it (every unary op taking float32, every
 * broadcasting binary op not returning bool, clip and scale_shift). Derived from the unary and
 * binary tables, so a new elementwise op can be fused with no change here.
 * @example isEpilogueOp('relu') // true; isEpilogueOp('greater') // false (returns bool)
 */
export function isEpilogueOp(op: string): boolean {
  if (op === 'clip' || op === 'scale_shift') return true;
  const u = UNARY[op];
  if (u) return u.dtypes.includes('float32');
  const b = BINARY[op];
  return !!b && !b.toBool && b.dtypes.includes('float32');
}

/** A producer an epilogue can follow: the op a fused op starts with. */
export type FusedProducer = 'matmul' | 'conv' | 'conv_transpose' | 'depthwise_conv';

/** The name of a fused op of the fuse-epilogues pass (`fused_matmul`, ...): its attributes are typed (`OpNode<FusedOpName>`). */
export type FusedOpName = `fused_${FusedProducer}`;

/**
 * The producers an epilogue can follow, and the fused op of each.
 * @example FUSED_PRODUCERS.matmul // 'fused_matmul'
 */
export const FUSED_PRODUCERS: Readonly<Record<string, string>> = {
  matmul: 'fused_matmul',
  conv: 'fused_conv',
  conv_transpose: 'fused_conv_transpose',
  depthwise_conv: 'fused_depthwise_conv',
};

/** The attributes of a fused op: its producer's and the `epilogue`. */
export type FusedAttrs = Readonly<Record<string, unknown>> & { readonly epilogue: readonly EpilogueStep[] };

/**
 * The producer's attributes: a fused op's without `epilogue` (for kernels that run the producer).
 * @example producerAttrs(node.attrs) // { transposeA: false, transposeB: false } for a fused_matmul
 */
export function producerAttrs<A extends FusedAttrs>(attrs: A): Omit<A, 'epilogue'> {
  const { epilogue: _, ...rest } = attrs;
  return rest;
}

/**
 * The inputs of step `s`, the running value `y` at its place among the fused op's `inputs`.
 * @example stepInputs({ op: 'sub', at: 1, args: [2], attrs: {} }, y, inputs) // [inputs[2], y]: inputs[2] - y
 */
export function stepInputs<T>(s: EpilogueStep, y: T, inputs: readonly T[]): T[] {
  const ins = s.args.map((i) => inputs[i]);
  ins.splice(s.at, 0, y);
  return ins;
}

function inferFused(producer: string, infos: readonly TensorInfo[], attrs: FusedAttrs): TensorInfo {
  if (infos.length < 2) problem(`takes the ${producer}'s two inputs and the epilogue's, got ${infos.length} input(s)`);
  const base = getOp(producer);
  let y = base.infer(infos.slice(0, 2), base.attrs.parse(producerAttrs(attrs)));
  const steps = attrs.epilogue;
  const read = new Set<number>();
  steps.forEach((s, k) => {
    const what = `epilogue step ${k} ('${s.op}')`;
    if (!isEpilogueOp(s.op)) problem(`${what}: not an elementwise op an epilogue takes`);
    const def = getOp(s.op);
    if (def.arity !== s.args.length + 1) problem(`${what}: the op takes ${def.arity} input(s), the step gives ${s.args.length + 1}`);
    if (s.at > s.args.length) problem(`${what}: 'at' = ${s.at} is past its ${s.args.length + 1} input(s)`);
    for (const i of s.args) {
      if (i >= infos.length) problem(`${what}: reads input ${i}, but the op has ${infos.length}`);
      read.add(i);
    }
    const parsed = def.attrs.safeParse(s.attrs);
    if (!parsed.success) problem(`${what}: bad attributes ${JSON.stringify(s.attrs)}`);
    let out: TensorInfo;
    try {
      out = def.infer(stepInputs(s, y, infos), parsed.data);
    } catch (e) {
      if (e instanceof ShapeProblem) problem(`${what}: ${e.message}`);
      throw e;
    }
    if (out.dtype !== 'float32' || !shapesEqual(out.shape, y.shape)) {
      problem(`${what}: gives ${out.dtype}${fmtShape(out.shape)} from ${y.dtype}${fmtShape(y.shape)}; a step keeps the shape and dtype`);
    }
    y = out;
  });
  for (let i = 2; i < infos.length; i++) if (!read.has(i)) problem(`input ${i} is read by no epilogue step`);
  return y;
}

function decomposeFused(producer: string, inputs: readonly Sym[], attrs: FusedAttrs): Sym {
  const g = inputs[0].graph;
  let y = g.apply(producer, [inputs[0], inputs[1]], producerAttrs(attrs));
  for (const s of attrs.epilogue) y = g.apply(s.op, stepInputs(s, y, inputs), s.attrs);
  return y;
}

const EPILOGUE_DOC =
  ' followed by its epilogue: elementwise steps applied in order to the running value, each a float32 elementwise op (a unary op, a broadcasting binary op, clip or scale_shift) with the running value at position `at` among its inputs and the fused op\'s inputs `args` (2 and up) as the others, and the step op\'s `attrs`. Made by the fuse-epilogues graph pass (bias, batch-norm scale and shift, activation, residual add after a matmul or a convolution) for a backend that registers a kernel for it.';

const withEpilogue = { epilogue: z.array(zEpilogueStep).default([]) };
const zFusedMatmulAttrs = zMatmulAttrs.extend(withEpilogue);
const zFusedConvAttrs = zConvAttrs.extend(withEpilogue);
const zFusedConvTransposeAttrs = zConvTransposeAttrs.extend(withEpilogue);
const zFusedDepthwiseConvAttrs = zDepthwiseConvAttrs.extend(withEpilogue);

/** Declares the fused op of `producer`, its attributes the producer's schema with the epilogue. */
function defineFused<A extends FusedAttrs>(producer: FusedProducer, attrs: z.ZodType<A>): void {
  defineOp({
    name: FUSED_PRODUCERS[producer],
    kind: 'composite',
    arity: 'variadic',
    attrs,
    infer: (infos, a) => inferFused(producer, infos, a),
    decompose: (inputs, a) => decomposeFused(producer, inputs, a),
    doc: {
      summary: `\`${producer}\` of the first two inputs (its attributes as the op's)${EPILOGUE_DOC}`,
      inputs: ['x, w, operands'],
      shape: `The ${producer}'s output shape; every step must keep it (its other inputs broadcast into it). Rejected: what ${producer} rejects, a step op that is not elementwise or that changes the shape or dtype, a step reading an input that does not exist, an input no step reads.`,
      dtype: 'float32 only; the output is float32.',
    },
  });
}

defineFused('matmul', zFusedMatmulAttrs);
defineFused('conv', zFusedConvAttrs);
defineFused('conv_transpose', zFusedConvTransposeAttrs);
defineFused('depthwise_conv', zFusedDepthwiseConvAttrs);

/** x · scale + shift, the scale and shift broadcasting into x's shape (inference batch normalization). */
const scaleShiftAttrs = z.strictObject({});

defineOp({
  name: 'scale_shift',
  kind: 'composite',
  arity: 3,
  attrs: scaleShiftAttrs,
  infer: ([x, s, t]) => {
    if (x.dtype !== 'float32' || s.dtype !== 'float32' || t.dtype !== 'float32') problem(`takes float32, got ${x.dtype}, ${s.dtype} and ${t.dtype}`);
    const xs = broadcastShapes(x.shape, s.shape);
    const shape = xs && broadcastShapes(xs, t.shape);
    if (!shape || !shapesEqual(shape, x.shape)) {
      problem(`scale ${fmtShape(s.shape)} and shift ${fmtShape(t.shape)} must broadcast into x's shape ${fmtShape(x.shape)}`);
    }
    return x;
  },
  decompose: ([x, s, t]) => add(mul(x, s), t),
  doc: {
    summary: 'x · scale + shift, elementwise (inference-mode batch normalization). Made by the scale-shift graph pass for a backend that registers a kernel for it.',
    inputs: ['x', 'scale', 'shift'],
    shape: "x's shape; scale and shift must broadcast into it.",
    dtype: 'float32 only; the output is float32.',
  },
});

/** A step of {@link fused}'s epilogue: the op, its other inputs, and where the running value goes. */
export interface EpilogueSpec {
  readonly op: string;
  readonly operands?: readonly Sym[];
  /** The running value's position among the op's inputs (default 0). */
  readonly at?: number;
  readonly attrs?: Record<string, unknown>;
}

/**
 * A matmul, conv, conv_transpose or depthwise_conv with an epilogue of elementwise steps, as one
 * op (`fused_matmul`, `fused_conv`, `fused_conv_transpose`, `fused_depthwise_conv`). Graph passes make these; the builder is
 * for tests and for code that writes fused graphs by hand.
 * @example fused('matmul', x, w, {}, [{ op: 'add', operands: [bias] }, { op: 'relu' }]) // relu(x·w + bias)
 */
export function fused(producer: FusedProducer, x: Sym, w: Sym, attrs: Record<string, unknown>, epilogue: readonly EpilogueSpec[]): Sym {
  const inputs: Sym[] = [x, w];
  const steps = epilogue.map((s) => ({
    op: s.op,
    at: s.at ?? 0,
    args: (s.operands ?? []).map((o) => {
      const k = inputs.findIndex((s, i) => i >= 2 && s.id === o.id);
      if (k >= 0) return k;
      inputs.push(o);
      return inputs.length - 1;
    }),
    attrs: s.attrs ?? {},
  }));
  return x.graph.apply(FUSED_PRODUCERS[producer], inputs, { ...attrs, epilogue: steps });
}

/**
 * x · scale + shift as one op (`scale_shift`), the scale and shift broadcasting into x's shape.
 * @example scaleShift(x, gammaOverSigma, betaMinusMeanTimesIt) // inference batch normalization
 */
export function scaleShift(x: Sym, scale: Sym, shift: Sym): Sym {
  return x.graph.apply('scale_shift', [x, scale, shift]);
}

declare module './registry.js' {
  interface OpSchemas {
    scale_shift: typeof scaleShiftAttrs;
    fused_matmul: typeof zFusedMatmulAttrs;
    fused_conv: typeof zFusedConvAttrs;
    fused_conv_transpose: typeof zFusedConvTransposeAttrs;
    fused_depthwise_conv: typeof zFusedDepthwiseConvAttrs;
  }
}
