/**
 * The file system on Node: fs/promises, path and os, imported when first needed. Chosen by the
 * package's `#platform` import under the `node` condition; platform/browser.ts is the other side.
 */
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
      throw new Error(`saving and loading model files needs Node's file system (node:fs), which is not available here: ${(e as Error).message}`);
    });
  return mods;
}

/** Whether this build has a file system (file paths can be read and written). */
export const HAS_FILE_SYSTEM = true;
