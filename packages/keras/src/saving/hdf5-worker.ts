/**
 * HDF5 reads of untrusted bytes in a worker thread (Node), bounded in time.
 *
 * HDF5 runs inside WebAssembly, where a loop on a hostile file cannot be interrupted from the
 * thread that runs it. In Node, the files read by `withH5Bytes` are therefore opened by h5wasm in
 * a worker thread, and the reading code on the main thread talks to it through objects with the
 * parts of h5wasm's `Group` / `Dataset` / `Attribute` API that the readers use: each call is a
 * synchronous request (the main thread waits on a shared flag, then takes the answer with
 * `receiveMessageOnPort`). A file whose HDF5 calls take more than the limit `maxHdf5Ms` in all is
 * stopped: the worker is terminated and the load fails with a `KerasLimitError` naming the limit.
 *
 * The worker is also replaced after {@link ERRORS_PER_WORKER} HDF5 errors: h5wasm reports an HDF5
 * error by throwing a JavaScript exception through the WebAssembly frames, which never gives back
 * their C stack, so each error leaks some of it; about 2,260 corrupt files in a row used it up and
 * the next made HDF5 abort or loop forever (`pnpm fuzz --seed 20 --only archive`).
 *
 * Elsewhere (a browser, or `maxHdf5Ms: Infinity`) HDF5 runs on the calling thread, as hdf5-sandbox.ts does
 * it, without a time bound.
 */
import { checkLimit, type Limits } from '../limits/file-limits.js';
import { KerasFileError, KerasLimitError, KerasNotImplementedError, KerasStateError } from '../errors.js';
import { hdf5WorkerSupport, type WorkerThreadsMod } from '#platform';

/** HDF5 errors a worker may see before it is replaced by a fresh one (a fresh WebAssembly stack). */
export const ERRORS_PER_WORKER = 200;

/** What the worker answers: a value, or the message of the error h5wasm threw. */
interface Answer {
  ok: boolean;
  value?: unknown;
  error?: string;
  /** Paths HDF5 tried to open outside the file (refused by the sandbox) during the call. */
  refused: string[];
}

/** What `get` finds at a path. */
type Found = { kind: 'group' | 'dataset'; path: string } | { kind: 'external'; filename: string; obj_path: string } | { kind: 'other' } | null;

/**
 * The worker's code (CommonJS, evaluated): h5wasm with the same sandbox as hdf5-sandbox.ts (a file may open
 * nothing but itself), and one handler per request.
 */
const WORKER_SOURCE = String.raw`
const { workerData, parentPort } = require('node:worker_threads');
const { port, flag, url, sandbox, errorStream } = workerData;
const signal = new Int32Array(flag);
const allowed = new Set();
let refused = [];
const files = new Map();
let next = 0;
let h5wasm, Module, FS;
function answer(a) {
  const transfer = a.value instanceof Uint8Array && a.value.byteOffset === 0 && a.value.byteLength === a.value.buffer.byteLength ? [a.value.buffer] : [];
  port.postMessage(a, transfer);
  Atomics.store(signal, 0, 1);
  Atomics.notify(signal, 0);
}
function file(fid) {
  const f = files.get(fid);
  if (!f) throw new Error('HDF5 file ' + fid + ' is not open');
  return f.file;
}
function at(req) {
  const f = file(req.fid);
  if (req.path === '/') return f;
  const o = f.get(req.path);
  if (!o) throw new Error('no HDF5 object at ' + req.path);
  return o;
}
function closeErrorStreams() {
  for (const s of FS.streams) if (s && typeof s.path === 'string' && s.path.startsWith(errorStream)) try { FS.close(s); } catch {}
}
const ops = {
  open(req) {
    const path = sandbox + '/' + next++ + '.h5';
    allowed.add(path);
    FS.writeFile(path, req.bytes, { canOwn: true });
    try {
      const f = new h5wasm.File(path, 'r');
      const fid = next++;
      files.set(fid, { file: f, path });
      return fid;
    } catch (e) {
      allowed.delete(path);
      try { FS.unlink(path); } catch {}
      throw e;
    }
  },
  close(req) {
    const f = files.get(req.fid);
    if (!f) return null;
    files.delete(req.fid);
    try { f.file.close(); } finally {
      allowed.delete(f.path);
      try { FS.unlink(f.path); } catch {}
      closeErrorStreams();
    }
    return null;
  },
  get(req) {
    const o = file(req.fid).get(req.path);
    if (!o) return null;
    if (o instanceof h5wasm.Group) return { kind: 'group', path: o.path };
    if (o instanceof h5wasm.Dataset) return { kind: 'dataset', path: o.path };
    if (typeof o.filename === 'string' && typeof o.obj_path === 'string') return { kind: 'external', filename: o.filename, obj_path: o.obj_path };
    return { kind: 'other' };
  },
  keys: (req) => at(req).keys(),
  attrNames: (req) => Object.keys(at(req).attrs),
  attrMeta: (req) => at(req).attrs[req.name].metadata,
  attrValue: (req) => at(req).attrs[req.name].value,
  shape: (req) => at(req).shape,
  metadata: (req) => at(req).metadata,
  filters: (req) => at(req).filters,
  dtype: (req) => String(at(req).dtype),
  value: (req) => at(req).value,
  raw(req) {
    const ds = at(req);
    const ptr = Module._malloc(Math.max(1, req.nbytes));
    try {
      Module.get_dataset_data(ds.file_id, ds.path, null, null, null, BigInt(ptr));
      return Module.HEAPU8.slice(ptr, ptr + req.nbytes);
    } finally {
      Module._free(ptr);
    }
  },
};
import(url).then(async (m) => {
  h5wasm = m.default;
  Module = await h5wasm.ready;
  Module.activate_throwing_error_handler();
  FS = Module.FS;
  if (!FS.analyzePath(sandbox).exists) FS.mkdir(sandbox);
  const open = FS.open.bind(FS);
  FS.open = (path, flags, mode) => {
    const p = typeof path === 'string' ? path : String(path);
    if (!allowed.has(p) && !p.startsWith(errorStream)) {
      if (!/\/lib\/plugin$/.test(p)) refused.push(p);
      throw new FS.ErrnoError(2);
    }
    return open(p, flags, mode);
  };
  port.on('message', (req) => {
    let a;
    try {
      a = { ok: true, value: ops[req.op](req) };
    } catch (e) {
      a = { ok: false, error: String((e && e.message) || e) };
    }
    a.refused = refused;
    refused = [];
    answer(a);
  });
  parentPort.postMessage({ ready: true });
}, (e) => parentPort.postMessage({ ready: false, error: String((e && e.message) || e) }));
`;

/** One worker thread running h5wasm, and the synchronous calls to it. */
class H5Worker {
  readonly ready: Promise<void>;
  private readonly signal = new Int32Array(new SharedArrayBuffer(4));
  private readonly port: InstanceType<WorkerThreadsMod['MessagePort']>;
  private readonly worker: InstanceType<WorkerThreadsMod['Worker']>;
  /** HDF5 errors seen; at {@link ERRORS_PER_WORKER} the worker is retired once no file is open. */
  errors = 0;
  open = 0;
  stopped: string | null = null;

  constructor(
    private readonly wt: WorkerThreadsMod,
    url: string,
    sandbox: string,
    errorStream: string,
  ) {
    const { port1, port2 } = new wt.MessageChannel();
    this.port = port1;
    this.worker = new wt.Worker(WORKER_SOURCE, { eval: true, workerData: { port: port2, flag: this.signal.buffer, url, sandbox, errorStream }, transferList: [port2] });
    this.ready = new Promise<void>((resolve, reject) => {
      this.worker.once('message', (m: { ready: boolean; error?: string }) => (m.ready ? resolve() : reject(new KerasNotImplementedError(`reading HDF5 files needs h5wasm: ${m.error}`))));
      this.worker.once('error', reject);
    }).then(() => {
      // Idle, the worker does not keep the process alive.
      this.worker.unref();
      this.port.unref();
    });
    this.ready.catch(() => this.stop('it failed to start'));
  }

  /**
   * One request, answered synchronously; waits at most `ms` (then stops the worker and returns
   * null). Throws the error h5wasm threw, as an Error with the same message.
   */
  call(req: Record<string, unknown>, ms: number, transfer: ArrayBuffer[] = []): Answer | null {
    if (this.stopped) throw new KerasFileError('BAD_FILE', `the HDF5 worker thread was stopped (${this.stopped})`);
    Atomics.store(this.signal, 0, 0);
    this.port.postMessage(req, transfer);
    // The flag, not the wake-up, says the answer is there: the notify of the previous answer can
    // arrive late and wake this wait early.
    const deadline = performance.now() + Math.max(0, ms);
    while (Atomics.load(this.signal, 0) === 0) {
      const left = deadline - performance.now();
      if (left <= 0 || Atomics.wait(this.signal, 0, 0, left) === 'timed-out') {
        if (Atomics.load(this.signal, 0) !== 0) break;
        this.stop('a file took too long');
        return null;
      }
    }
    const got = this.wt.receiveMessageOnPort(this.port);
    if (!got) throw new KerasFileError('BAD_FILE', 'the HDF5 worker thread gave no answer');
    const a = got.message as Answer;
    if (!a.ok) this.errors++;
    return a;
  }

  stop(why: string): void {
    if (this.stopped) return;
    this.stopped = why;
    void this.worker.terminate();
  }
}

let current: H5Worker | null = null;

/**
 * The worker to use now: the current one, unless stopped or retired (then a new one), with one
 * file reserved on it (so that no other load retires it meanwhile): the caller gives it back with
 * `open--` when it opens no file after all, else when the file is closed.
 */
async function worker(sandbox: string, errorStream: string): Promise<H5Worker | null> {
  const support = await hdf5WorkerSupport();
  if (!support) return null;
  if (current && (current.stopped || (current.errors >= ERRORS_PER_WORKER && current.open === 0))) {
    current.stop('retired after HDF5 errors');
    current = null;
  }
  current ??= new H5Worker(support.wt, support.url, sandbox, errorStream);
  const w = current;
  w.open++;
  try {
    await w.ready;
  } catch (e) {
    w.open--;
    throw e;
  }
  return w;
}

/** The requests whose answers are kept: the structure and headers, not the values (read once). */
const CACHED = new Set(['keys', 'get', 'attrNames', 'attrMeta', 'shape', 'metadata', 'filters', 'dtype']);

/** The main thread's view of a file opened in the worker: its calls, its time spent, its limit. */
export class RemoteFileSession {
  constructor(
    private readonly w: H5Worker,
    readonly fid: number,
    private readonly limits: Readonly<Limits>,
    private readonly shownAs: string,
    private readonly onRefused: (paths: string[]) => void,
    /** Milliseconds HDF5 has spent on this file so far (opening it included). */
    private spent: number,
  ) {}

  /**
   * The time limit's error, once the file has hit it: every later call throws it again, and the
   * read reports it whatever the readers made of it on the way (hdf5-sandbox.ts' `inWorker`).
   */
  failed: KerasLimitError | null = null;

  /** Answers about the file's structure (it is read-only, so they do not change), by request. */
  private readonly cache = new Map<string, unknown>();

  /** One call for this file; throws the HDF5 error as h5wasm would, or the time limit's error. */
  call(op: string, args: Record<string, unknown> = {}): unknown {
    if (this.failed) throw this.failed;
    const key = CACHED.has(op) ? `${op}\0${String(args.path)}\0${String(args.name ?? '')}` : null;
    if (key !== null && this.cache.has(key)) return this.cache.get(key);
    try {
      const value = callTimed(this.w, { op, fid: this.fid, ...args }, this.limits, this.shownAs, this.onRefused, (ms) => (this.spent += ms), this.spent);
      if (key !== null) this.cache.set(key, value);
      return value;
    } catch (e) {
      if (e instanceof KerasLimitError) this.failed = e;
      throw e;
    }
  }

  close(): void {
    this.w.open--;
    if (this.w.stopped) return;
    try {
      this.call('close');
    } catch {
      // the first error is the one reported
    }
  }
}

function callTimed(w: H5Worker, req: Record<string, unknown>, limits: Readonly<Limits>, shownAs: string, onRefused: (paths: string[]) => void, add: (ms: number) => void, spent: number, transfer: ArrayBuffer[] = []): unknown {
  const max = limits.maxHdf5Ms;
  const t0 = performance.now();
  const a = w.call(req, max - spent, transfer);
  const ms = performance.now() - t0;
  add(ms);
  if (!a) {
    checkLimit('maxHdf5Ms', Math.max(Math.ceil(spent + ms), max + 1), `${shownAs}: reading it with HDF5 took more than ${max.toLocaleString('en-US')} ms and was stopped (a corrupt or hostile file can make HDF5 loop forever)`, limits);
  }
  if (a!.refused.length) onRefused(a!.refused);
  // A plain Error with h5wasm's own message, as h5wasm throws it: hdf5-sandbox.ts makes it a KerasFileError.
  if (!a!.ok) throw new Error(a!.error);
  return a!.value;
}

/**
 * Opens `bytes` in the worker (Node); null when HDF5 runs on this thread instead (no worker
 * threads, or no time limit). The bytes are copied to the worker. Throws h5wasm's error when the
 * file does not open, and the time limit's error when opening it takes too long.
 */
export async function openRemote(bytes: Uint8Array, shownAs: string, limits: Readonly<Limits>, sandbox: string, errorStream: string, onRefused: (paths: string[]) => void): Promise<RemoteFileSession | null> {
  if (!Number.isFinite(limits.maxHdf5Ms)) return null;
  const w = await worker(sandbox, errorStream);
  if (!w) return null;
  const copy = bytes.slice();
  let spent = 0;
  let fid: number;
  try {
    fid = callTimed(w, { op: 'open', bytes: copy }, limits, shownAs, onRefused, (ms) => (spent += ms), 0, [copy.buffer]) as number;
  } catch (e) {
    w.open--;
    throw e;
  }
  return new RemoteFileSession(w, fid, limits, shownAs, onRefused, spent);
}

/** A group (or the root) of a file opened in the worker, as the readers use h5wasm's `Group`. */
export class RemoteGroup {
  constructor(
    readonly session: RemoteFileSession,
    readonly path: string,
  ) {}
  /** h5wasm's file id, as the readers key their per-file state by it. */
  get file_id(): number {
    return this.session.fid;
  }
  keys(): string[] {
    return this.session.call('keys', { path: this.path }) as string[];
  }
  get(name: string): unknown {
    const path = name.startsWith('/') ? name : `${this.path === '/' ? '' : this.path}/${name}`;
    const found = this.session.call('get', { path }) as Found;
    if (!found) return null;
    if (found.kind === 'group') return new RemoteGroup(this.session, found.path);
    if (found.kind === 'dataset') return new RemoteDataset(this.session, found.path);
    if (found.kind === 'external') return { filename: found.filename, obj_path: found.obj_path };
    return {};
  }
  get attrs(): Record<string, RemoteAttribute> {
    return remoteAttrs(this.session, this.path);
  }
  /** Present so that the readers' `isGroup` test holds; the remote files are read-only. */
  create_group(): never {
    throw new KerasStateError('a file read from bytes is read-only');
  }
}

/** A dataset of a file opened in the worker, as the readers use h5wasm's `Dataset`. */
export class RemoteDataset {
  constructor(
    readonly session: RemoteFileSession,
    readonly path: string,
  ) {}
  get file_id(): number {
    return this.session.fid;
  }
  get attrs(): Record<string, RemoteAttribute> {
    return remoteAttrs(this.session, this.path);
  }
  get shape(): number[] | null {
    return this.session.call('shape', { path: this.path }) as number[] | null;
  }
  get metadata(): unknown {
    return this.session.call('metadata', { path: this.path });
  }
  get filters(): unknown[] {
    return this.session.call('filters', { path: this.path }) as unknown[];
  }
  get dtype(): string {
    return this.session.call('dtype', { path: this.path }) as string;
  }
  get value(): unknown {
    return this.session.call('value', { path: this.path });
  }
  /** The dataset's bytes as stored (for types h5wasm does not decode: float16). */
  rawBytes(nbytes: number): Uint8Array {
    return this.session.call('raw', { path: this.path, nbytes }) as Uint8Array;
  }
}

/** An attribute of a file opened in the worker: its header, and its value when asked for. */
export interface RemoteAttribute {
  metadata: unknown;
  readonly value: unknown;
}

function remoteAttrs(session: RemoteFileSession, path: string): Record<string, RemoteAttribute> {
  const out: Record<string, RemoteAttribute> = {};
  for (const name of session.call('attrNames', { path }) as string[]) {
    Object.defineProperty(out, name, {
      enumerable: true,
      // As h5wasm: the attribute's header is read when it is looked at, its value when asked for.
      get: (): RemoteAttribute => {
        const metadata = session.call('attrMeta', { path, name });
        return {
          metadata,
          get value() {
            return session.call('attrValue', { path, name });
          },
        };
      },
    });
  }
  return out;
}
