/**
 * What each backend-ts optimization buys: the backend-ts peer of the model workloads, run with
 * variants of the backend side by side in one process, runs interleaved round by round,
 * process CPU time per run (less sensitive to other load than wall time), medians, and each
 * variant's time relative to the full backend.
 *
 *   npx tsx bench/src/workloads/ablation.ts [--filter TEXT] [--runs N] [--head PATH]
 *
 * Variants: `all` (every optimization), `-epilogues` (elementwise groups fused, but not into
 * matmul/conv outputs), `-fusion` (one kernel per elementwise node, no epilogues), `-depthwise`
 * (depthwise_conv lowered to a grouped conv), `-conv-packing` (conv patches through an im2col
 * matrix), `none` (all four off), and with --head PATH, `HEAD`: another copy of backend-ts
 * (e.g. the last commit's, extracted with `git archive HEAD packages/backend-ts/src | tar -x -C DIR`,
 * PATH = DIR/packages/backend-ts/src/index.ts).
 *
 * One keras-ts backend object (a switch) stays set for the whole process, so every variant's
 * models compile once, under that variant, and are never recompiled.
 */
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { setBackend } from '@keras-ts/keras';
import type { Backend, Graph } from '@keras-ts/spec';
import { createTs, setWorkloadTsBackend, type RunFn } from './common.js';
import { modelWorkloads } from './index.js';
import { toolArgs } from './tool-args.js';

interface Variant {
  name: string;
  backend: Backend;
}

/** A backend that compiles with whichever variant is current. */
class Switch implements Backend {
  readonly name = 'ts';
  current: Backend;
  constructor(first: Backend) {
    this.current = first;
  }
  get capabilities() {
    return this.current.capabilities;
  }
  compile(graph: Graph) {
    return this.current.compile(graph);
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function main(argv: string[]): Promise<void> {
  const values = toolArgs(argv, { filter: 'string', runs: 'string', head: 'string' }, 'usage: npx tsx bench/src/workloads/ablation.ts [--filter TEXT] [--runs N] [--head PATH]');
  const filter = values.filter ?? '';
  const runs = Number(values.runs ?? 5);
  const head = values.head ?? null;
  const off = { fuseElementwise: false, epilogues: false, depthwiseKernel: false, convPacking: false };
  const variants: Variant[] = [
    { name: 'all', backend: createTs({ fuseElementwise: true, epilogues: true, depthwiseKernel: true, convPacking: true }) },
    { name: '-epilogues', backend: createTs({ fuseElementwise: true, epilogues: false, depthwiseKernel: true, convPacking: true }) },
    { name: '-fusion', backend: createTs({ fuseElementwise: false, epilogues: false, depthwiseKernel: true, convPacking: true }) },
    { name: '-depthwise', backend: createTs({ fuseElementwise: true, epilogues: true, depthwiseKernel: false, convPacking: true }) },
    { name: '-conv-packing', backend: createTs({ fuseElementwise: true, epilogues: true, depthwiseKernel: true, convPacking: false }) },
    { name: 'none', backend: createTs(off) },
  ];
  if (head) {
    const mod = (await import(pathToFileURL(resolve(process.env.INIT_CWD ?? process.cwd(), head)).href)) as { createTsBackend(): Backend };
    variants.push({ name: 'HEAD', backend: mod.createTsBackend() });
  }
  const sw = new Switch(variants[0].backend);
  setWorkloadTsBackend(sw);
  setBackend(sw);
  await tf.setBackend('cpu');

  const names = modelWorkloads().map((w) => w.name).filter((n) => !filter || n.includes(filter));
  console.log(`node ${process.version}; median process CPU ms per run of ${runs} interleaved runs; x = variant / all (higher = slower without it)`);
  for (const name of names) {
    // A fresh workload (fresh models) per variant, each compiled under its variant.
    const fns: RunFn[] = [];
    for (const v of variants) {
      sw.current = v.backend;
      const w = modelWorkloads().find((x) => x.name === name)!;
      const peer = w.peers.find((p) => p.name === 'keras-ts/ts')!;
      const fn = await peer.setup();
      await fn(); // compiles, under this variant
      fns.push(fn);
    }
    const samples: number[][] = variants.map(() => []);
    for (let r = 0; r < runs; r++) {
      for (let k = 0; k < variants.length; k++) {
        sw.current = variants[k].backend;
        const c0 = process.cpuUsage();
        await fns[k]();
        const c = process.cpuUsage(c0);
        samples[k].push((c.user + c.system) / 1000);
      }
    }
    const med = samples.map(median);
    const cells = variants.map((v, k) => `${v.name} ${med[k].toFixed(1)} ms (${(med[k] / med[0]).toFixed(2)}x)`);
    console.log(`${name}\n  ${cells.join('  ')}`);
  }
}

await main(process.argv.slice(2));
