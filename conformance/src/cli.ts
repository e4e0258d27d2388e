import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTsBackend } from '@keras-ts/backend-ts';
import type { Backend } from '@keras-ts/spec';
import { runConformance, type CaseResult } from './index';

const here = dirname(fileURLToPath(import.meta.url));
const DEFAULT_CASES = join(here, '..', 'goldens', 'keras-3.16.0-torch');

/** The backends that exist today. backend-tfjs and backend-onnx join when they are built. */
const BACKENDS: Record<string, () => Backend> = { ts: () => createTsBackend() };

/** A glob over case ids: `*` matches within a path segment, `**` across segments; a glob without a wildcard matches as a prefix. */
export function globMatcher(glob: string): (id: string) => boolean {
  if (!/[*?]/.test(glob)) return (id) => id === glob || id.startsWith(glob.endsWith('/') ? glob : `${glob}/`) || id.startsWith(glob);
  const re = new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*\*/g, '\u0000').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]').replace(/\u0000/g, '.*')}$`);
  return (id) => re.test(id);
}

async function main(argv: string[]): Promise<number> {
  let which = 'all';
  let filter: ((id: string) => boolean) | undefined;
  const dirs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--backend') which = argv[++i];
    // pnpm runs the script inside conformance/: resolve paths from where the user ran it.
    else if (argv[i] === '--filter') filter = globMatcher(argv[++i]);
    else if (argv[i] === '--cases') dirs.push(resolve(process.env.INIT_CWD ?? process.cwd(), argv[++i]));
    else {
      console.error(`unknown argument ${argv[i]}; usage: conformance [--backend ts|all] [--cases DIR]...`);
      return 2;
    }
  }
  const names = which === 'all' ? Object.keys(BACKENDS) : [which];
  const all: CaseResult[] = [];
  for (const name of names) {
    const make = BACKENDS[name];
    if (!make) {
      console.error(`unknown backend '${name}'; available: ${Object.keys(BACKENDS).join(', ')}`);
      return 2;
    }
    const results = await runConformance(make(), { caseDirs: dirs.length ? dirs : [DEFAULT_CASES], filter });
    const byKind = new Map<string, Record<string, number>>();
    for (const r of results) {
      const kind = r.id.split('/')[0];
      const row = byKind.get(kind) ?? { pass: 0, fail: 0, skip: 0 };
      row[r.status]++;
      byKind.set(kind, row);
    }
    console.log(`backend ${name}`);
    for (const [kind, row] of byKind) console.log(`  ${kind.padEnd(12)} pass ${row.pass}  fail ${row.fail}  skip ${row.skip}`);
    for (const r of results.filter((r) => r.status === 'fail')) console.log(`  FAIL ${r.id}: ${r.reason}`);
    all.push(...results);
  }
  const count = (s: string) => all.filter((r) => r.status === s).length;
  if (count('pass') === 0) console.log('nothing is covered yet: no case runs on any backend');
  console.log(`${count('pass')} passed, ${count('fail')} failed, ${count('skip')} skipped`);
  return count('fail') > 0 ? 1 : 0;
}

process.exitCode = await main(process.argv.slice(2));
