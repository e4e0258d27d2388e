/**
 * `--filter`'s globs over case ids (`layers/LSTM/basic`): the id and the glob are split at `/`
 * into segments; in a segment `*` matches any run of characters and `?` one character, and a
 * segment `**` matches any number of whole segments (none too). Every other character matches
 * itself. A glob with no `*` or `?` matches the ids it begins (`layers/LSTM` matches
 * `layers/LSTM/basic` and `layers/LSTMCell/basic`).
 *
 * @example globMatcher('layers/*\/basic')('layers/GRU/basic') // true
 * @example globMatcher('layers/**')('layers/GRU/basic') // true; 'layers/*' does not match it
 */
export function globMatcher(glob: string): (id: string) => boolean {
  if (!/[*?]/.test(glob)) return (id) => id.startsWith(glob);
  const pattern = glob.split('/');
  return (id) => segmentsMatch(pattern, 0, id.split('/'), 0);
}

/** Whether the glob's segments from `p` match the id's from `s`. */
function segmentsMatch(pattern: readonly string[], p: number, segments: readonly string[], s: number): boolean {
  if (p === pattern.length) return s === segments.length;
  if (pattern[p] === '**') {
    for (let k = s; k <= segments.length; k++) if (segmentsMatch(pattern, p + 1, segments, k)) return true;
    return false;
  }
  return s < segments.length && wildcardMatch(pattern[p], segments[s]) && segmentsMatch(pattern, p + 1, segments, s + 1);
}

/** Whether one segment matches a pattern of literal characters, `*` (any run) and `?` (one character). */
function wildcardMatch(pattern: string, text: string): boolean {
  // Greedy with backtracking to the last `*`: linear in practice, no regular expression built.
  let p = 0;
  let t = 0;
  let star = -1;
  let mark = 0;
  while (t < text.length) {
    if (p < pattern.length && (pattern[p] === '?' || (pattern[p] !== '*' && pattern[p] === text[t]))) {
      p++;
      t++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      mark = t;
    } else if (star >= 0) {
      p = star + 1;
      t = ++mark;
    } else {
      return false;
    }
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}
