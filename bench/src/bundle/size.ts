/**
 * What keras-ts costs a web page: an entry is bundled with esbuild for the browser (no externals,
 * minified, ES2022) and measured from esbuild's metafile: the minified and gzipped sizes, and the
 * bytes each package and module contributes. Used by `pnpm bench:bundle` (main.ts) and by the test
 * that checks that importing Dense and Sequential does not pull in every layer
 * (integration/bundle/tree-shaking.test.ts).
 */
import { gzipSync } from 'node:zlib';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const here = dirname(fileURLToPath(import.meta.url));
const ROOT = join(here, '..', '..', '..');

/** An entry to measure: a name and the module's source (it imports the packages by name). */
export interface BundleEntry {
  readonly name: string;
  readonly what: string;
  readonly source: string;
}

/** The entries `pnpm bench:bundle` reports. */
export const ENTRIES: readonly BundleEntry[] = [
  {
    name: 'keras + backend-ts (everything)',
    what: 'every export of @keras-ts/keras and @keras-ts/backend-ts',
    source: "export * from '@keras-ts/keras';\nexport * from '@keras-ts/backend-ts';\n",
  },
  {
    name: 'Dense + Sequential on backend-ts',
    what: 'a page that builds, trains and runs an MLP: Sequential, Dense, tensor, setBackend, createTsBackend',
    source: [
      "import { Dense, Sequential, setBackend, tensor } from '@keras-ts/keras';",
      "import { createTsBackend } from '@keras-ts/backend-ts';",
      'setBackend(createTsBackend());',
      "const model = new Sequential([new Dense({ units: 8, activation: 'relu', inputShape: [4] }), new Dense({ units: 1 })]);",
      "model.compile({ optimizer: 'adam', loss: 'mse' });",
      'const x = tensor([[1, 2, 3, 4]]);',
      'await model.fit(x, tensor([[1]]), { epochs: 1, verbose: 0 });',
      'console.log(await model.predict(x));',
      '',
    ].join('\n'),
  },
];

/** A bundle's measurements. */
export interface BundleSize {
  readonly name: string;
  readonly minifiedBytes: number;
  readonly gzipBytes: number;
  /** Bytes in the minified output by package (workspace package folder, or npm package name). */
  readonly byPackage: Record<string, number>;
  /** Every module in the bundle, as a path from the repository root (node_modules trimmed). */
  readonly modules: readonly string[];
}

/** The package a module belongs to, from its path in the repository. */
function packageOf(path: string): string {
  const nm = path.lastIndexOf('node_modules/');
  if (nm >= 0) {
    const rest = path.slice(nm + 'node_modules/'.length).split('/');
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0];
  }
  const parts = path.split('/');
  return parts[0] === 'packages' ? `@keras-ts/${parts[1]}` : parts[0] === 'spec' ? '@keras-ts/spec' : parts[0];
}

/**
 * Bundles `entry` as a page would (esbuild, platform browser, no externals, minified) and
 * measures it. The workspace packages resolve to their sources (the `keras-ts-source` condition);
 * the published `dist/` is the same code compiled by tsc.
 */
export async function measureBundle(entry: BundleEntry): Promise<BundleSize> {
  const result = await build({
    stdin: { contents: entry.source, resolveDir: here, loader: 'ts', sourcefile: 'entry.ts' },
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    minify: true,
    conditions: ['keras-ts-source'],
    metafile: true,
    write: false,
    outfile: 'bundle.js',
    logLevel: 'error',
  });
  const out = result.outputFiles[0].contents;
  const meta = Object.values(result.metafile.outputs)[0];
  const byPackage: Record<string, number> = {};
  const modules: string[] = [];
  for (const [input, { bytesInOutput }] of Object.entries(meta.inputs)) {
    const path = relative(ROOT, join(process.cwd(), input)).split(sep).join('/');
    modules.push(path);
    const p = packageOf(path);
    byPackage[p] = (byPackage[p] ?? 0) + bytesInOutput;
  }
  return { name: entry.name, minifiedBytes: out.length, gzipBytes: gzipSync(out, { level: 9 }).length, byPackage, modules: modules.sort() };
}
