/**
 * Every class registered for deserialization as a layer (`registerClass('layer', ...)`) has a
 * harness case (cases/), and every layer it builds has Keras' numbers to check its forward values
 * against; the failures list the class names that lack them. Every golden a case names exists.
 */
import { registeredNames, setBackend } from '@keras-ts/keras';
import { createTsBackend } from '@keras-ts/backend-ts';
import { describe, expect, it } from 'vitest';
import { CASE_TABLES } from './cases/index.js';
import { coveredClasses, goldenCase, type HarnessCase } from './harness.js';

setBackend(createTsBackend());

const all: [string, HarnessCase][] = Object.entries(CASE_TABLES).flatMap(([family, cases]) => Object.entries(cases).map(([name, c]) => [`${family}: ${name}`, c] as [string, HarnessCase]));
const registered = registeredNames('layer').sort();

/** Keras 3's name for a class registered under another name here. */
const KERAS3_NAMES: Readonly<Record<string, string>> = { Functional: 'Model' };

/** Every `class_name` in a config (a model's may be a JSON string). */
function classNamesIn(config: unknown): string[] {
  if (typeof config === 'string') return config.trim().startsWith('{') ? classNamesIn(JSON.parse(config)) : [];
  if (Array.isArray(config)) return config.flatMap(classNamesIn);
  if (!config || typeof config !== 'object') return [];
  const o = config as Record<string, unknown>;
  return [...(typeof o.class_name === 'string' ? [o.class_name] : []), ...Object.values(o).flatMap(classNamesIn)];
}

describe('layer harness coverage', () => {
  it('every registered layer class has a harness case', () => {
    const covered = new Set(all.flatMap(([, c]) => coveredClasses(c)));
    const missing = registered.filter((n) => !covered.has(n));
    expect(missing, `registered layer classes with no harness case (add one in integration/layers/cases/): ${missing.join(', ')}`).toEqual([]);
  });

  it("every registered layer class is in a golden case a harness case runs (Keras' numbers for its forward values)", () => {
    const checked = new Set<string>();
    for (const [, c] of all) {
      if ('removed' in c) {
        checked.add(c.removed.class_name); // removed in Keras 2: no numbers exist; the check is the load error
        continue;
      }
      for (const id of c.keras ?? []) {
        const { golden } = goldenCase(id);
        for (const n of classNamesIn(golden.layer ?? golden.model)) checked.add(KERAS3_NAMES[n] ?? n);
      }
    }
    const missing = registered.filter((n) => !checked.has(n));
    expect(missing, `registered layer classes no golden of a harness case holds: ${missing.join(', ')}`).toEqual([]);
  });

  it('every golden a case names exists and holds a layer or model case', () => {
    const problems: string[] = [];
    for (const [name, c] of all) {
      if ('removed' in c) continue;
      for (const id of c.keras ?? []) {
        try {
          const { golden } = goldenCase(id);
          if (golden.kind !== 'layer' && golden.kind !== 'model') problems.push(`${name}: ${id} is a ${golden.kind} case`);
        } catch (e) {
          problems.push(`${name}: ${(e as Error).message}`);
        }
      }
    }
    expect(problems).toEqual([]);
  });
});
