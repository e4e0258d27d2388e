/**
 * What `loadModel` accepts, made into one shape: the model file's bytes, the name it is shown by,
 * and where a TF.js model's shards come from. A model can come from a file path (Node), an
 * `http(s)` URL (fetch; a TF.js `model.json` fetches its shards beside it), `indexeddb://name`,
 * bytes (`ArrayBuffer`, a typed array, a `Blob` or `File`), or a map of named files (`model.json`
 * and its shards from an `<input type=file multiple>`, or `{ 'model.json': bytes, ... }`).
 */
import { checkLimit, getLimits, showBytes, type Limits } from '../limits/file-limits.js';
import { KerasFileError } from '../errors.js';
import { readBytes } from './io.js';
import { loadFromIndexedDB } from './indexeddb.js';
import { fetchBytes, fileShards, mapShards, urlShards, type ShardSource } from './shards.js';

/** Bytes in any of the forms a browser or Node hands them over. */
export type Bytes = ArrayBuffer | ArrayBufferView | Blob;

/** Named files: a record of bytes, or `File`s (as an `<input type=file multiple>` gives them). */
export type ModelFileMap = Readonly<Record<string, Bytes>> | Iterable<File> | ArrayLike<File>;

/** Where a model can be loaded from (see the file comment). */
export type ModelSource = string | URL | Bytes | ModelFileMap;

/** A model file in memory, its display name, and its shard source (TF.js). */
export interface ResolvedSource {
  readonly name: string;
  readonly bytes: Uint8Array;
  readonly shards: ShardSource | null;
}

const isBlob = (v: unknown): v is Blob => typeof Blob !== 'undefined' && v instanceof Blob;
const isBytes = (v: unknown): v is Bytes => v instanceof ArrayBuffer || ArrayBuffer.isView(v) || isBlob(v);

/** Bytes as a Uint8Array (a view, not a copy, where possible). */
export async function toUint8(b: Bytes): Promise<Uint8Array> {
  if (b instanceof Uint8Array) return b;
  if (b instanceof ArrayBuffer) return new Uint8Array(b);
  if (ArrayBuffer.isView(b)) return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  return new Uint8Array(await (b as Blob).arrayBuffer());
}

/** The files of a file map, by name. */
async function fileMap(m: ModelFileMap): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  const iterable = (m as Iterable<File>)[Symbol.iterator] ? [...(m as Iterable<File>)] : Array.isArray(m) || typeof (m as ArrayLike<File>).length === 'number' ? Array.from(m as ArrayLike<File>) : null;
  if (iterable) {
    for (const f of iterable) {
      if (!isBlob(f) || typeof (f as File).name !== 'string') throw new KerasFileError('BAD_FILE', `loadModel: a list of files must hold File objects (with names); got ${Object.prototype.toString.call(f)}`);
      out.set((f as File).name, await toUint8(f));
    }
  } else {
    for (const [name, b] of Object.entries(m as Record<string, Bytes>)) {
      if (!isBytes(b)) throw new KerasFileError('BAD_FILE', `loadModel: file '${name}' of the map is not bytes (ArrayBuffer, typed array, Blob or File)`);
      out.set(name, await toUint8(b));
    }
  }
  return out;
}

/** The model file of a map: `model.json`, else the one `.keras`, `.h5` or `.json` file. */
function mainFile(files: Map<string, Uint8Array>): string {
  if (files.has('model.json')) return 'model.json';
  const candidates = [...files.keys()].filter((n) => /\.(keras|h5|hdf5|json)$/i.test(n) && !/\.weights\.h5$/i.test(n));
  if (candidates.length === 1) return candidates[0];
  throw new KerasFileError('BAD_FILE', `loadModel: cannot tell which of the files is the model (${[...files.keys()].join(', ') || 'none given'}): give model.json, or exactly one .keras, .h5 or .json file`);
}

/** Resolves any {@link ModelSource} to bytes, a name and a shard source (files and downloads held to `limits`). */
export async function resolveSource(source: ModelSource, limits: Readonly<Limits> = getLimits()): Promise<ResolvedSource> {
  if (source instanceof URL) source = source.href;
  if (typeof source === 'string') {
    if (/^https?:\/\//i.test(source)) return { name: source, bytes: await fetchBytes(source, limits), shards: urlShards(source, limits) };
    if (/^indexeddb:\/\//i.test(source)) {
      const stored = await loadFromIndexedDB(source.slice('indexeddb://'.length));
      return { name: source, bytes: stored.files.get(stored.main)!, shards: mapShards(stored.files, source) };
    }
    return { name: source, bytes: await readBytes(source, limits), shards: fileShards(source, limits) };
  }
  if (isBytes(source)) {
    const name = isBlob(source) && typeof (source as File).name === 'string' ? (source as File).name : 'model bytes';
    // A Blob or File is measured before its bytes are read.
    if (isBlob(source)) checkLimit('maxFileBytes', source.size, `${name}: the file holds ${showBytes(source.size)}`, limits);
    return { name, bytes: await toUint8(source), shards: mapShards(new Map(), name) };
  }
  if (source && typeof source === 'object') {
    const files = await fileMap(source as ModelFileMap);
    const main = mainFile(files);
    return { name: main, bytes: files.get(main)!, shards: mapShards(files, main) };
  }
  throw new KerasFileError('BAD_FILE', `loadModel: cannot load a model from ${Object.prototype.toString.call(source)}: give a path, a URL, indexeddb://name, bytes or a map of named files`);
}
