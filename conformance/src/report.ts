import { mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { CaseResult, CaseStatus } from './index.js';

/** Counts of one family (or total) on one backend. */
export interface Counts {
  pass: number;
  fail: number;
  skip: number;
}

/** A backend as a report shows it: its name and, when it was not run at all, why. */
export interface ReportBackend {
  readonly name: string;
  /** Set when the backend was not run (`all` left it out: its package is not installed); it then has no results. */
  readonly note?: string;
}

/** What the JSON and HTML reports are made from. */
export interface Report {
  readonly generated: string;
  readonly caseDirs: readonly string[];
  readonly command?: string;
  readonly backends: readonly ReportBackend[];
  readonly results: readonly CaseResult[];
}

/**
 * The family of each id, the row a report groups it under: its first two segments
 * (`layers/LSTM/basic` is in `layers/LSTM`). An id of two segments with no cases below it is in
 * its first segment's family (`activations/relu` is in `activations`), so that a family is never
 * one case named twice; an id with cases below it heads their family (`losses/MeanSquaredError`
 * is in `losses/MeanSquaredError`, with `losses/MeanSquaredError/sample_weight`).
 */
export function familiesOf(ids: Iterable<string>): Map<string, string> {
  const all = [...new Set(ids)];
  const heads = new Set<string>();
  for (const id of all) {
    const seg = id.split('/');
    if (seg.length >= 3) heads.add(`${seg[0]}/${seg[1]}`);
  }
  const out = new Map<string, string>();
  for (const id of all) {
    const seg = id.split('/');
    if (seg.length >= 3) out.set(id, `${seg[0]}/${seg[1]}`);
    else if (seg.length === 2) out.set(id, heads.has(id) ? id : seg[0]);
    else out.set(id, id);
  }
  return out;
}

const zero = (): Counts => ({ pass: 0, fail: 0, skip: 0 });

/** Counts per backend, then per family (families in the order their first case appears). */
export function tally(results: readonly CaseResult[]): { families: string[]; byBackend: Map<string, Map<string, Counts>>; total: Map<string, Counts> } {
  const fam = familiesOf(results.map((r) => r.id));
  const families: string[] = [];
  const byBackend = new Map<string, Map<string, Counts>>();
  const total = new Map<string, Counts>();
  for (const r of results) {
    const f = fam.get(r.id) as string;
    if (!families.includes(f)) families.push(f);
    const rows = byBackend.get(r.backend) ?? new Map<string, Counts>();
    byBackend.set(r.backend, rows);
    const row = rows.get(f) ?? zero();
    rows.set(f, row);
    row[r.status]++;
    const t = total.get(r.backend) ?? zero();
    total.set(r.backend, t);
    t[r.status]++;
  }
  // Families of the same top segment together (in the order the segments first appear), the bare
  // segment first, then the others by name.
  const top = (f: string) => f.split('/')[0];
  const tops = [...new Set(families.map(top))];
  families.sort((a, b) => tops.indexOf(top(a)) - tops.indexOf(top(b)) || Number(a.includes('/')) - Number(b.includes('/')) || (a < b ? -1 : a > b ? 1 : 0));
  return { families, byBackend, total };
}

/** `N passed, N failed, N skipped` over all results. */
export function summaryLine(results: readonly CaseResult[]): string {
  const n = (s: CaseStatus) => results.filter((r) => r.status === s).length;
  return `${n('pass')} passed, ${n('fail')} failed, ${n('skip')} skipped`;
}

/** The text table of one backend: a row per family with pass, fail and skip counts, and a total. */
export function textTable(backend: string, results: readonly CaseResult[]): string {
  const mine = results.filter((r) => r.backend === backend);
  const { families, byBackend, total } = tally(mine);
  const rows = byBackend.get(backend) ?? new Map<string, Counts>();
  const w = Math.max(6, ...families.map((f) => f.length));
  const line = (name: string, c: Counts) => `  ${name.padEnd(w)}  ${String(c.pass).padStart(5)}  ${String(c.fail).padStart(5)}  ${String(c.skip).padStart(5)}`;
  const out = [`  ${'family'.padEnd(w)}  ${'pass'.padStart(5)}  ${'fail'.padStart(5)}  ${'skip'.padStart(5)}`];
  for (const f of families) out.push(line(f, rows.get(f) ?? zero()));
  out.push(`  ${'-'.repeat(w + 21)}`);
  out.push(line('total', total.get(backend) ?? zero()));
  return out.join('\n');
}

const finite = (v: number | undefined): number | string | null => (v === undefined ? null : Number.isFinite(v) ? v : String(v));

/** The JSON report: a summary and one record per case and backend, every field present. */
export function toJson(report: Report): string {
  const fam = familiesOf(report.results.map((r) => r.id));
  const count = (s: CaseStatus) => report.results.filter((r) => r.status === s).length;
  return `${JSON.stringify(
    {
      format: 'keras-conformance-results/1',
      generated: report.generated,
      command: report.command ?? null,
      caseDirs: report.caseDirs,
      backends: report.backends.map((b) => ({ name: b.name, note: b.note ?? null })),
      summary: { passed: count('pass'), failed: count('fail'), skipped: count('skip') },
      results: report.results.map((r) => ({
        id: r.id,
        backend: r.backend,
        status: r.status,
        maxAbsError: finite(r.maxAbsError),
        maxRelError: finite(r.maxRelError),
        reason: r.reason ?? null,
        ms: r.ms === undefined ? null : Math.round(r.ms * 100) / 100,
        family: fam.get(r.id) ?? null,
        kind: r.kind ?? null,
        file: r.file ?? null,
      })),
    },
    null,
    1,
  )}\n`;
}

const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
const fmtErr = (v: number | undefined): string => (v === undefined ? '' : Number.isFinite(v) ? (v === 0 ? '0' : v.toExponential(2)) : String(v));
const fmtMs = (v: number | undefined): string => (v === undefined ? '' : v < 10 ? v.toFixed(1) : v.toFixed(0));
const cellClass = (c: Counts | undefined): string => (!c ? 'none' : c.fail > 0 ? 'fail' : c.skip > 0 && c.pass === 0 ? 'skip' : c.skip > 0 ? 'partial' : 'pass');

const CSS = `
body{font:14px/1.45 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d2430;background:#f6f7f9}
header{background:#1d2430;color:#fff;padding:18px 28px}
header h1{margin:0 0 4px;font-size:20px}
header .meta{color:#b8c0cc;font-size:12px}
main{padding:20px 28px;max-width:1400px}
h2{font-size:16px;margin:28px 0 10px}
.totals{display:flex;gap:12px;flex-wrap:wrap}
.total{background:#fff;border:1px solid #dde1e7;border-radius:8px;padding:10px 16px;min-width:120px}
.total b{display:block;font-size:22px}
.total.pass b{color:#1a7f37}.total.fail b{color:#cf222e}.total.skip b{color:#9a6700}
table{border-collapse:collapse;background:#fff;border:1px solid #dde1e7}
th,td{padding:4px 10px;border-bottom:1px solid #eceef2;text-align:left;vertical-align:top}
th{background:#eef1f5;font-weight:600;position:sticky;top:0}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
.matrix td.cell{text-align:center;white-space:nowrap;font-variant-numeric:tabular-nums}
.matrix a{color:inherit;text-decoration:none}
.cell.pass{background:#dafbe1}.cell.fail{background:#ffd8d3}.cell.skip{background:#fff1c2}.cell.partial{background:#e9f7d9}.cell.none{background:#f3f4f6;color:#8a93a0}
.s{display:inline-block;min-width:38px;padding:0 6px;border-radius:10px;font-size:12px;font-weight:600;text-align:center}
.s.pass{background:#dafbe1;color:#1a7f37}.s.fail{background:#ffd8d3;color:#a40e26}.s.skip{background:#fff1c2;color:#7d5300}
.reason{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px;white-space:pre-wrap;word-break:break-word;max-width:820px}
details{margin:6px 0;background:#fff;border:1px solid #dde1e7;border-radius:6px}
details>summary{cursor:pointer;padding:6px 10px;font-weight:600}
details>table{border:0;border-top:1px solid #dde1e7;width:100%}
.legend span{margin-right:12px}
.muted{color:#6b7480}
code{font-family:ui-monospace,SFMono-Regular,Menlo,monospace;font-size:12px}
`;

/** A self-contained HTML page: totals, the backend-by-family matrix, every failure, and per-case details. */
export function toHtml(report: Report): string {
  const { results } = report;
  const { families, byBackend, total } = tally(results);
  const fam = familiesOf(results.map((r) => r.id));
  const anchors = new Map(families.map((f, i) => [f, `f${i}-${f.replace(/[^A-Za-z0-9_-]/g, '_')}`]));
  const anchor = (f: string): string => anchors.get(f) as string;
  const backends = report.backends.map((b) => b.name);
  const count = (s: CaseStatus) => results.filter((r) => r.status === s).length;
  const counts = (c: Counts | undefined) => (c ? `${c.pass} / ${c.fail} / ${c.skip}` : '—');
  const badge = (s: CaseStatus) => `<span class="s ${s}">${s}</span>`;
  const h: string[] = [];
  h.push('<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">');
  h.push(`<title>keras-ts conformance: ${esc(summaryLine(results))}</title><style>${CSS}</style></head><body>`);
  h.push(`<header><h1>keras-ts conformance</h1><div class="meta">${esc(report.generated)}${report.command ? ` · <code>${esc(report.command)}</code>` : ''}<br>cases from ${report.caseDirs.map((d) => `<code>${esc(d)}</code>`).join(', ')}</div></header><main>`);
  h.push('<div class="totals">');
  h.push(`<div class="total pass"><b>${count('pass')}</b>passed</div><div class="total fail"><b>${count('fail')}</b>failed</div><div class="total skip"><b>${count('skip')}</b>skipped</div>`);
  for (const b of report.backends) {
    const t = total.get(b.name);
    h.push(`<div class="total"><b>${esc(b.name)}</b>${t ? `${t.pass} pass · ${t.fail} fail · ${t.skip} skip` : 'no cases'}${b.note ? `<br><span class="muted">${esc(b.note)}</span>` : ''}</div>`);
  }
  h.push('</div>');

  h.push('<h2>Backends by case family</h2>');
  h.push('<p class="legend muted">Each cell: pass / fail / skip. <span class="s pass">all pass</span><span class="s fail">a failure</span><span class="s skip">skipped</span> A skipped case is never counted as passed.</p>');
  h.push('<table class="matrix"><thead><tr><th>family</th>');
  for (const b of backends) h.push(`<th>${esc(b)}</th>`);
  h.push('</tr></thead><tbody>');
  for (const f of families) {
    h.push(`<tr><td><a href="#${anchor(f)}">${esc(f)}</a></td>`);
    for (const b of backends) {
      const c = byBackend.get(b)?.get(f);
      h.push(`<td class="cell ${cellClass(c)}"><a href="#${anchor(f)}">${counts(c)}</a></td>`);
    }
    h.push('</tr>');
  }
  h.push('<tr><th>total</th>');
  for (const b of backends) h.push(`<th class="cell ${cellClass(total.get(b))}">${counts(total.get(b))}</th>`);
  h.push('</tr></tbody></table>');

  const fails = results.filter((r) => r.status === 'fail');
  h.push(`<h2>Failures (${fails.length})</h2>`);
  if (fails.length === 0) h.push('<p class="muted">None.</p>');
  else {
    h.push('<table><thead><tr><th>case</th><th>backend</th><th>max abs err</th><th>max rel err</th><th>reason</th></tr></thead><tbody>');
    for (const r of fails) h.push(`<tr><td><a href="#${anchor(fam.get(r.id) as string)}">${esc(r.id)}</a></td><td>${esc(r.backend)}</td><td class="num">${fmtErr(r.maxAbsError)}</td><td class="num">${fmtErr(r.maxRelError)}</td><td class="reason">${esc(r.reason ?? '')}</td></tr>`);
    h.push('</tbody></table>');
  }

  const skips = results.filter((r) => r.status === 'skip');
  h.push(`<h2>Skips (${skips.length})</h2>`);
  if (skips.length === 0) h.push('<p class="muted">None.</p>');
  else {
    const byReason = new Map<string, CaseResult[]>();
    for (const r of skips) {
      const k = `${r.backend}\u0000${r.reason ?? ''}`;
      byReason.set(k, [...(byReason.get(k) ?? []), r]);
    }
    h.push('<table><thead><tr><th>backend</th><th>cases</th><th>reason</th></tr></thead><tbody>');
    for (const [k, rs] of byReason) {
      const [b, reason] = k.split('\u0000');
      const ids = rs.length <= 6 ? rs.map((r) => esc(r.id)).join('<br>') : `${rs.slice(0, 5).map((r) => esc(r.id)).join('<br>')}<br><span class="muted">and ${rs.length - 5} more</span>`;
      h.push(`<tr><td>${esc(b)}</td><td>${ids}</td><td class="reason">${esc(reason)}</td></tr>`);
    }
    h.push('</tbody></table>');
  }

  const idOrder = new Map<string, number>();
  for (const r of results) if (!idOrder.has(r.id)) idOrder.set(r.id, idOrder.size);
  h.push('<h2>Cases by family</h2>');
  for (const f of families) {
    // Each case's results on every backend next to each other.
    const rs = results.filter((r) => fam.get(r.id) === f).sort((a, b) => idOrder.get(a.id)! - idOrder.get(b.id)! || backends.indexOf(a.backend) - backends.indexOf(b.backend));
    const c: Counts = zero();
    for (const r of rs) c[r.status]++;
    const open = c.fail > 0 ? ' open' : '';
    h.push(`<details id="${anchor(f)}"${open}><summary>${esc(f)} <span class="muted">— ${c.pass} pass, ${c.fail} fail, ${c.skip} skip</span></summary>`);
    h.push('<table><thead><tr><th>case</th><th>backend</th><th>status</th><th>max abs err</th><th>max rel err</th><th>ms</th><th>reason</th></tr></thead><tbody>');
    for (const r of rs) h.push(`<tr><td>${esc(r.id)}</td><td>${esc(r.backend)}</td><td>${badge(r.status)}</td><td class="num">${fmtErr(r.maxAbsError)}</td><td class="num">${fmtErr(r.maxRelError)}</td><td class="num">${fmtMs(r.ms)}</td><td class="reason">${esc(r.reason ?? '')}</td></tr>`);
    h.push('</tbody></table></details>');
  }
  h.push('</main></body></html>\n');
  return h.join('\n');
}

/** Writes a file atomically: to a temporary file beside it, then renamed over it. */
export function writeFileAtomic(file: string, text: string): void {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true });
  const tmp = join(dir, `.${basename(file)}.${process.pid}.${Date.now()}.${Math.random().toString(36).slice(2)}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, file);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}
