import type { CaseResult } from './index.js';
import type { Report } from './report.js';

// Characters XML 1.0 cannot hold at all, not even as a character reference: C0 controls other
// than tab, LF and CR, lone surrogates, U+FFFE and U+FFFF. They are written as visible `\uXXXX`.
const ILLEGAL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const visible = (s: string): string => s.replace(ILLEGAL, (c) => `\\u${c.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}`);

/** Text as XML character data: `&`, `<` and `>` escaped, CR kept as a reference (a parser would turn it into LF), characters XML cannot hold made visible. */
export function xmlText(s: string): string {
  const map: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };
  return visible(s).replace(/[&<>\r]/g, (c) => map[c]);
}

/** Text as an XML attribute value in double quotes; tab, LF and CR are kept as character references (a parser would turn them into spaces). */
export function xmlAttr(s: string): string {
  const map: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\t': '&#9;', '\n': '&#10;', '\r': '&#13;' };
  return visible(s).replace(/[&<>"'\t\n\r]/g, (c) => map[c]);
}

const seconds = (ms: number | undefined): string => ((ms ?? 0) / 1000).toFixed(3);
const errText = (v: number | undefined): string => (v === undefined ? 'n/a' : String(v));

function testcase(r: CaseResult): string {
  const open = `    <testcase classname="${xmlAttr(r.backend)}" name="${xmlAttr(r.id)}" time="${seconds(r.ms)}"${r.file ? ` file="${xmlAttr(r.file)}"` : ''}`;
  const reason = r.reason ?? '';
  if (r.status === 'pass') return `${open}/>`;
  if (r.status === 'skip') return `${open}>\n      <skipped message="${xmlAttr(reason)}"/>\n    </testcase>`;
  const body = `${reason}\nmax abs error: ${errText(r.maxAbsError)}, max rel error: ${errText(r.maxRelError)}${r.kind ? `\nkind: ${r.kind}` : ''}${r.file ? `\nfile: ${r.file}` : ''}`;
  return `${open}>\n      <failure message="${xmlAttr(reason)}">${xmlText(body)}</failure>\n    </testcase>`;
}

/**
 * A report as JUnit XML, which CI systems (GitHub Actions reporters, GitLab, Jenkins, Azure
 * Pipelines) show natively: a `<testsuites>` root with the totals, one `<testsuite>` per backend
 * (`tests`, `failures`, `errors="0"`, `skipped`, `time` in seconds), one `<testcase
 * classname="<backend>" name="<case id>">` per case and backend, a failure as `<failure
 * message="<reason>">` with the reason and errors as its text, a skip as `<skipped
 * message="<reason>"/>`. Every name and reason is escaped, and characters XML cannot hold are
 * written as `\uXXXX`, so the document is well-formed whatever the ids and reasons hold.
 *
 * @example
 * writeFileAtomic('report.xml', toJunit(report));
 */
export function toJunit(report: Report): string {
  const count = (rs: readonly CaseResult[], s: CaseResult['status']) => rs.filter((r) => r.status === s).length;
  const time = (rs: readonly CaseResult[]) => seconds(rs.reduce((t, r) => t + (r.ms ?? 0), 0));
  const names = [...report.backends.map((b) => b.name), ...report.results.map((r) => r.backend)].filter((n, i, all) => all.indexOf(n) === i);
  const suites = names.map((name) => {
    const rs = report.results.filter((r) => r.backend === name);
    const note = report.backends.find((b) => b.name === name)?.note;
    const attrs = `name="${xmlAttr(name)}" tests="${rs.length}" failures="${count(rs, 'fail')}" errors="0" skipped="${count(rs, 'skip')}" time="${time(rs)}" timestamp="${xmlAttr(report.generated.replace(/\.\d+Z$/, ''))}"`;
    const lines = [`  <testsuite ${attrs}>`, ...rs.map(testcase)];
    if (note) lines.push(`    <system-out>${xmlText(note)}</system-out>`);
    lines.push('  </testsuite>');
    return lines.join('\n');
  });
  const all = report.results;
  const root = `<testsuites name="keras-ts conformance" tests="${all.length}" failures="${count(all, 'fail')}" errors="0" skipped="${count(all, 'skip')}" time="${time(all)}">`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root}\n${suites.join('\n')}\n</testsuites>\n`;
}
