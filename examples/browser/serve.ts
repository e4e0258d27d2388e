/**
 * Builds the browser demo and serves it on loopback: `pnpm --filter @keras-ts/examples browser`
 * (or `cd examples && pnpm browser`), then open the address it prints. `--port N` picks the port
 * (default 8080); `--out DIR` the build folder (default examples/browser/dist).
 */
import { readFileSync, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { dirname, extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildDemo } from './build.js';

const TYPES: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.keras': 'application/octet-stream' };

/** A static file server for `dir` on 127.0.0.1 (port 0: any free one); resolves once it listens. */
export async function serveDir(dir: string, port = 0): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]);
    const file = normalize(join(dir, path === '/' ? 'index.html' : path));
    if (!file.startsWith(normalize(dir) + sep) || !existsSync(file) || !statSync(file).isFile()) return void res.writeHead(404).end('not found');
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r()));
  return { server, url: `http://127.0.0.1:${(server.address() as { port: number }).port}/` };
}

const isMain = process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1];
if (isMain) {
  const args = process.argv.slice(2);
  const at = (flag: string) => (args.includes(flag) ? args[args.indexOf(flag) + 1] : undefined);
  const out = at('--out') ?? join(dirname(fileURLToPath(import.meta.url)), 'dist');
  const { bundleBytes } = await buildDemo(out);
  const { url } = await serveDir(out, Number(at('--port') ?? 8080));
  console.log(`built ${out} (main.js ${(bundleBytes / 2 ** 20).toFixed(1)} MiB); open ${url} (Ctrl-C stops)`);
}
