import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

/** Every .ts file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sources(path);
    return name.endsWith('.ts') ? [path] : [];
  });
}

/**
 * The modules each module loads: its relative `import` / `export ... from` that are not
 * type-only (those are erased and load nothing).
 */
function importGraph(files: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  const statement = /^(?:import|export)\s+(?!type\s)[^;]*?\sfrom\s+'(\.{1,2}\/[^']+)\.js';/gms;
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    const deps = [...text.matchAll(statement)].map((m) => resolve(dirname(file), `${m[1]}.ts`));
    graph.set(file, deps.filter((d) => files.includes(d)));
  }
  return graph;
}

/** The first cycle found by a depth-first walk, as a list of modules, or null. */
function findCycle(graph: Map<string, string[]>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (m: string): string[] | null => {
    if (state.get(m) === 'done') return null;
    if (state.get(m) === 'open') return [...path.slice(path.indexOf(m)), m];
    state.set(m, 'open');
    path.push(m);
    for (const d of graph.get(m) ?? []) {
      const c = visit(d);
      if (c) return c;
    }
    path.pop();
    state.set(m, 'done');
    return null;
  };
  for (const m of graph.keys()) {
    const c = visit(m);
    if (c) return c;
  }
  return null;
}

describe('spec modules', () => {
  it('load without an import cycle (gradient rules use the builders of builders/, which import no op definitions)', () => {
    const files = sources(SRC);
    const graph = importGraph(files);
    // The scan reads the imports (a cycle would go unseen if it read none).
    expect(graph.get(join(SRC, 'ops/binary.ts'))).toContain(join(SRC, 'ops/registry.ts'));
    const cycle = findCycle(graph);
    expect(cycle?.map((f) => relative(SRC, f)).join(' -> ') ?? null).toBe(null);
  });
});
