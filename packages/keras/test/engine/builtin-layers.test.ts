/**
 * The built-in layers are registered for deserialization in one table
 * (src/layers/builtin-layers.ts), not by each layer module, so that a bundle keeps only the layers
 * it uses. In Node, importing the package entry is enough to read any config: this file imports
 * nothing else and reads configs first thing (vitest gives each test file fresh modules).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as keras from '../../src/index.js';
import { builtinLayers } from '../../src/layers/builtin-layers.js';

const { Sequential, Model, Dense, Input, deserialize, deserializeLayer, registeredNames, registerClass, Layer } = keras;
const SRC = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'src');
const classNameOf = (x: object) => (x.constructor as unknown as { className: string }).className;

describe('built-in layers by class name, with only the package entry imported', () => {
  it('Sequential.fromConfig, Model.fromConfig, deserialize and deserializeLayer read any built-in layer', () => {
    const seq = Sequential.fromConfig({
      name: 'seq',
      layers: [
        { class_name: 'InputLayer', config: { batch_input_shape: [null, 6, 4], name: 'in' } },
        { class_name: 'Conv1D', config: { filters: 2, kernel_size: 3, name: 'c' } },
        { class_name: 'LSTM', config: { units: 3, name: 'l' } },
        { class_name: 'Dense', config: { units: 1, name: 'd' } },
      ],
    });
    expect(seq.layers.map(classNameOf)).toEqual(['Conv1D', 'LSTM', 'Dense']);
    const x = Input({ shape: [5, 8] });
    const y = new keras.MultiHeadAttention({ numHeads: 2, keyDim: 4 }).apply(x, { value: x });
    const functional = Model.fromConfig(new Model({ inputs: x, outputs: y }).getConfig());
    expect(functional.layers.map(classNameOf)).toContain('MultiHeadAttention');
    expect(classNameOf(deserialize<object>('layer', { class_name: 'Bidirectional', config: { layer: { class_name: 'GRU', config: { units: 2 } } } }))).toBe('Bidirectional');
    expect(classNameOf(deserializeLayer({ class_name: 'Convolution2D', config: { filters: 1, kernel_size: 2 } }))).toBe('Conv2D');
  });

  it('registeredNames lists every built-in layer, and a user class named like one is still refused', () => {
    const names = registeredNames('layer');
    for (const [cls] of builtinLayers()) expect(names).toContain(cls.className);
    class Dense2 extends Dense {
      static override readonly className = 'Dense';
    }
    expect(() => registerClass('layer', Dense2)).toThrow(/a layer class named 'Dense' is already registered/);
  });

  it('every exported layer class with a className is in the table', () => {
    // Base classes that no config names (they were never registered).
    const BASES = new Set(['Merge', 'BaseDenseAttention']);
    const table = new Set(builtinLayers().map(([cls]) => cls));
    const missing = [keras, keras.layers]
      .flatMap((ns) => Object.values(ns))
      .filter((v): v is typeof Layer & { className: string } => typeof v === 'function' && v.prototype instanceof Layer && Object.hasOwn(v, 'className'))
      .filter((cls) => !BASES.has(cls.className) && !table.has(cls) && !builtinLayers().some(([, ...names]) => names.includes(cls.className)))
      .map((cls) => cls.className);
    expect([...new Set(missing)]).toEqual([]);
  });

  it('no layer module registers itself: registrations go in src/layers/builtin-layers.ts', () => {
    const offenders: string[] = [];
    const walk = (dir: string) => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts') && /^\s*registerClass\(\s*'layer'/m.test(readFileSync(p, 'utf8'))) offenders.push(relative(SRC, p));
      }
    };
    walk(SRC);
    expect(offenders, 'add these layers to builtinLayers() in src/layers/builtin-layers.ts instead (a module-level registration keeps the layer in every bundle)').toEqual([]);
  });
});
