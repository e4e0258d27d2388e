/**
 * Where the weight shards of a TF.js `model.json` come from: files beside it (Node), URLs beside
 * its URL (fetch), or a map of named files (an `<input type=file multiple>`, IndexedDB, bytes in
 * memory). Every shard path must be a relative path that stays inside the model's folder; files
 * are also checked after following symbolic links.
 */
import { checkLimit, getLimits, showBytes, type Limits } from '../limits/file-limits.js';
import { describeValue, KerasFileError } from '../errors.js';
import { nodeModules, readBytes, regularFileSize } from './io.js';

/** Reads a model's shards by their manifest path. */
export interface ShardSource {
  /** The shard's size in bytes, when it can be known before reading (null otherwise). */
  size(path: string): Promise<number | null>;
  /** The shard's bytes. */
  read(path: string): Promise<Uint8Array>;
}

/**
 * Refuses a shard path that is not a relative path inside the model's folder (`/etc/passwd`,
 * `../../secret`, `C:\x`, `http://elsewhere/x`): checked on the text, the same on every platform.
 */
export function checkShardPath(file: string, p: string): void {
  if (p.length > 4096) throw new KerasFileError('UNSAFE_PATH', `${file}: a shard path is ${p.length} characters long (${describeValue(p)}); paths are at most 4096`);
  const outside = () => new KerasFileError('UNSAFE_PATH', `${file}: the shard path ${describeValue(p)} points outside the model's folder; shard paths must be relative paths inside it`);
  if (p === '' || p.startsWith('/') || p.startsWith('\\') || /^[A-Za-z][A-Za-z0-9+.-]*:/.test(p) || p.includes('\0')) throw outside();
  let depth = 0;
  for (const seg of p.split(/[/\\]/)) {
    if (seg === '..') depth--;
    else if (seg !== '.' && seg !== '') depth++;
    if (depth < 0) throw outside();
  }
  if (depth === 0) throw outside();
}

/** Shards as files beside `file` on disk, each resolved through its links and kept inside the folder. */
export function fileShards(file: string, limits: Readonly<Limits> = getLimits()): ShardSource {
  const real = async (p: string): Promise<string> => {
    const { fs, path } = await nodeModules();
    const dir = path.dirname(path.resolve(file));
    const full = path.resolve(dir, p);
    let target: string;
    let realDir: string;
    try {
      [target, realDir] = await Promise.all([fs.realpath(full), fs.realpath(dir)]);
    } catch {
      return full; // missing: the read reports it
    }
    const rel = path.relative(realDir, target);
    if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) {
      throw new KerasFileError('UNSAFE_PATH', `${file}: the shard ${describeValue(p)} leads, through a symbolic link, to ${describeValue(target)}, outside the model's folder ${describeValue(realDir)}; shards must be files inside it`);
    }
    return target;
  };
  return {
    size: async (p) => regularFileSize(await real(p)),
    read: async (p) => readBytes(await real(p), limits),
  };
}

/** Shards fetched beside the model's URL (each download held to `limits`). */
export function urlShards(modelUrl: string, limits: Readonly<Limits> = getLimits()): ShardSource {
  const url = (p: string) => new URL(p, modelUrl).href;
  return {
    size: async () => null,
    read: async (p) => fetchBytes(url(p), limits),
  };
}

/** Shards from named files in memory, found by their path or by their file name. */
export function mapShards(files: ReadonlyMap<string, Uint8Array>, shownAs: string): ShardSource {
  const find = (p: string): Uint8Array => {
    const byPath = files.get(p) ?? files.get(p.replace(/^\.\//, ''));
    const base = p.split(/[/\\]/).pop()!;
    const hit = byPath ?? files.get(base);
    if (!hit) throw new KerasFileError('BAD_FILE', `${shownAs}: the shard ${describeValue(p)} is not among the files given (${[...files.keys()].map((k) => describeValue(k)).join(', ') || 'none'})`);
    return hit;
  };
  return {
    size: async (p) => find(p).length,
    read: async (p) => find(p),
  };
}

/**
 * A URL's bytes, with a clear error for a failed request. The download is held to the limit
 * `maxFileBytes`: refused from its Content-Length when the server sends one, and stopped as soon
 * as it passes the limit otherwise (a server could stream forever).
 */
export async function fetchBytes(url: string, limits: Readonly<Limits> = getLimits()): Promise<Uint8Array> {
  let res: Response;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new KerasFileError('BAD_FILE', `${url}: cannot be fetched (${(e as Error).message})`);
  }
  if (!res.ok) throw new KerasFileError('BAD_FILE', `${url}: the server answered ${res.status} ${res.statusText}`);
  const declared = Number(res.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared)) {
    try {
      checkLimit('maxFileBytes', declared, `${url}: the server sends ${showBytes(declared)}`, limits);
    } catch (e) {
      await res.body?.cancel().catch(() => undefined);
      throw e;
    }
  }
  if (!res.body) return new Uint8Array(await res.arrayBuffer());
  const reader = res.body.getReader();
  const parts: Uint8Array[] = [];
  let total = 0;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      total += value.length;
      checkLimit('maxFileBytes', total, `${url}: the download passed ${showBytes(total)} and was stopped`, limits);
      parts.push(value);
    }
  } catch (e) {
    await reader.cancel().catch(() => undefined);
    if (e instanceof Error && 'limit' in e) throw e;
    throw new KerasFileError('BAD_FILE', `${url}: the download failed (${(e as Error).message})`);
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) (out.set(p, at), (at += p.length));
  return out;
}
