import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One golden case in the `keras-golden/1` format (see goldens/README.md). */
export interface GoldenCase {
  readonly format: 'keras-golden/1';
  readonly id: string;
  readonly kind: string;
  readonly keras_version: string;
  readonly backend: string;
  readonly tolerance: { readonly rtol: number; readonly atol: number };
  readonly [field: string]: unknown;
}

/** Reads every `*.json` case below `dir`; a file that is not a case is an error naming it. */
export function loadCases(dir: string): GoldenCase[] {
  const out: GoldenCase[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (name.endsWith('.json')) {
        let c: GoldenCase;
        try {
          c = JSON.parse(readFileSync(p, 'utf8')) as GoldenCase;
        } catch (e) {
          throw new Error(`${relative(dir, p)}: not valid JSON (${(e as Error).message})`);
        }
        if (c.format !== 'keras-golden/1') throw new Error(`${relative(dir, p)}: format is ${JSON.stringify(c.format)}, expected "keras-golden/1"`);
        if (typeof c.id !== 'string' || typeof c.kind !== 'string') throw new Error(`${relative(dir, p)}: a case needs a string id and kind`);
        out.push(c);
      }
    }
  };
  walk(dir);
  return out;
}
