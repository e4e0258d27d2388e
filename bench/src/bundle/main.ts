/**
 * `pnpm bench:bundle`: the size keras-ts adds to a web page, minified and gzipped, for each entry
 * of size.ts (everything of keras + backend-ts; only Dense and Sequential; loadModel), in all and
 * what the page loads before it runs (the rest is behind `import()`), with the bytes each package
 * contributes, measured from esbuild's metafile. Prints a Markdown table (bench/README.md
 * quotes it). `--json` prints the measurements instead.
 */
import { ENTRIES, measureBundle } from './size.js';

const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
const sizes = [];
for (const e of ENTRIES) sizes.push(await measureBundle(e));
if (process.argv.includes('--json')) {
  console.log(JSON.stringify(sizes.map(({ modules, ...s }) => ({ ...s, moduleCount: modules.length })), null, 2));
} else {
  console.log('| bundle | minified | gzipped | loaded at start: minified | gzipped | modules | largest parts (minified) |');
  console.log('|---|---:|---:|---:|---:|---:|---|');
  for (const s of sizes) {
    const parts = Object.entries(s.byPackage)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 4)
      .map(([p, n]) => `${p} ${kib(n)}`)
      .join(', ');
    console.log(`| ${s.name} | ${kib(s.minifiedBytes)} | ${kib(s.gzipBytes)} | ${kib(s.initialBytes)} | ${kib(s.initialGzipBytes)} | ${s.modules.length} | ${parts} |`);
  }
}
