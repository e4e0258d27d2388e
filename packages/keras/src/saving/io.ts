/**
 * File access for the savers and loaders: Node's fs through the package's `#platform` import
 * (platform/node.ts under the `node` condition, platform/browser.ts elsewhere, which has none). Every write goes to a temporary file in the target's directory
 * and is renamed over the target only once complete, so a failed save never leaves a half-written
 * file (and never touches an existing one).
 */

import { checkLimit, getLimits, showBytes, type Limits } from '../limits/file-limits.js';
import { KerasError, KerasFileError } from '../errors.js';
import { nodeModules } from '#platform';

export { nodeModules };

/**
 * The whole file; a missing or unreadable file fails naming it. Only regular files are read: a
 * device (`/dev/zero`), a pipe or a socket could stream forever; and no file larger than the limit
 * `maxFileBytes`.
 */
export async function readBytes(file: string, limits: Readonly<Limits> = getLimits()): Promise<Uint8Array> {
  const { fs } = await nodeModules();
  try {
    const st = await fs.stat(file);
    if (st.isDirectory()) throw new KerasFileError('BAD_FILE', `${file}: is a directory, not a model file`);
    if (!st.isFile()) throw new KerasFileError('UNSAFE_PATH', `${file}: not a regular file (a device, pipe or socket); model and weights files must be regular files`);
    checkLimit('maxFileBytes', st.size, `${file}: the file holds ${showBytes(st.size)}`, limits);
    const buf = await fs.readFile(file);
    return new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength);
  } catch (e) {
    if (e instanceof KerasError) throw e;
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new KerasFileError('BAD_FILE', `${file}: no such file`);
    if (err.code === 'EISDIR') throw new KerasFileError('BAD_FILE', `${file}: is a directory, not a model file`);
    throw new KerasFileError('BAD_FILE', `${file}: cannot be read (${err.message})`);
  }
}

/** The size of a regular file in bytes (the same checks and errors as {@link readBytes}). */
export async function regularFileSize(file: string): Promise<number> {
  const { fs } = await nodeModules();
  let st: Awaited<ReturnType<typeof fs.stat>>;
  try {
    st = await fs.stat(file);
  } catch (e) {
    const err = e as NodeJS.ErrnoException;
    if (err.code === 'ENOENT') throw new KerasFileError('BAD_FILE', `${file}: no such file`);
    throw new KerasFileError('BAD_FILE', `${file}: cannot be read (${err.message})`);
  }
  if (st.isDirectory()) throw new KerasFileError('BAD_FILE', `${file}: is a directory, not a model file`);
  if (!st.isFile()) throw new KerasFileError('UNSAFE_PATH', `${file}: not a regular file (a device, pipe or socket); model and weights files must be regular files`);
  return st.size;
}

/** A fresh temporary path next to `target` (same directory, so that rename is atomic). */
export async function tempPathBeside(target: string): Promise<string> {
  const { path } = await nodeModules();
  const dir = path.dirname(target);
  const base = path.basename(target);
  return path.join(dir, `.${base}.${process.pid}.${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}.tmp`);
}

/** Removes a file if it exists (errors ignored: used for clean-up). */
export async function removeQuietly(file: string): Promise<void> {
  const { fs } = await nodeModules();
  await fs.rm(file, { force: true }).catch(() => undefined);
}

async function checkTargetDir(target: string): Promise<void> {
  const { fs, path } = await nodeModules();
  const dir = path.dirname(target);
  const st = await fs.stat(dir).catch(() => null);
  if (!st) throw new KerasFileError('BAD_FILE', `cannot save to ${target}: the directory ${dir} does not exist`);
  if (!st.isDirectory()) throw new KerasFileError('BAD_FILE', `cannot save to ${target}: ${dir} is not a directory`);
  const t = await fs.stat(target).catch(() => null);
  if (t?.isDirectory()) throw new KerasFileError('BAD_FILE', `cannot save to ${target}: it is a directory`);
}

/**
 * Writes a file through a temporary file in the same directory, renamed over the target at the
 * end. `produce` gets the temporary path and fills it; if it throws, the temporary file is
 * removed and the target is left as it was.
 */
export async function writeAtomically(target: string, produce: (tmp: string) => Promise<void>): Promise<void> {
  await checkTargetDir(target);
  const { fs } = await nodeModules();
  const tmp = await tempPathBeside(target);
  try {
    await produce(tmp);
    await fs.rename(tmp, target);
  } catch (e) {
    await removeQuietly(tmp);
    throw e;
  }
}

/** Writes bytes to a file (not atomically: for temporary files and tests). */
export async function writeBytes(file: string, bytes: Uint8Array): Promise<void> {
  const { fs } = await nodeModules();
  try {
    await fs.writeFile(file, bytes);
  } catch (e) {
    throw new KerasFileError('BAD_FILE', `cannot write ${file}: ${(e as Error).message}`);
  }
}

/** Writes bytes atomically (see {@link writeAtomically}). */
export async function writeBytesAtomically(target: string, bytes: Uint8Array | string): Promise<void> {
  const { fs } = await nodeModules();
  await writeAtomically(target, async (tmp) => {
    try {
      await fs.writeFile(tmp, bytes);
    } catch (e) {
      throw new KerasFileError('BAD_FILE', `cannot save to ${target}: ${(e as Error).message}`);
    }
  });
}

/** What a file's first bytes say it is. */
export type FileKind = 'zip' | 'hdf5' | 'json' | 'unknown';

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/**
 * Recognises a file by its content: a zip archive (`.keras`), HDF5 (`.h5`; the signature may sit
 * after a user block at 512, 1024, 2048, ... bytes), or JSON text.
 */
export function sniff(bytes: Uint8Array): FileKind {
  if (bytes.length >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05) && (bytes[3] === 0x04 || bytes[3] === 0x06)) return 'zip';
  for (let off = 0; off + 8 <= bytes.length; off = off === 0 ? 512 : off * 2) {
    if (HDF5_SIGNATURE.every((b, i) => bytes[off + i] === b)) return 'hdf5';
  }
  let i = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) i = 3;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x09 || bytes[i] === 0x0a || bytes[i] === 0x0d)) i++;
  if (bytes[i] === 0x7b /* { */) return 'json';
  return 'unknown';
}

/** A short description of unrecognised content, for messages. */
export function describeContent(bytes: Uint8Array): string {
  if (bytes.length === 0) return 'the file is empty';
  const head = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
  return `it starts with bytes ${head}, which is neither a zip archive (.keras), HDF5 (.h5) nor JSON`;
}
