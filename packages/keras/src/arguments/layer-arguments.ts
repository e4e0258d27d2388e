import { z } from 'zod';
import { getActivation, type ActivationFn } from '../activations/activation.js';
import type { VariableConstraint, VariableRegularizer } from '../engine/variable.js';
import type { Initializer } from '../initializers/initializer.js';
import { deserialize, serialize, type Serializable } from '../serialization/registry.js';

/**
 * Zod schemas and converters for the arguments layers share: initializers, regularizers,
 * constraints and activations, given as a name, a Keras config object, or an instance.
 */
export const zIdentifier = z.union([z.string(), z.looseObject({ class_name: z.string() }), z.custom<object>((v) => typeof v === 'object' && v !== null)]);
export const zOptionalIdentifier = zIdentifier.nullable().optional();
export const zActivationArg = z.union([z.string(), z.custom<ActivationFn>((v) => typeof v === 'function'), z.looseObject({ class_name: z.string() })]).nullable().optional();

type Id = string | Record<string, unknown> | object | null | undefined;

const isInstance = (v: Id): v is Serializable => typeof v === 'object' && v !== null && typeof (v as Serializable).getConfig === 'function';

export function toInitializer(v: Id, fallback: string): Initializer {
  if (isInstance(v)) return v as Initializer;
  return deserialize<Initializer>('initializer', v ?? fallback);
}

export function toRegularizer(v: Id): (VariableRegularizer & Serializable) | null {
  if (v === null || v === undefined) return null;
  if (isInstance(v)) return v as VariableRegularizer & Serializable;
  return deserialize('regularizer', v);
}

export function toConstraint(v: Id): (VariableConstraint & Serializable) | null {
  if (v === null || v === undefined) return null;
  if (isInstance(v)) return v as VariableConstraint & Serializable;
  return deserialize('constraint', v);
}

export function toActivation(v: string | ActivationFn | { class_name: string } | null | undefined): ActivationFn {
  return getActivation(v);
}

/** Wire form of an optional serializable argument (null stays null). */
export function serializeOptional(v: Serializable | null): ReturnType<typeof serialize> | null {
  return v ? serialize(v) : null;
}
