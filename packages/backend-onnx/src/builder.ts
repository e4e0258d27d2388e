import type { DType } from '@keras-ts/spec';
import { modelProto, rawBytes, TensorType, type AttrValue, type Dim, type ElemType, type NodeValue, type TensorValue, type ValueInfo } from './proto.js';

/** The ONNX opset the lowering targets (ScatterND/ScatterElements reductions, Bitwise ops, Reduce* axes as inputs). */
export const OPSET = 18;
/** The IR version that goes with opset 18. */
export const IR_VERSION = 8;

export function elemType(dtype: DType): ElemType {
  switch (dtype) {
    case 'float32':
      return TensorType.FLOAT;
    case 'int32':
      return TensorType.INT32;
    case 'bool':
      return TensorType.BOOL;
  }
}

type Attrs = Record<string, number | readonly number[] | string | AttrValue>;

function attrOf(v: number | readonly number[] | string | AttrValue): AttrValue {
  if (typeof v === 'number') return { kind: 'int', v };
  if (typeof v === 'string') return { kind: 'string', v };
  if (Array.isArray(v)) return { kind: 'ints', v };
  return v as AttrValue;
}

/** A float attribute (numbers are ints by default). */
export const f = (v: number): AttrValue => ({ kind: 'float', v });

/** Typed element data of an initializer. */
export type InitData = Float32Array | Int32Array | Uint8Array | Float64Array | BigInt64Array;

/**
 * Builds an ONNX graph: nodes in order, initializers, inputs and outputs, with fresh value
 * names and small deduplicated constants.
 */
export class GraphBuilder {
  readonly nodes: NodeValue[] = [];
  readonly initializers: TensorValue[] = [];
  readonly inputs: ValueInfo[] = [];
  readonly outputs: ValueInfo[] = [];
  private counter = 0;
  private readonly constCache = new Map<string, string>();
  /**
   * For export with a symbolic batch: the traced batch size and the graph input it is read from.
   * Shapes whose leading dimension equals `size` then take it from that input at run time.
   */
  batch: { readonly size: number; readonly source: string } | null = null;
  private batchDimName: string | null = null;
  /** Values computed once and shared by the lowerings of several nodes, by key. */
  private readonly memos = new Map<string, string[]>();
  /** Keys `${x node id}|${pool attrs}` of max pools whose gradient the graph also takes. */
  poolsWithGrad = new Set<string>();

  /** The value(s) under `key`, made once. */
  memo(key: string, make: () => string[]): string[] {
    let v = this.memos.get(key);
    if (!v) {
      v = make();
      this.memos.set(key, v);
    }
    return v;
  }

  fresh(prefix = 't'): string {
    return `${prefix}_${this.counter++}`;
  }

  /** Appends a node; returns its output names (`outputs` of them). */
  nodeN(op: string, inputs: readonly string[], attrs: Attrs = {}, outputs = 1, domain?: string): string[] {
    const outs = Array.from({ length: outputs }, () => this.fresh(op.toLowerCase()));
    const a: Record<string, AttrValue> = {};
    for (const [k, v] of Object.entries(attrs)) a[k] = attrOf(v);
    this.nodes.push({ op, inputs, outputs: outs, attrs: a, domain });
    return outs;
  }

  /** Appends a node with one output; returns its name. */
  node(op: string, inputs: readonly string[], attrs: Attrs = {}): string {
    return this.nodeN(op, inputs, attrs, 1)[0];
  }

  /** Adds an initializer; returns its name. */
  init(data: InitData, dims: readonly number[], type: ElemType, name = this.fresh('c')): string {
    this.initializers.push({ name, dims: [...dims], type, raw: rawBytes(data) });
    return name;
  }

  private cached(key: string, make: () => string): string {
    let n = this.constCache.get(key);
    if (!n) {
      n = make();
      this.constCache.set(key, n);
    }
    return n;
  }

  /** A 1-D int64 constant (shapes, axes, pads...). */
  i64(values: readonly number[]): string {
    return this.cached(`i64:${values.join(',')}`, () =>
      this.init(BigInt64Array.from(values.map((v) => BigInt(v))), [values.length], TensorType.INT64),
    );
  }

  /** A scalar int64 constant. */
  i64s(value: number): string {
    return this.cached(`i64s:${value}`, () => this.init(BigInt64Array.of(BigInt(value)), [], TensorType.INT64));
  }

  /** A scalar constant of a spec dtype (bool: value != 0). */
  scalar(value: number, dtype: DType): string {
    return this.cached(`s:${dtype}:${Object.is(value, -0) ? '-0' : value}`, () => {
      const data = dtype === 'float32' ? Float32Array.of(value) : dtype === 'int32' ? Int32Array.of(value) : Uint8Array.of(value ? 1 : 0);
      return this.init(data, [], elemType(dtype));
    });
  }

  /** A scalar float64 constant. */
  f64(value: number): string {
    return this.cached(`f64:${value}`, () => this.init(Float64Array.of(value), [], TensorType.DOUBLE));
  }

  /** Static shapes of values, where known (graph values, and what transpose/reshape make). */
  readonly shapes = new Map<string, readonly number[]>();

  transpose(x: string, perm: readonly number[]): string {
    if (perm.every((p, i) => p === i)) return x;
    const shape = this.shapes.get(x);
    if (shape) {
      const out = perm.map((p) => shape[p]);
      // Moving only size-1 axes keeps the data order: a free Reshape instead of a copy.
      const moved = perm.filter((p) => shape[p] !== 1);
      if (moved.every((p, i) => i === 0 || moved[i - 1] < p)) return this.reshape(x, out, shape);
      const t = this.node('Transpose', [x], { perm });
      this.shapes.set(t, out);
      return t;
    }
    return this.node('Transpose', [x], { perm });
  }

  /**
   * Reshapes `x` (of shape `from`, when known) to `shape`. With a symbolic batch, a leading
   * dimension equal to the batch on both sides is copied from the input (ONNX's 0).
   */
  reshape(x: string, shape: readonly number[], from?: readonly number[]): string {
    const B = this.batch?.size;
    const src = from ?? this.shapes.get(x);
    let y: string;
    if (B !== undefined && src && src[0] === B && shape[0] === B && shape.length > 0 && !shape.slice(1).includes(0)) {
      y = this.node('Reshape', [x, this.i64([0, ...shape.slice(1)])], { allowzero: 0 });
    } else y = this.node('Reshape', [x, this.i64(shape)], { allowzero: 1 });
    if (!shape.includes(-1)) this.shapes.set(y, [...shape]);
    return y;
  }

  /** The batch size as an int64 [1] tensor read from the batch's source input. */
  private batchDim(): string {
    if (!this.batchDimName) {
      const shape = this.node('Shape', [this.batch!.source]);
      this.batchDimName = this.node('Slice', [shape, this.i64([0]), this.i64([1])]);
    }
    return this.batchDimName;
  }

  /** A shape tensor, its leading dimension read at run time when it is the symbolic batch. */
  shapeOf(shape: readonly number[]): string {
    const B = this.batch?.size;
    if (B !== undefined && shape.length > 0 && shape[0] === B) {
      return this.node('Concat', [this.batchDim(), this.i64(shape.slice(1))], { axis: 0 });
    }
    return this.i64(shape);
  }

  cast(x: string, to: ElemType): string {
    return this.node('Cast', [x], { to });
  }

  /** A tensor of `shape` filled with `value` of `dtype`. */
  full(shape: readonly number[], value: number, dtype: DType): string {
    const data = dtype === 'float32' ? Float32Array.of(value) : dtype === 'int32' ? Int32Array.of(value) : Uint8Array.of(value ? 1 : 0);
    return this.node('ConstantOfShape', [this.shapeOf(shape)], { value: { kind: 'tensor', v: { dims: [1], type: elemType(dtype), raw: rawBytes(data) } } });
  }

  addInput(name: string, dtype: DType, dims: readonly Dim[]): void {
    this.inputs.push({ name, type: elemType(dtype), dims });
  }

  addOutput(name: string, dtype: DType, dims: readonly Dim[]): void {
    this.outputs.push({ name, type: elemType(dtype), dims });
  }

  /** The encoded ModelProto. */
  encode(graphName = 'keras_ts'): Uint8Array {
    return modelProto({
      graphName,
      nodes: this.nodes,
      initializers: this.initializers,
      inputs: this.inputs,
      outputs: this.outputs,
      opset: OPSET,
      irVersion: IR_VERSION,
    });
  }
}

export { TensorType };
