/**
 * Keras 1 wrote regularizers and constraints into layer configs as `{name, ...}` objects
 * (`{"name": "L1L2Regularizer", "l1": 0, "l2": 0.01}`, `{"name": "MaxNorm", "m": 2, "axis": 0}`),
 * not as Keras 2 `{class_name, config}`. These are read as their Keras 2 equivalents. (Keras 2
 * itself could not read them; this only adds.)
 */
import { KerasNotImplementedError } from '../errors.js';

type Converter = (c: Record<string, unknown>) => { class_name: string; config: Record<string, unknown> };

const l1l2: Converter = (c) => ({ class_name: 'L1L2', config: { l1: Number(c.l1 ?? 0), l2: Number(c.l2 ?? 0) } });

const KERAS1_OBJECTS: Readonly<Record<string, Converter>> = {
  // Keras 1.2: L1L2Regularizer; Keras 1.0/1.1: WeightRegularizer and ActivityRegularizer.
  L1L2Regularizer: l1l2,
  WeightRegularizer: l1l2,
  ActivityRegularizer: l1l2,
  MaxNorm: (c) => ({ class_name: 'MaxNorm', config: { max_value: c.m ?? 2, axis: c.axis ?? 0 } }),
  NonNeg: () => ({ class_name: 'NonNeg', config: {} }),
  UnitNorm: (c) => ({ class_name: 'UnitNorm', config: { axis: c.axis ?? 0 } }),
  MinMaxNorm: (c) => ({ class_name: 'MinMaxNorm', config: { min_value: c.low ?? 0, max_value: c.high ?? 1, rate: c.rate ?? 1, axis: c.axis ?? 0 } }),
};

/** Whether a value is a Keras 1 `{name, ...}` regularizer or constraint object. */
export function isKeras1Object(v: unknown): v is Record<string, unknown> & { name: string } {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  return typeof o.name === 'string' && !('class_name' in o) && !('className' in o) && typeof (o as { getConfig?: unknown }).getConfig !== 'function';
}

/**
 * The Keras 2 form of a Keras 1 regularizer or constraint object; other values come back as they
 * are. A Keras 1 object with no Keras 2 equivalent (EigenvalueRegularizer) is refused.
 */
export function convertKeras1Object(v: unknown, what: string, arg: string): unknown {
  if (!isKeras1Object(v)) return v;
  const conv = KERAS1_OBJECTS[v.name];
  if (conv) return conv(v);
  if (v.name === 'EigenvalueRegularizer') {
    throw new KerasNotImplementedError(`${what}: argument '${arg}' is a Keras 1 EigenvalueRegularizer, which Keras 2 removed; use a custom regularizer instead`);
  }
  return v;
}
