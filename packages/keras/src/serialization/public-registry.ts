/**
 * The registry functions the package exports. `deserialize`, `deserializeLayer` and
 * `registeredNames` register the built-in layers first ({@link registerBuiltinLayers}), so that
 * they know every layer in a bundle too; the library's own code reads configs through
 * `serialization/registry.ts`, whose registry holds only what has been registered.
 *
 * The package's index exports these from here, not from `layers/builtin-layers.ts`: a bundler
 * keeps a module with side effects that a kept module imports, and the index is always kept, so
 * only a module that is dropped when its exports are unused may import the table.
 */
import { deserialize as deserializeRegistered, registeredNames as namesRegistered, type Category, type CustomObjects } from './registry.js';
import { registerBuiltinLayers } from '../layers/builtin-layers.js';
import type { Layer } from '../engine/layer.js';

export { registerBuiltinLayers };

/**
 * Rebuilds an object of a category (`'layer'`, `'loss'`, `'optimizer'`, ...) from its wire form
 * (`{ class_name, config }`, Keras 2 or 3) or its name (`'adam'`); `custom` supplies user classes
 * by name. An unknown name fails listing the known ones and how to pass a custom class.
 *
 * @example
 * const dense = deserialize<Dense>('layer', { class_name: 'Dense', config: { units: 4 } });
 * const opt = deserialize<Optimizer>('optimizer', 'adam');
 */
export function deserialize<T>(category: Category, spec: unknown, custom?: CustomObjects): T {
  registerBuiltinLayers();
  return deserializeRegistered<T>(category, spec, custom);
}

/**
 * The class names registered in a category: the built-in ones and those added with
 * `registerClass`.
 *
 * @example registeredNames('layer').includes('Conv2D'); // true
 */
export function registeredNames(category: Category): string[] {
  registerBuiltinLayers();
  return namesRegistered(category);
}

/**
 * Rebuilds a layer from its serialized form (`{ class_name, config }`); `custom` supplies user
 * classes by name.
 * @example const dense = deserializeLayer({ class_name: 'Dense', config: { units: 4 } });
 */
export const deserializeLayer = (c: unknown, custom?: CustomObjects) => deserialize<Layer>('layer', c, custom);
