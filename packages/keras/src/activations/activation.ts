import type { Sym } from '@keras-ts/spec';
import { KerasValueError } from '../errors.js';

/** An activation function over symbolic tensors, with the name it serializes as. */
export interface ActivationFn {
  (x: Sym): Sym;
  readonly activationName: string;
}

const registry = new Map<string, ActivationFn>();

/** Registers an activation under its name (refuses a second one of the same name). */
export function defineActivation(name: string, fn: (x: Sym) => Sym): ActivationFn {
  if (registry.has(name)) throw new KerasValueError(`activation '${name}' is already defined`);
  const f = Object.assign((x: Sym) => fn(x), { activationName: name }) as ActivationFn;
  registry.set(name, f);
  return f;
}

/** Adds another name for an activation (e.g. `silu` for `swish`), serialized as the original. */
export function aliasActivation(alias: string, name: string): void {
  registry.set(alias, registry.get(name)!);
}

/** The names of every activation. */
export function activationNames(): string[] {
  return [...registry.keys()];
}

/**
 * An activation by name (null or undefined: `linear`), or a function given as is. An unknown
 * name fails with the list of known ones.
 */
export function getActivation(id: string | null | undefined | ActivationFn | { class_name: string; config?: unknown }): ActivationFn {
  if (id === null || id === undefined) return registry.get('linear')!;
  if (typeof id === 'function') return id;
  const name = typeof id === 'string' ? id : id.class_name;
  const f = registry.get(name);
  if (!f) throw new KerasValueError(`unknown activation '${name}'; known activations: ${activationNames().join(', ')}`);
  return f;
}

/** The wire form of an activation: its name. */
export function serializeActivation(f: ActivationFn): string {
  return f.activationName;
}
