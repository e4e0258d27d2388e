/**
 * Tensors as JSON, in the goldens' format: `{"shape": [..], "dtype": "float32" | "int32",
 * "data": [..]}` with `data` flat in row-major order; NaN and infinities as the strings "NaN",
 * "Infinity", "-Infinity" (null reads as NaN).
 */
import { allocData, fmtShape, sizeOf, type DType, type HostTensor } from '@keras-ts/spec';
import { Tensor } from '@keras-ts/keras';
import { CliError } from './util.js';

/** What an input file holds: one tensor, a list of tensors, or tensors by input name. */
export type InputTensors = { kind: 'single'; tensor: Tensor } | { kind: 'list'; tensors: Tensor[] } | { kind: 'named'; tensors: Map<string, Tensor> };

const DTYPES: Record<string, DType> = { float32: 'float32', float64: 'float32', float16: 'float32', int32: 'int32', int64: 'int32', bool: 'bool' };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether a JSON value looks like a tensor (it has a `shape` and `data`). */
function looksLikeTensor(v: unknown): v is Record<string, unknown> {
  return isObject(v) && 'shape' in v && 'data' in v;
}

function parseNumber(v: unknown, where: string, i: number): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (v === null) return NaN;
  if (typeof v === 'string') {
    const s = v.trim().toLowerCase();
    if (s === 'nan') return NaN;
    if (s === 'inf' || s === 'infinity' || s === '+inf' || s === '+infinity') return Infinity;
    if (s === '-inf' || s === '-infinity') return -Infinity;
  }
  throw new CliError(`${where}: data[${i}] is ${JSON.stringify(v)}, not a number`);
}

/** One tensor from its JSON object; `where` names it in errors. */
export function tensorFromJson(v: unknown, where: string): Tensor {
  if (!looksLikeTensor(v)) throw new CliError(`${where}: not a tensor: expected an object with "shape", "dtype" and "data"`);
  const { shape, data } = v;
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && d >= 0)) throw new CliError(`${where}: "shape" must be a list of non-negative integers, got ${JSON.stringify(shape)}`);
  const dtypeName = v.dtype === undefined ? 'float32' : v.dtype;
  // An own key of the fixed table only: `constructor` or `__proto__` are not dtypes.
  const dtype = typeof dtypeName === 'string' && Object.hasOwn(DTYPES, dtypeName) ? DTYPES[dtypeName] : undefined;
  if (!dtype) throw new CliError(`${where}: unknown dtype ${JSON.stringify(dtypeName)} (expected float32, int32 or bool)`);
  if (!Array.isArray(data) || data.some(Array.isArray)) throw new CliError(`${where}: "data" must be a flat list of numbers (row-major order)`);
  const n = sizeOf(shape as number[]);
  if (data.length !== n) throw new CliError(`${where}: shape ${fmtShape(shape as number[])} needs ${n} values, "data" has ${data.length}`);
  const out = allocData(dtype, n);
  for (let i = 0; i < n; i++) {
    const x = parseNumber(data[i], where, i);
    if (dtype !== 'float32' && !Number.isInteger(x)) throw new CliError(`${where}: data[${i}] is ${x}, not a valid ${dtype} value`);
    if (dtype === 'int32' && (x < -(2 ** 31) || x > 2 ** 31 - 1)) throw new CliError(`${where}: data[${i}] is ${x}, outside the int32 range [-2147483648, 2147483647]`);
    if (dtype === 'bool' && x !== 0 && x !== 1) throw new CliError(`${where}: data[${i}] is ${x}, not a bool (0, 1, true or false)`);
    out[i] = x;
  }
  return new Tensor(shape as number[], dtype, out);
}

/** Parses an input file's text: a tensor, a list of tensors, or an object of tensors keyed by input name. */
export function parseInputTensors(text: string, file: string): InputTensors {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new CliError(`${file}: not valid JSON (${(e as Error).message})`);
  }
  if (looksLikeTensor(json)) return { kind: 'single', tensor: tensorFromJson(json, file) };
  if (Array.isArray(json)) {
    if (json.length === 0) throw new CliError(`${file}: an empty list: expected one tensor ({"shape", "dtype", "data"}) or a list of them`);
    return { kind: 'list', tensors: json.map((t, i) => tensorFromJson(t, `${file}: tensor ${i}`)) };
  }
  if (isObject(json) && Object.keys(json).length > 0 && Object.values(json).every(looksLikeTensor)) {
    return { kind: 'named', tensors: new Map(Object.entries(json).map(([k, t]) => [k, tensorFromJson(t, `${file}: input '${k}'`)])) };
  }
  throw new CliError(`${file}: expected a tensor ({"shape": [..], "dtype": "float32", "data": [..]}), a list of tensors, or an object of tensors by input name`);
}

/** The shortest decimal that reads back as the same float32. */
function float32Text(v: number): string {
  if (Number.isNaN(v)) return '"NaN"';
  if (v === Infinity) return '"Infinity"';
  if (v === -Infinity) return '"-Infinity"';
  if (Object.is(v, -0)) return '-0';
  for (let p = 1; p < 9; p++) {
    const n = Number(v.toPrecision(p));
    if (Math.fround(n) === v) return String(n);
  }
  return String(Number(v.toPrecision(9)));
}

/** One tensor as JSON text (one line), in the goldens' format. */
export function tensorToJson(t: HostTensor): string {
  const values: string[] = new Array(t.data.length);
  if (t.dtype === 'float32') for (let i = 0; i < t.data.length; i++) values[i] = float32Text(t.data[i]);
  else for (let i = 0; i < t.data.length; i++) values[i] = String(t.data[i]);
  return `{"shape": [${t.shape.join(', ')}], "dtype": "${t.dtype}", "data": [${values.join(', ')}]}`;
}

/** Outputs as JSON text: one tensor, or a list of them (one per line). */
export function outputsToJson(outputs: HostTensor | readonly HostTensor[]): string {
  if (!Array.isArray(outputs)) return `${tensorToJson(outputs as HostTensor)}\n`;
  return `[\n${(outputs as readonly HostTensor[]).map((t) => `  ${tensorToJson(t)}`).join(',\n')}\n]\n`;
}
