import { existsSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import { validateSkipList, type SkipEntry } from './skip-rules.js';
import { KerasValueError } from '@keras-ts/spec';

export { findSkip, prefixCovers, skipRecordToEntries, skipText, validateSkipList, type SkipEntry } from './skip-rules.js';

/**
 * Reads a skip list from a `.json` file (an array of entries, or `{ "skips": [...] }`) or from a
 * `.ts` / `.js` module (its default export, or its `skips` export).
 */
export async function loadSkipList(file: string): Promise<SkipEntry[]> {
  const ext = extname(file);
  if (ext === '.json') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (e) {
      throw new KerasValueError(`${file}: not a readable JSON skip list (${(e as Error).message})`);
    }
    return validateSkipList(parsed, file);
  }
  const mod = (await import(pathToFileURL(file).href)) as { default?: unknown; skips?: unknown };
  return validateSkipList(mod.default ?? mod.skips, file);
}

/** The skip list of a backend in `dir` (`<name>.json`, `<name>.ts` or `<name>.js`), or none. */
export async function loadBackendSkipList(dir: string, backendName: string): Promise<{ file: string; entries: SkipEntry[] } | null> {
  for (const ext of ['.json', '.ts', '.js']) {
    const file = `${dir}/${backendName}${ext}`;
    if (existsSync(file)) return { file, entries: await loadSkipList(file) };
  }
  return null;
}

