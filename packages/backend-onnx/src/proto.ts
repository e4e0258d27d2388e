/**
 * A minimal protobuf encoder for the few ONNX messages a model needs (ModelProto, GraphProto,
 * NodeProto, AttributeProto, TensorProto, ValueInfoProto and the type messages), field numbers
 * as in onnx/onnx.proto3. Messages are built as lists of byte chunks and joined once, so large
 * initializers are copied a single time.
 */

/** An encoded message: its chunks, joined only at the end. */
export class Msg {
  readonly chunks: Uint8Array[] = [];
  length = 0;

  private push(b: Uint8Array): void {
    this.chunks.push(b);
    this.length += b.length;
  }

  private varint(v: number | bigint): void {
    const out: number[] = [];
    if (typeof v === 'number' && v >= 0 && v <= Number.MAX_SAFE_INTEGER) {
      let x = v;
      while (x >= 0x80) {
        out.push((x % 0x80) | 0x80);
        x = Math.floor(x / 0x80);
      }
      out.push(x);
    } else {
      // Negative (two's complement, 10 bytes) or big values.
      let x = BigInt.asUintN(64, BigInt(v));
      while (x >= 0x80n) {
        out.push(Number(x & 0x7fn) | 0x80);
        x >>= 7n;
      }
      out.push(Number(x));
    }
    this.push(Uint8Array.from(out));
  }

  private tag(field: number, wire: number): void {
    this.varint(field * 8 + wire);
  }

  /** A varint field (int32, int64, enum, bool). */
  int(field: number, v: number | bigint): this {
    this.tag(field, 0);
    this.varint(v);
    return this;
  }

  /** A 32-bit float field. */
  float(field: number, v: number): this {
    this.tag(field, 5);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, v, true);
    this.push(b);
    return this;
  }

  bytes(field: number, b: Uint8Array): this {
    this.tag(field, 2);
    this.varint(b.length);
    if (b.length) this.push(b);
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }

  /** A nested message. */
  msg(field: number, m: Msg): this {
    this.tag(field, 2);
    this.varint(m.length);
    for (const c of m.chunks) this.push(c);
    return this;
  }

  /** A packed repeated varint field. */
  packedInts(field: number, vs: readonly (number | bigint)[]): this {
    const inner = new Msg();
    for (const v of vs) inner.varint(v);
    this.tag(field, 2);
    this.varint(inner.length);
    for (const c of inner.chunks) this.push(c);
    return this;
  }

  /** A packed repeated float field. */
  packedFloats(field: number, vs: readonly number[]): this {
    const b = new Uint8Array(vs.length * 4);
    const dv = new DataView(b.buffer);
    vs.forEach((v, i) => dv.setFloat32(i * 4, v, true));
    return this.bytes(field, b);
  }

  /** The whole message as one buffer. */
  finish(): Uint8Array {
    const out = new Uint8Array(this.length);
    let off = 0;
    for (const c of this.chunks) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  }
}

/** TensorProto.DataType values used here. */
export const TensorType = {
  FLOAT: 1,
  UINT8: 2,
  INT32: 6,
  INT64: 7,
  BOOL: 9,
  DOUBLE: 11,
} as const;
export type ElemType = (typeof TensorType)[keyof typeof TensorType];

/** AttributeProto.AttributeType values. */
const AttrType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

/** A tensor's element bytes (little-endian, as raw_data wants). */
export function rawBytes(data: ArrayBufferView): Uint8Array {
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

export interface TensorValue {
  readonly name?: string;
  readonly dims: readonly number[];
  readonly type: ElemType;
  /** Little-endian element bytes. */
  readonly raw: Uint8Array;
}

export function tensorProto(t: TensorValue): Msg {
  const m = new Msg();
  if (t.dims.length) m.packedInts(1, t.dims);
  m.int(2, t.type);
  if (t.name !== undefined) m.string(8, t.name);
  m.bytes(9, t.raw);
  return m;
}

/** An attribute value: a number is an int unless `float` is used. */
export type AttrValue =
  | { kind: 'int'; v: number }
  | { kind: 'float'; v: number }
  | { kind: 'ints'; v: readonly number[] }
  | { kind: 'floats'; v: readonly number[] }
  | { kind: 'string'; v: string }
  | { kind: 'tensor'; v: TensorValue };

function attributeProto(name: string, a: AttrValue): Msg {
  const m = new Msg().string(1, name);
  switch (a.kind) {
    case 'int':
      m.int(3, a.v).int(20, AttrType.INT);
      break;
    case 'float':
      m.float(2, a.v).int(20, AttrType.FLOAT);
      break;
    case 'ints':
      m.packedInts(8, a.v).int(20, AttrType.INTS);
      break;
    case 'floats':
      m.packedFloats(7, a.v).int(20, AttrType.FLOATS);
      break;
    case 'string':
      m.string(4, a.v).int(20, AttrType.STRING);
      break;
    case 'tensor':
      m.msg(5, tensorProto(a.v)).int(20, AttrType.TENSOR);
      break;
  }
  return m;
}

export interface NodeValue {
  readonly op: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attrs?: Readonly<Record<string, AttrValue>>;
  readonly name?: string;
  readonly domain?: string;
}

function nodeProto(n: NodeValue): Msg {
  const m = new Msg();
  for (const i of n.inputs) m.string(1, i);
  for (const o of n.outputs) m.string(2, o);
  if (n.name) m.string(3, n.name);
  m.string(4, n.op);
  for (const [k, v] of Object.entries(n.attrs ?? {})) m.msg(5, attributeProto(k, v));
  if (n.domain) m.string(7, n.domain);
  return m;
}

/** A dimension: a number, or a named symbolic dimension. */
export type Dim = number | string;

export interface ValueInfo {
  readonly name: string;
  readonly type: ElemType;
  readonly dims: readonly Dim[];
}

function valueInfoProto(v: ValueInfo): Msg {
  const shape = new Msg();
  for (const d of v.dims) shape.msg(1, typeof d === 'number' ? new Msg().int(1, d) : new Msg().string(2, d));
  const tensorType = new Msg().int(1, v.type).msg(2, shape);
  const type = new Msg().msg(1, tensorType);
  return new Msg().string(1, v.name).msg(2, type);
}

export interface ModelValue {
  readonly graphName: string;
  readonly nodes: readonly NodeValue[];
  readonly initializers: readonly TensorValue[];
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly opset: number;
  readonly irVersion: number;
  readonly producer?: string;
}

/** Encodes a ModelProto. */
export function modelProto(mv: ModelValue): Uint8Array {
  const g = new Msg();
  for (const n of mv.nodes) g.msg(1, nodeProto(n));
  g.string(2, mv.graphName);
  for (const t of mv.initializers) g.msg(5, tensorProto(t));
  for (const i of mv.inputs) g.msg(11, valueInfoProto(i));
  for (const o of mv.outputs) g.msg(12, valueInfoProto(o));
  const m = new Msg();
  m.int(1, mv.irVersion);
  m.string(2, mv.producer ?? 'keras-ts');
  m.string(3, '0.0.0');
  m.msg(7, g);
  m.msg(8, new Msg().string(1, '').int(2, mv.opset));
  return m.finish();
}
