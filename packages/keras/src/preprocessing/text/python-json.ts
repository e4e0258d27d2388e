/**
 * JSON written as Python's `json.dumps` writes it with its defaults (`", "` and `": "` separators,
 * non-ASCII characters escaped as `\uXXXX`), so that a Tokenizer's JSON is the text Keras writes.
 */

/** A value `pythonJson` writes: JSON values, with Maps as objects (their keys as strings). */
export type PyJsonValue = null | boolean | number | string | readonly PyJsonValue[] | ReadonlyMap<string | number, PyJsonValue> | { readonly [k: string]: PyJsonValue };

const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\b': '\\b', '\f': '\\f' };

/** A string as Python's `json.dumps` (with `ensure_ascii`) quotes it. */
function quote(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    const code = s.charCodeAt(i);
    if (SHORT_ESCAPES[c]) out += SHORT_ESCAPES[c];
    else if (code < 0x20 || code > 0x7e) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return `${out}"`;
}

/**
 * `value` as Python's `json.dumps(value)` writes it.
 * @example pythonJson({ a: [1, 'é'] }); // '{"a": [1, "\\u00e9"]}'
 */
export function pythonJson(value: PyJsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return 'NaN';
    if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
    return String(value);
  }
  if (typeof value === 'string') return quote(value);
  if (Array.isArray(value)) return `[${value.map((v) => pythonJson(v)).join(', ')}]`;
  const entries = value instanceof Map ? [...value] : Object.entries(value);
  return `{${entries.map(([k, v]) => `${quote(String(k))}: ${pythonJson(v as PyJsonValue)}`).join(', ')}}`;
}
