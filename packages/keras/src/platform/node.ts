/**
 * The file system on Node: fs/promises, path and os, imported when first needed. Chosen by the
 * package's `#platform` import under the `node` condition; platform/browser.ts is the other side.
 */
import { KerasNotImplementedError } from '../errors.js';

export type Fs = typeof import('node:fs/promises');
export type PathMod = typeof import('node:path');
export type OsMod = typeof import('node:os');

/** Node's modules that the savers and loaders use. */
export interface NodeModules {
  fs: Fs;
  path: PathMod;
  os: OsMod;
}

let mods: Promise<NodeModules> | null = null;

/** Node's fs/promises, path and os modules. */
export function nodeModules(): Promise<NodeModules> {
  mods ??= Promise.all([import('node:fs/promises'), import('node:path'), import('node:os')])
    .then(([fs, path, os]) => ({ fs, path, os }))
    .catch((e) => {
      mods = null;
      throw new KerasNotImplementedError(`saving and loading model files needs Node's file system (node:fs), which is not available here: ${(e as Error).message}`);
    });
  return mods;
}

/** Whether this build has a file system (file paths can be read and written). */
export const HAS_FILE_SYSTEM = true;

export type WorkerThreadsMod = typeof import('node:worker_threads');

/**
 * What reading HDF5 in a worker thread needs (saving/hdf5-worker.ts): Node's worker_threads and the
 * URL of h5wasm's module for the worker to import; null when either is missing.
 */
export async function hdf5WorkerSupport(): Promise<{ wt: WorkerThreadsMod; url: string } | null> {
  try {
    const wt = await import('node:worker_threads');
    const resolve = (import.meta as { resolve?: (s: string) => string }).resolve;
    const url = typeof resolve === 'function' ? resolve('h5wasm') : await resolveByPaths('h5wasm');
    return url ? { wt, url } : null;
  } catch {
    return null;
  }
}

/** A package's ESM entry found through Node's module paths (where `import.meta.resolve` is missing). */
async function resolveByPaths(name: string): Promise<string | null> {
  const [{ createRequire }, { existsSync, readFileSync }, { join }, { pathToFileURL }] = await Promise.all([import('node:module'), import('node:fs'), import('node:path'), import('node:url')]);
  for (const dir of createRequire(import.meta.url).resolve.paths(name) ?? []) {
    const pkg = join(dir, name, 'package.json');
    if (!existsSync(pkg)) continue;
    const entry = (JSON.parse(readFileSync(pkg, 'utf8')) as { exports?: { '.'?: { import?: string } } }).exports?.['.']?.import;
    if (entry) return pathToFileURL(join(dir, name, entry)).href;
  }
  return null;
}
