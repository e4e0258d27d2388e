/**
 * The browser side of the package's `#platform` import: there is no file system, so every
 * path-based save or load fails with a message saying what to use instead (bytes, a URL, a
 * `File`, or `indexeddb://name`). Nothing here imports a Node built-in.
 */
import type { NodeModules } from './node.js';
import { KerasNotImplementedError } from '../errors.js';

export type { NodeModules };

/** Always fails: there is no file system in a browser. */
export function nodeModules(): Promise<NodeModules> {
  return Promise.reject(
    new KerasNotImplementedError('there is no file system here (a browser build): load models from a URL, an ArrayBuffer / Uint8Array / Blob / File, a map of named files or indexeddb://name, and save them as bytes, to indexeddb://name or downloads://name'),
  );
}

/** Whether this build has a file system (file paths can be read and written). */
export const HAS_FILE_SYSTEM = false;

/** No worker threads here: HDF5 is read on the calling thread (saving/hdf5-worker.ts). */
export function hdf5WorkerSupport(): Promise<null> {
  return Promise.resolve(null);
}
