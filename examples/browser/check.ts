/**
 * Opens the built demo in headless Chromium (Debian's, driven by playwright-core; software WebGL
 * through SwiftShader), picks each backend from the page's menu, and returns what the page
 * computed and showed: the model's outputs for the demo picture (read from the page's table) and
 * the live training's losses. integration/examples/browser-demo.test.ts compares them with Node's.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { KerasInternalError } from '@keras-ts/spec';
import { buildDemo } from './build.js';
import { serveDir } from './serve.js';

/** Where Debian's Chromium is (KERAS_TS_CHROMIUM overrides). */
export const CHROMIUM = process.env.KERAS_TS_CHROMIUM ?? '/usr/bin/chromium';

/** Why the demo cannot be opened here, or null. */
export function chromiumMissing(): string | null {
  return existsSync(CHROMIUM) ? null : `the demo check needs Chromium at ${CHROMIUM} (apt-get install -y chromium, or set KERAS_TS_CHROMIUM)`;
}

/** What the page showed for one backend. */
export interface DemoRun {
  /** The logits as the page's table shows them (7 significant digits). */
  shownLogits: number[];
  /** The logits and the training losses at full precision (window.__demo). */
  logits: number[];
  losses: number[];
  /** The last loss as the page shows it. */
  shownLoss: number;
}

/** Builds and serves the demo, opens it, and runs it on each of `backends` (menu values). */
export async function checkDemo(backends: readonly string[]): Promise<{ runs: Record<string, DemoRun>; bundleBytes: number; console: string[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'keras-ts-demo-'));
  const { bundleBytes } = await buildDemo(dir);
  const { server, url } = await serveDir(dir);
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--ignore-gpu-blocklist', '--disable-background-networking', '--disable-component-update', '--no-first-run'] });
  const log: string[] = [];
  try {
    const page = await browser.newPage();
    page.on('console', (m) => log.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
    await page.goto(`${url}?backend=${encodeURIComponent(backends[0])}`);
    const runs: Record<string, DemoRun> = {};
    for (const [k, backend] of backends.entries()) {
      if (k > 0) await page.selectOption('#backend', backend);
      // The page's runs counter moves when a run ends (with its results, or its error).
      await page.waitForFunction(`window.__demo.runs > ${k}`, undefined, { timeout: 300_000, polling: 250 });
      const state = (await page.evaluate('window.__demo')) as { results: Record<string, { logits: number[]; losses: number[] }>; error?: string };
      if (state.error) throw new KerasInternalError(`the page failed on ${backend}: ${state.error}`);
      const shownLogits = (await page.locator('#logits .logit').allTextContents()).map(Number);
      const shownLoss = Number(await page.locator('#loss').textContent());
      runs[backend] = { ...state.results[backend], shownLogits, shownLoss };
    }
    return { runs, bundleBytes, console: log };
  } finally {
    await browser.close();
    await new Promise<void>((r) => server.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  }
}
