/**
 * HDF5 through h5wasm, sandboxed: a file is read from its bytes, which are placed in h5wasm's
 * in-memory file system, and HDF5 may open nothing else there. Any attempt to reach another file
 * (HDF5 external storage, external links, virtual datasets) is refused and reported with what it
 * tried to read, so no byte from outside the model ever reaches a weight. New files are made in
 * memory and returned as bytes.
 *
 * Also here: reading string attributes (fixed-length NUL-padded and variable-length alike, split
 * into `name0`, `name1`, ... when long, as Keras does), reading datasets as tensors, and writing
 * what Keras writes.
 */
import { allocData, fmtShape, sizeOf, type DType } from '@keras-ts/spec';
import type { Dataset as H5Dataset, Group as H5Group, File as H5File } from 'h5wasm';
import { checkDeclaredShape, describeValue, KerasError, KerasFileError, KerasLimitError, KerasShapeError, KerasInternalError, KerasNotImplementedError, KerasValueError } from '../errors.js';
import { Tensor } from '../tensor.js';
import { getLimits, type Limits } from '../limits/file-limits.js';
import { openRemote, RemoteDataset, RemoteGroup } from './hdf5-worker.js';
import { readBytes, writeBytes } from './io.js';

export type { H5Dataset, H5Group, H5File };

type H5Lib = typeof import('h5wasm').default;

/** The parts of Emscripten's FS that the sandbox uses. */
interface EmFS {
  open(path: string, flags: unknown, mode?: unknown): unknown;
  writeFile(path: string, data: Uint8Array, opts?: { canOwn?: boolean }): void;
  readFile(path: string): Uint8Array;
  unlink(path: string): void;
  mkdir(path: string): void;
  analyzePath(path: string): { exists: boolean };
  /** Open file descriptions by descriptor number (null where closed). */
  streams: ({ path?: string } | null | undefined)[];
  close(stream: unknown): void;
  ErrnoError: new (errno: number) => Error;
}

/** Where h5wasm's error handler writes an HDF5 error stack: a `tmpfile()` of the in-memory /tmp. */
const ERROR_STREAM = '/tmp/tmpfile_';

/**
 * Closes the streams h5wasm's error handler left open: it writes each HDF5 error stack to a
 * `tmpfile()` it never closes, so every failed HDF5 call kept one of the in-memory file system's
 * 4,096 file descriptors. Called after each sandboxed file, when no HDF5 call is running. (h5wasm
 * also leaks some WebAssembly stack per error, which nothing here can give back: in Node the HDF5
 * worker is replaced after a number of errors, see hdf5-worker.ts.)
 */
function closeErrorStreams(FS: EmFS): void {
  for (const s of FS.streams) {
    if (s && typeof s.path === 'string' && s.path.startsWith(ERROR_STREAM)) {
      try {
        FS.close(s);
      } catch {
        // already closed
      }
    }
  }
}

/** The folder of h5wasm's in-memory file system that holds the files being read or written. */
const SANDBOX = '/keras-ts-h5';
/** Emscripten's EACCES. */
const EACCES = 2;

/** Paths HDF5 may open now (the files being read or written), and what else it tried to open. */
const allowed = new Set<string>();
const refused: string[] = [];
let nextFile = 0;

let lib: Promise<{ h5wasm: H5Lib; FS: EmFS }> | null = null;

/** The parts of h5wasm's module that read a dataset's bytes as stored (h5wasm refuses float16 values). */
interface RawReader {
  get_dataset_data(fileId: bigint, path: string, count: null, offset: null, strides: null, ptr: bigint): number;
  HEAPU8: Uint8Array;
  _malloc(n: number): number;
  _free(ptr: number): void;
}
let raw: RawReader | null = null;

/** A dataset's bytes as stored (little-endian values), for types h5wasm does not decode (float16). */
function rawBytes(ds: H5Dataset, nbytes: number): Uint8Array {
  if ((ds as unknown) instanceof RemoteDataset) return (ds as unknown as RemoteDataset).rawBytes(nbytes);
  if (!raw) throw new KerasInternalError('h5wasm is not loaded');
  const ptr = raw._malloc(Math.max(1, nbytes));
  try {
    raw.get_dataset_data((ds as unknown as { file_id: bigint }).file_id, ds.path, null, null, null, BigInt(ptr));
    return raw.HEAPU8.slice(ptr, ptr + nbytes);
  } finally {
    raw._free(ptr);
  }
}

/** h5wasm, ready, with HDF5 errors turned into exceptions and its file system sandboxed. */
export function h5(): Promise<{ h5wasm: H5Lib; FS: EmFS }> {
  lib ??= import('h5wasm')
    .then(async (m) => {
      const h5wasm = m.default;
      const Module = (await h5wasm.ready) as unknown as { FS: EmFS; activate_throwing_error_handler(): number } & RawReader;
      Module.activate_throwing_error_handler();
      raw = Module;
      const FS = Module.FS;
      if (!FS.analyzePath(SANDBOX).exists) FS.mkdir(SANDBOX);
      const open = FS.open.bind(FS);
      FS.open = (path, flags, mode) => {
        const p = typeof path === 'string' ? path : String(path);
        // HDF5 keeps its error stacks in tmpfile()s of the in-memory /tmp (not the disk's).
        if (!allowed.has(p) && !p.startsWith(ERROR_STREAM)) {
          // HDF5's own search for dynamic plugins is refused too, but is not the file's doing.
          if (!/\/lib\/plugin$/.test(p)) refused.push(p);
          throw new FS.ErrnoError(EACCES);
        }
        return open(p, flags, mode);
      };
      return { h5wasm, FS };
    })
    .catch((e) => {
      lib = null;
      throw new KerasNotImplementedError(`reading and writing HDF5 files needs h5wasm: ${(e as Error).message}`);
    });
  return lib;
}

/**
 * What a failed read of `shownAs` throws: the refusal of a read outside the file when HDF5 tried
 * one, a KerasFileError for HDF5's own error, else the error as it was.
 */
function readError(e: unknown, shownAs: string): unknown {
  const outside = outsideReadError(shownAs, 'reading it');
  if (outside) return outside;
  const msg = String((e as Error)?.message ?? e);
  if (msg.startsWith('HDF5-DIAG')) return new KerasFileError('BAD_FILE', `${shownAs}: HDF5 error (${hdf5Reason(e)})`);
  return e;
}

/** The innermost reason of an HDF5 error stack (e.g. "truncated file: eof = 10000, ..."). */
export function hdf5Reason(e: unknown): string {
  const msg = String((e as Error)?.message ?? e);
  const lines = msg.split('\n').filter((l) => /#\d+:/.test(l));
  const last = lines.at(-1);
  if (!last) return msg.split('\n')[0];
  const m = last.match(/\(\):\s*(.*)$/);
  return (m ? m[1] : last).trim();
}

/** The size of each file open for reading (by h5wasm file id), to check datasets against. */
const fileSizes = new Map<bigint, number>();
/** The name each open file is shown by in messages (by h5wasm file id). */
const shownNames = new Map<bigint, string>();

/**
 * The error for an attempt, seen by the sandbox, to read another file while `what` was done;
 * null when there was none. The list of attempts is emptied.
 */
function outsideReadError(shownAs: string, what: string): KerasFileError | null {
  if (!refused.length) return null;
  // HDF5 tries a relative name in several folders; the first attempt is the name the file holds.
  const files = [...new Set(refused.splice(0))];
  const more = files.length > 1 ? ` (and ${files.length - 1} other place${files.length > 2 ? 's' : ''})` : '';
  return new KerasFileError('UNSAFE_PATH', `${shownAs}: ${what} would read another file, ${describeValue(files[0])}${more}; a model file may only refer to its own contents, so it was refused`);
}

const GCOL = [0x47, 0x43, 0x4f, 0x4c]; // "GCOL"

/**
 * Refuses a global heap collection (where HDF5 keeps variable-length strings, such as Keras'
 * `layer_names`) whose object list HDF5 would walk forever: an object entry that does not move
 * the walk forward (free space of size 0) makes HDF5's reader loop without end, inside
 * WebAssembly, where nothing can stop it. The collections are found by their signature and walked
 * as HDF5 walks them (lengths of 8 bytes, as Keras' files use), before HDF5 sees the file.
 */
export function checkGlobalHeaps(bytes: Uint8Array, shownAs: string): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u64 = (at: number) => view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32;
  for (let at = bytes.indexOf(GCOL[0]); at >= 0 && at + 16 <= bytes.length; at = bytes.indexOf(GCOL[0], at + 1)) {
    if (bytes[at + 1] !== GCOL[1] || bytes[at + 2] !== GCOL[2] || bytes[at + 3] !== GCOL[3] || bytes[at + 4] !== 1) continue;
    const end = Math.min(bytes.length, at + u64(at + 8));
    let p = at + 16;
    while (p + 16 <= end) {
      const idx = view.getUint16(p, true);
      const size = u64(p + 8);
      const need = idx > 0 ? 16 + Math.ceil(size / 8) * 8 : size;
      if (need <= 0) {
        throw new KerasFileError('BAD_FILE', `${shownAs}: corrupt HDF5 file: the global heap at byte ${at} has an object entry of size 0 at byte ${p}, which HDF5 would read forever`);
      }
      p += need;
    }
  }
}

/** Runs `body` on a file of the sandbox opened in `mode`, closes it and removes it from the sandbox. */
async function inSandbox<T>(mode: 'r' | 'w', shownAs: string, bytes: Uint8Array | null, body: (f: H5File, path: string) => T | Promise<T>): Promise<T> {
  const { h5wasm, FS } = await h5();
  const path = `${SANDBOX}/${nextFile++}.h5`;
  allowed.add(path);
  refused.length = 0;
  let f: H5File | null = null;
  try {
    if (bytes) {
      checkGlobalHeaps(bytes, shownAs);
      FS.writeFile(path, bytes, { canOwn: true });
    }
    try {
      f = new h5wasm.File(path, mode);
    } catch (e) {
      throw outsideReadError(shownAs, 'opening it') ?? (mode === 'r' ? new KerasFileError('BAD_FILE', `${shownAs}: not a readable HDF5 file (${hdf5Reason(e)})`) : new KerasFileError('BAD_FILE', `cannot create ${shownAs}: ${hdf5Reason(e)}`));
    }
    if (bytes) fileSizes.set(f.file_id, bytes.length);
    shownNames.set(f.file_id, shownAs);
    try {
      const out = await body(f, path);
      const outside = outsideReadError(shownAs, 'reading it');
      if (outside) throw outside;
      return out;
    } catch (e) {
      throw readError(e, shownAs);
    }
  } finally {
    if (f) {
      fileSizes.delete(f.file_id);
      shownNames.delete(f.file_id);
      try {
        f.close();
      } catch {
        // already failed; the first error is the one to report
      }
    }
    allowed.delete(path);
    try {
      FS.unlink(path);
    } catch {
      // never created
    }
    closeErrorStreams(FS);
  }
}

/**
 * Runs `body` on the HDF5 file held in `bytes` (read-only) and closes it whatever happens. The
 * file can reach nothing outside itself.
 */
export async function withH5Bytes<T>(bytes: Uint8Array, body: (f: H5File) => T | Promise<T>, shownAs: string, limits: Readonly<Limits> = getLimits()): Promise<T> {
  const remote = await inWorker(bytes, shownAs, limits, body);
  return remote ? remote.out : inSandbox('r', shownAs, bytes, (f) => body(f));
}

/**
 * Runs `body` on the HDF5 file held in `bytes`, opened in a worker thread (hdf5-worker.ts), where
 * HDF5's time is bounded by the limit `maxHdf5Ms`; null when HDF5 runs on this thread instead (a
 * browser, or no time limit). The same sandbox and the same errors as {@link inSandbox}.
 */
async function inWorker<T>(bytes: Uint8Array, shownAs: string, limits: Readonly<Limits>, body: (f: H5File) => T | Promise<T>): Promise<{ out: T } | null> {
  refused.length = 0;
  checkGlobalHeaps(bytes, shownAs);
  const onRefused = (paths: string[]) => refused.push(...paths);
  let session;
  try {
    session = await openRemote(bytes, shownAs, limits, SANDBOX, ERROR_STREAM, onRefused);
  } catch (e) {
    if (e instanceof KerasError) throw e;
    throw outsideReadError(shownAs, 'opening it') ?? new KerasFileError('BAD_FILE', `${shownAs}: not a readable HDF5 file (${hdf5Reason(e)})`);
  }
  if (!session) return null;
  const f = new RemoteGroup(session, '/') as unknown as H5File;
  fileSizes.set(f.file_id, bytes.length);
  shownNames.set(f.file_id, shownAs);
  try {
    const out = await body(f);
    if (session.failed) throw session.failed;
    const outside = outsideReadError(shownAs, 'reading it');
    if (outside) throw outside;
    return { out };
  } catch (e) {
    // The time limit, whatever the readers made of it (a missing entry, an unreadable header).
    if (session.failed) throw session.failed;
    throw readError(e, shownAs);
  } finally {
    fileSizes.delete(f.file_id);
    shownNames.delete(f.file_id);
    session.close();
  }
}

/**
 * Runs `body` on an HDF5 file of the file system (read: its bytes, sandboxed as
 * {@link withH5Bytes}; write: made in memory, then written to `file`).
 */
export async function withH5<T>(file: string, mode: 'r' | 'w', body: (f: H5File) => T | Promise<T>, shownAs = file): Promise<T> {
  if (mode === 'r') return withH5Bytes(await readBytes(file), body, shownAs);
  let out: T | undefined;
  const bytes = await newH5Bytes(async (f) => {
    out = await body(f);
  }, shownAs);
  await writeBytes(file, bytes);
  return out as T;
}

/** Makes a new HDF5 file in memory with `body` and returns its bytes. */
export function newH5Bytes(body: (f: H5File) => void | Promise<void>, shownAs: string): Promise<Uint8Array> {
  return inSandbox('w', shownAs, null, async (f, path) => {
    await body(f);
    f.flush();
    const { FS } = await h5();
    f.close();
    return FS.readFile(path).slice();
  });
}

/** Whether an entity is a group (h5wasm's classes, checked structurally). */
export function isGroup(x: unknown): x is H5Group {
  return !!x && typeof (x as H5Group).keys === 'function' && typeof (x as H5Group).create_group === 'function';
}

export function isDataset(x: unknown): x is H5Dataset {
  return !!x && !isGroup(x) && 'shape' in (x as object) && 'metadata' in (x as object);
}

/**
 * What `g.get(name)` found, refusing an external link (a link to an object of another file) with
 * an error that names it; the sandbox would refuse to open the file anyway, but a link that
 * silently resolved to nothing would be reported as a missing weight.
 */
function entity(g: H5Group, name: string): unknown {
  const parts = name.split('/').filter(Boolean);
  let e: unknown = g;
  for (let i = 0; i < parts.length; i++) {
    try {
      e = g.get(parts.slice(0, i + 1).join('/'));
    } catch {
      return null;
    }
    if (e && typeof e === 'object' && 'filename' in e && 'obj_path' in e) {
      const link = e as { filename: string; obj_path: string };
      refused.length = 0;
      const at = `${g.path === '/' ? '' : g.path}/${parts.slice(0, i + 1).join('/')}`;
      throw new KerasFileError('UNSAFE_PATH', `${shownNames.get(g.file_id) ?? 'HDF5 file'}: '${at}' is an external link to ${describeValue(link.obj_path)} in another file, ${describeValue(link.filename)}; a model file may only refer to its own contents, so it was refused`);
    }
    if (!e) return null;
  }
  return e;
}

/** A child group, or null when there is none (or it is not a group). */
export function getGroup(g: H5Group, name: string): H5Group | null {
  if (!g.keys().includes(name.split('/')[0])) return null;
  const e = entity(g, name);
  return isGroup(e) ? e : null;
}

export function getDataset(g: H5Group, name: string): H5Dataset | null {
  const e = entity(g, name);
  return isDataset(e) ? e : null;
}

/** Whether an attribute exists on an object. */
export function hasAttr(o: H5Group | H5Dataset, name: string): boolean {
  return Object.prototype.hasOwnProperty.call(o.attrs, name);
}

/**
 * An attribute's value; its declared size is checked against the file's bytes first (a corrupt
 * header can declare gigabytes).
 */
function attrValue(o: H5Group | H5Dataset, name: string): unknown {
  const attr = o.attrs[name];
  if (!attr) return null;
  const fileSize = fileSizes.get(o.file_id);
  let meta: { total_size?: number; size?: number; vlen?: boolean };
  try {
    meta = attr.metadata as typeof meta;
  } catch (e) {
    if (e instanceof KerasLimitError) throw e;
    throw new KerasFileError('BAD_FILE', `attribute '${name}': cannot read its header (${hdf5Reason(e)})`);
  }
  const declared = (meta.total_size ?? 0) * (meta.size ?? 0);
  if (fileSize !== undefined && !(declared <= fileSize)) {
    throw new KerasFileError('SIZE_MISMATCH', `attribute '${name}' declares ${declared} bytes, more than the whole file (${fileSize} bytes): the file is corrupt or truncated`);
  }
  try {
    return attr.value ?? null;
  } catch (e) {
    if (e instanceof KerasLimitError) throw e;
    throw new KerasFileError('BAD_FILE', `attribute '${name}': cannot read its value (${hdf5Reason(e)})`);
  }
}

/**
 * The bytes a fixed-length attribute declares (its element size times its element count), read
 * from its header without reading its value; null when it is absent or variable-length (whose
 * strings' lengths are only known from the global heap holding them, inside the file).
 */
export function attrDeclaredBytes(o: H5Group | H5Dataset, name: string): number | null {
  if (!hasAttr(o, name)) return null;
  let meta: { total_size?: number; size?: number; vlen?: boolean };
  try {
    meta = o.attrs[name].metadata as typeof meta;
  } catch (e) {
    if (e instanceof KerasLimitError) throw e;
    throw new KerasFileError('BAD_FILE', `attribute '${name}': cannot read its header (${hdf5Reason(e)})`);
  }
  return meta.vlen ? null : (meta.total_size ?? 0) * (meta.size ?? 0);
}

/** A string attribute (fixed-length or variable-length), or null when absent. */
export function readStringAttr(o: H5Group | H5Dataset, name: string): string | null {
  if (!hasAttr(o, name)) return null;
  const v = attrValue(o, name);
  if (typeof v === 'string') return v;
  if (Array.isArray(v) && v.length === 1 && typeof v[0] === 'string') return v[0];
  if (v instanceof Uint8Array) return new TextDecoder().decode(v.subarray(0, v.indexOf(0) < 0 ? v.length : v.indexOf(0)));
  return null;
}

/**
 * A list-of-strings attribute as Keras writes it: one attribute, or (when longer than an HDF5
 * object header allows) `name0`, `name1`, ... An empty list is stored as an empty float array.
 * Returns null when the attribute is absent.
 */
export function readStringListAttr(o: H5Group | H5Dataset, name: string): string[] | null {
  const one = (n: string): string[] => {
    const v = attrValue(o, n);
    if (v === null || v === undefined) return [];
    if (typeof v === 'string') return [v];
    if (Array.isArray(v)) return v.map((x) => String(x));
    if (ArrayBuffer.isView(v) && (v as unknown as ArrayLike<number>).length === 0) return [];
    throw new KerasFileError('BAD_FILE', `attribute '${n}' is not a list of strings`);
  };
  if (hasAttr(o, name)) return one(name);
  if (!hasAttr(o, `${name}0`)) return null;
  const out: string[] = [];
  for (let k = 0; hasAttr(o, `${name}${k}`); k++) out.push(...one(`${name}${k}`));
  return out;
}

const encoder = new TextEncoder();
/** HDF5's limit on the attributes of one object header, as Keras uses it. */
const HDF5_OBJECT_HEADER_LIMIT = 64512;

/**
 * Writes a list of strings as Keras does (`save_attributes_to_hdf5_group`): fixed-length,
 * NUL-padded byte strings; split into `name0`, `name1`, ... (numpy's array_split) when the array
 * is larger than an object header holds; an empty list as an empty float64 array.
 */
export function writeStringListAttr(o: H5Group, name: string, values: readonly string[], what: string): void {
  if (values.length === 0) {
    o.create_attribute(name, new Float64Array(0), [0], '<d');
    return;
  }
  const bytes = values.map((v) => encoder.encode(v).length);
  const width = Math.max(1, ...bytes);
  const bad = values.filter((_, i) => bytes[i] > HDF5_OBJECT_HEADER_LIMIT);
  if (bad.length) throw new KerasValueError(`${what}: cannot save '${name}': these entries are longer than ${HDF5_OBJECT_HEADER_LIMIT} bytes: ${bad.map((b) => b.slice(0, 40)).join(', ')}`);
  let chunks = 1;
  const split = (k: number): string[][] => {
    const n = values.length;
    const base = Math.floor(n / k);
    const extra = n % k;
    const out: string[][] = [];
    let at = 0;
    for (let i = 0; i < k; i++) {
      const len = base + (i < extra ? 1 : 0);
      out.push(values.slice(at, at + len));
      at += len;
    }
    return out;
  };
  let parts = split(1);
  while (parts.some((p) => p.length * width > HDF5_OBJECT_HEADER_LIMIT)) parts = split(++chunks);
  // Fixed-length ASCII strings ('A<n>': C strings padded with NULs), as numpy's 'S<n>' arrays.
  if (chunks === 1) o.create_attribute(name, [...values], [values.length], `A${width}`);
  else parts.forEach((p, k) => o.create_attribute(`${name}${k}`, p, [p.length], `A${width}`));
}

/** Writes a variable-length string attribute: 'utf8' as Python `str`, 'ascii' as Python `bytes`. */
export function writeVlenStringAttr(o: H5Group, name: string, value: string, cset: 'utf8' | 'ascii'): void {
  o.create_attribute(name, value, null, cset === 'utf8' ? 'S' : 'A');
}

/** Creates (or opens) nested groups along a slash-separated path. */
export function ensureGroup(root: H5Group, path: string): H5Group {
  let g = root;
  for (const part of path.split('/').filter(Boolean)) {
    const existing = getGroup(g, part);
    g = existing ?? g.create_group(part);
  }
  return g;
}

const h5DtypeOf: Partial<Record<DType, string>> = { float32: '<f', int32: '<i' };

/** Writes a tensor as a dataset at a slash-separated path below `root` (groups created). */
export function writeTensor(root: H5Group, path: string, t: { shape: readonly number[]; dtype: DType; data: ArrayLike<number> }): void {
  const parts = path.split('/');
  const name = parts.pop()!;
  const g = ensureGroup(root, parts.join('/'));
  const dtype = h5DtypeOf[t.dtype];
  if (!dtype) throw new KerasNotImplementedError(`cannot save weight '${path}': dtype ${t.dtype} is not supported in HDF5 files (float32 and int32 are)`);
  const data = t.dtype === 'float32' ? Float32Array.from(t.data) : Int32Array.from(t.data);
  g.create_dataset({ name, data, shape: [...t.shape], dtype });
}

function halfToFloat(h: number): number {
  const s = h & 0x8000 ? -1 : 1;
  const e = (h >> 10) & 0x1f;
  const f = h & 0x3ff;
  if (e === 0) return s * 2 ** -14 * (f / 1024);
  if (e === 31) return f ? NaN : s * Infinity;
  return s * 2 ** (e - 15) * (1 + f / 1024);
}

/** Decodes IEEE half floats (little-endian) from raw bytes. */
export function decodeFloat16(bytes: Uint8Array, count: number): Float32Array {
  const out = new Float32Array(count);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < count; i++) out[i] = halfToFloat(dv.getUint16(i * 2, true));
  return out;
}

/** A dataset's declared shape, checked to be a valid shape (nothing is read). */
export function datasetShape(ds: H5Dataset, where: string): number[] {
  let shape: number[];
  try {
    shape = ds.shape ?? [];
  } catch (e) {
    if (e instanceof KerasLimitError) throw e;
    throw new KerasFileError('BAD_FILE', `${where}: cannot read the dataset's header (${hdf5Reason(e)})`);
  }
  checkDeclaredShape(shape, where);
  return shape;
}

/**
 * A dataset as a tensor of the wanted dtype (Keras casts on assignment: float64 and float16 files
 * load into float32 weights). `where` names the dataset for messages. Before any data is read,
 * the dataset's declared shape must be a valid shape and, when `expected` is given, hold as many
 * values; and an uncompressed dataset cannot declare more bytes than the file holds.
 */
export function readTensor(ds: H5Dataset, want: DType, where: string, expected?: readonly number[]): Tensor {
  let shape: number[];
  let meta: { type: number; size: number; signed?: boolean; virtual_sources?: { file_name: string; dset_name: string }[] };
  try {
    shape = ds.shape ?? [];
    meta = ds.metadata as typeof meta;
  } catch (e) {
    if (e instanceof KerasLimitError) throw e;
    throw new KerasFileError('BAD_FILE', `${where}: cannot read the dataset's header (${hdf5Reason(e)})`);
  }
  const n = checkDeclaredShape(shape, where);
  refuseVirtual(meta, where);
  // h5wasm types: 0 = integer, 1 = float.
  if (meta.type !== 0 && meta.type !== 1) throw new KerasFileError('BAD_FILE', `${where}: holds ${describeDtype(ds)} data, not numbers`);
  if (![1, 2, 4, 8].includes(meta.size)) throw new KerasFileError('BAD_FILE', `${where}: holds numbers of ${meta.size} bytes (1, 2, 4 or 8 expected)`);
  if (expected && sizeOf(expected) !== n) {
    throw new KerasShapeError(`${where}: the file's dataset has shape ${fmtShape(shape)} (${n} values), the weight it is read into has shape ${fmtShape(expected)}`);
  }
  const fileSize = fileSizes.get((ds as unknown as { file_id: bigint }).file_id);
  if (fileSize !== undefined && n * meta.size > fileSize && !isFiltered(ds)) {
    throw new KerasFileError('SIZE_MISMATCH', `${where}: declares ${n * meta.size} bytes of data (shape ${fmtShape(shape)}), more than the whole file (${fileSize} bytes): the file is corrupt or truncated`);
  }
  let value: unknown;
  try {
    // float16 (Keras saves float16 weights of mixed-precision models): h5wasm refuses to decode it.
    value = meta.type === 1 && meta.size === 2 ? rawBytes(ds, n * 2) : ds.value;
  } catch (e) {
    if (e instanceof KerasLimitError) throw e;
    // `where` names the file and the dataset.
    throw outsideReadError(where, 'its data (stored through HDF5 external storage)') ?? new KerasFileError('BAD_FILE', `${where}: cannot read the data (${hdf5Reason(e)})`);
  }
  let values: ArrayLike<number>;
  if (meta.type === 1 && meta.size === 2 && value instanceof Uint8Array) values = decodeFloat16(value, Math.min(n, value.length >> 1));
  else if (value instanceof BigInt64Array || value instanceof BigUint64Array) values = Array.from(value, (v) => Number(v));
  else if (ArrayBuffer.isView(value)) values = value as unknown as ArrayLike<number>;
  else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') values = [Number(value)];
  else throw new KerasFileError('BAD_FILE', `${where}: unexpected data (${describeDtype(ds)})`);
  if (values.length !== n) throw new KerasFileError('BAD_FILE', `${where}: has ${values.length} values for shape ${fmtShape(shape)}`);
  const data = allocData(want, n);
  if (want === 'float32' && values instanceof Float32Array) data.set(values);
  else for (let i = 0; i < n; i++) data[i] = Number(values[i]);
  return new Tensor(shape, want, data);
}

/**
 * Refuses a virtual dataset (its values are mapped from other datasets, possibly of other files):
 * Keras does not write one, and reading it could pull data from outside the model.
 */
function refuseVirtual(meta: { virtual_sources?: { file_name: string; dset_name: string }[] }, where: string): void {
  const sources = meta.virtual_sources;
  if (!sources) return;
  const list = sources.map((v) => `${describeValue(v.dset_name)} of ${v.file_name === '.' ? 'this file' : describeValue(v.file_name)}`).join(', ');
  throw new KerasFileError('UNSAFE_PATH', `${where}: a virtual dataset mapped from ${list || 'other datasets'}; model files hold their weights themselves, so it was refused`);
}

/** Whether a dataset is stored through filters (compression), so its bytes may be fewer than its values. */
function isFiltered(ds: H5Dataset): boolean {
  try {
    return ds.filters.length > 0;
  } catch {
    return false;
  }
}

function describeDtype(ds: H5Dataset): string {
  try {
    return String(ds.dtype);
  } catch {
    return 'unreadable';
  }
}
