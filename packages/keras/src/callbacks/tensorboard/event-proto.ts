/**
 * TensorFlow's `Event` protocol buffer (tensorflow/core/util/event.proto) and the parts of
 * `Summary`, `TensorProto` and `SummaryMetadata` that TensorBoard summaries use, encoded by hand:
 * the fields are written in field-number order as protobuf's own encoders write them.
 */

/** Appends protobuf fields to a growing byte list. */
class ProtoWriter {
  private readonly parts: number[] = [];
  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }
  private varint(v: number | bigint): void {
    let n = BigInt.asUintN(64, BigInt(v));
    while (n >= 0x80n) {
      this.parts.push(Number(n & 0x7fn) | 0x80);
      n >>= 7n;
    }
    this.parts.push(Number(n));
  }
  /** An int64 / enum field (proto3: a zero is left out). */
  int(field: number, v: number): this {
    if (v !== 0) {
      this.tag(field, 0);
      this.varint(v);
    }
    return this;
  }
  /** A double field (proto3: a zero is left out). */
  double(field: number, v: number): this {
    if (v !== 0) {
      this.tag(field, 1);
      const b = new Uint8Array(8);
      new DataView(b.buffer).setFloat64(0, v, true);
      for (const x of b) this.parts.push(x);
    }
    return this;
  }
  /** A length-delimited field (bytes, string or message), written even when empty. */
  bytes(field: number, v: Uint8Array | string): this {
    const b = typeof v === 'string' ? new TextEncoder().encode(v) : v;
    this.tag(field, 2);
    this.varint(b.length);
    for (const x of b) this.parts.push(x);
    return this;
  }
  /** A length-delimited field left out when empty (proto3 strings and bytes). */
  optionalBytes(field: number, v: Uint8Array | string): this {
    return v.length ? this.bytes(field, v) : this;
  }
  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}

/** TensorFlow's DataType numbers for the tensors summaries hold. */
const DT = { float: 1, double: 2, string: 7 } as const;

/** A summary's tensor: float32 / float64 values in `tensor_content`, or strings in `string_val`. */
export type SummaryTensor =
  | { dtype: 'float' | 'double'; shape: readonly number[]; values: ArrayLike<number> }
  | { dtype: 'string'; shape: readonly number[]; values: readonly (string | Uint8Array)[] };

function tensorProto(t: SummaryTensor): Uint8Array {
  const w = new ProtoWriter().int(1, DT[t.dtype]);
  const shape = new ProtoWriter();
  for (const d of t.shape) shape.bytes(2, new ProtoWriter().int(1, d).finish());
  w.bytes(2, shape.finish());
  if (t.dtype === 'string') {
    for (const s of t.values) w.bytes(8, s);
  } else {
    const size = t.dtype === 'float' ? 4 : 8;
    const content = new Uint8Array(t.values.length * size);
    const view = new DataView(content.buffer);
    for (let i = 0; i < t.values.length; i++) {
      if (size === 4) view.setFloat32(i * size, t.values[i], true);
      else view.setFloat64(i * size, t.values[i], true);
    }
    w.optionalBytes(4, content);
  }
  return w.finish();
}

/** One `Summary.Value`: a tag, its tensor, and the plugin that reads it (with its content bytes). */
export interface SummaryValue {
  tag: string;
  tensor: SummaryTensor;
  plugin: string;
  pluginContent?: Uint8Array | string;
}

function summaryValue(v: SummaryValue): Uint8Array {
  const pluginData = new ProtoWriter().optionalBytes(1, v.plugin).optionalBytes(2, v.pluginContent ?? '').finish();
  const metadata = new ProtoWriter().bytes(1, pluginData).finish();
  return new ProtoWriter().bytes(1, v.tag).bytes(8, tensorProto(v.tensor)).bytes(9, metadata).finish();
}

/** The `Event` fields this writer sets: one of `fileVersion`, `summary`, `graphDef`. */
export interface EventFields {
  /** Seconds since the epoch. */
  wallTime: number;
  step?: number;
  fileVersion?: string;
  graphDef?: Uint8Array;
  summary?: readonly SummaryValue[];
  /** `source_metadata.writer`: what wrote the file. */
  writer?: string;
}

/**
 * The bytes of one `Event` message.
 * @example eventProto({ wallTime: Date.now() / 1000, fileVersion: 'brain.Event:2' })
 */
export function eventProto(e: EventFields): Uint8Array {
  const w = new ProtoWriter().double(1, e.wallTime).int(2, e.step ?? 0);
  if (e.fileVersion !== undefined) w.bytes(3, e.fileVersion);
  if (e.graphDef !== undefined) w.bytes(4, e.graphDef);
  if (e.summary !== undefined) {
    const s = new ProtoWriter();
    for (const v of e.summary) s.bytes(1, summaryValue(v));
    w.bytes(5, s.finish());
  }
  if (e.writer !== undefined) w.bytes(10, new ProtoWriter().bytes(1, e.writer).finish());
  return w.finish();
}
