import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../src/cli.js';
import type { CaseResult } from '../src/index.js';
import { toJunit, xmlAttr, xmlText } from '../src/junit.js';
import type { Report } from '../src/report.js';
import { parseXml, type XmlElement } from './xml.js';

const GOLDENS = join(dirname(fileURLToPath(import.meta.url)), '..', 'goldens', 'keras-3.16.0-torch');

const children = (el: XmlElement, name: string): XmlElement[] => el.children.filter((c) => c.name === name);
const only = (el: XmlElement, name: string): XmlElement => {
  const found = children(el, name);
  expect(found, `<${el.name}> has one <${name}>`).toHaveLength(1);
  return found[0];
};

describe('JUnit XML', () => {
  // Everything XML makes hard: markup characters, quotes of both kinds, white space that an
  // attribute would lose, C0 controls XML cannot hold at all, a lone surrogate.
  const nastyId = `odd/<case> & "quoted" 'single'\u0001\u001f\uD800`;
  const nastyReason = `output 0: element 3 is <0.5> & expected "1" or '2'\u0000\n\tsecond line\r\u000b\uFFFE end`;
  const shown = (s: string) => s.replace(/\u0001/g, '\\u0001').replace(/\u001f/g, '\\u001F').replace(/\uD800/g, '\\uD800').replace(/\u0000/g, '\\u0000').replace(/\u000b/g, '\\u000B').replace(/\uFFFE/g, '\\uFFFE');
  const results: CaseResult[] = [
    { id: 'layers/Dense/basic', backend: 'ts', status: 'pass', maxAbsError: 0, maxRelError: 0, ms: 12.25, kind: 'layer', file: '/g/layers/Dense/basic.json' },
    { id: nastyId, backend: 'ts', status: 'fail', maxAbsError: 0.5, maxRelError: Infinity, reason: nastyReason, ms: 1500, kind: 'layer' },
    { id: 'models/x', backend: 'ts', status: 'skip', reason: 'skip list: <why> & "how"' },
    { id: 'layers/Dense/basic', backend: `we<ird> "b" & 'c'`, status: 'pass' },
  ];
  const report: Report = {
    generated: '2025-01-02T03:04:05.678Z',
    caseDirs: ['/g'],
    backends: [{ name: 'ts' }, { name: `we<ird> "b" & 'c'` }, { name: 'onnx', note: 'backend \'onnx\' needs <pkg> & is not installed' }],
    results,
  };

  it('is well-formed whatever the ids and reasons hold, and keeps them readable', () => {
    const xml = toJunit(report);
    const root = parseXml(xml);
    expect(root.name).toBe('testsuites');
    const suites = children(root, 'testsuite');
    expect(suites.map((s) => s.attrs.name)).toEqual(['ts', `we<ird> "b" & 'c'`, 'onnx']);

    const [ts, weird, onnx] = suites;
    const cases = children(ts, 'testcase');
    expect(cases.map((c) => c.attrs.classname)).toEqual(['ts', 'ts', 'ts']);
    expect(cases.map((c) => c.attrs.name)).toEqual(['layers/Dense/basic', shown(nastyId), 'models/x']);
    expect(cases.map((c) => c.attrs.time)).toEqual(['0.012', '1.500', '0.000']);
    expect(cases[0].children).toHaveLength(0);
    const failure = only(cases[1], 'failure');
    // Tab, LF and CR survive in the attribute as character references.
    expect(failure.attrs.message).toBe(shown(nastyReason));
    expect(failure.text).toContain(shown(nastyReason));
    expect(failure.text).toContain('max abs error: 0.5, max rel error: Infinity');
    expect(only(cases[2], 'skipped').attrs.message).toBe('skip list: <why> & "how"');
    expect(children(cases[2], 'failure')).toHaveLength(0);

    expect(only(weird, 'testcase').attrs.classname).toBe(`we<ird> "b" & 'c'`);
    expect(children(onnx, 'testcase')).toHaveLength(0);
    expect(only(onnx, 'system-out').text).toBe("backend 'onnx' needs <pkg> & is not installed");
  });

  it('counts tests, failures, skips and time per backend and in total', () => {
    const root = parseXml(toJunit(report));
    expect(root.attrs).toMatchObject({ tests: '4', failures: '1', errors: '0', skipped: '1', time: '1.512' });
    const [ts, weird, onnx] = children(root, 'testsuite');
    expect(ts.attrs).toMatchObject({ tests: '3', failures: '1', errors: '0', skipped: '1', time: '1.512', timestamp: '2025-01-02T03:04:05' });
    expect(weird.attrs).toMatchObject({ tests: '1', failures: '0', skipped: '0', time: '0.000' });
    expect(onnx.attrs).toMatchObject({ tests: '0', failures: '0', skipped: '0' });
    for (const s of [ts, weird, onnx]) expect(children(s, 'testcase')).toHaveLength(Number(s.attrs.tests));
  });

  it('escapes text and attributes', () => {
    expect(xmlText(`a<b>&c"d'`)).toBe(`a&lt;b&gt;&amp;c"d'`);
    expect(xmlText('a\r\nb')).toBe('a&#13;\nb');
    expect(xmlAttr(`a<b>&c"d'\te\nf\rg`)).toBe('a&lt;b&gt;&amp;c&quot;d&apos;&#9;e&#10;f&#13;g');
    expect(xmlAttr('\u0000\u0008\u000c\uDC00x\uD83D\uDE00')).toBe('\\u0000\\u0008\\u000C\\uDC00x\uD83D\uDE00'); // a surrogate pair is kept
    expect(() => parseXml('<a b="x<y"/>')).toThrow(/'<' in attribute/);
    expect(() => parseXml('<a>\u0001</a>')).toThrow(/illegal character/);
    expect(() => parseXml('<a>&#1;</a>')).toThrow(/illegal character/);
    expect(() => parseXml('<a><b></a></b>')).toThrow(/mismatched/);
    expect(() => parseXml('<a>x & y</a>')).toThrow(/entity|reference/);
  });
});

describe('the CLI writes --junit', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(join(tmpdir(), 'keras-ts-junit-'));
    const relu = JSON.parse(readFileSync(join(GOLDENS, 'activations', 'relu.json'), 'utf8'));
    const write = (c: Record<string, unknown>) => {
      const file = join(tmp, 'cases', `${(c.id as string).replace(/[^\w/]/g, '_')}.json`); // ids may hold what file names cannot
      mkdirSync(dirname(file), { recursive: true });
      writeFileSync(file, JSON.stringify(c));
    };
    write({ ...relu, id: 'junit/relu_ok' });
    write({ ...relu, id: 'junit/relu <skipped> & "listed"' });
    const off = structuredClone(relu);
    off.id = 'junit/relu_off';
    off.outputs[0].data[13] = 0.5009765625;
    write(off);
    writeFileSync(join(tmp, 'skips.json'), JSON.stringify([{ id: 'junit/relu <skipped> & "listed"', reason: 'a reason with <markup> & "quotes"' }]));
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('with the same counts and statuses as the JSON report', async () => {
    const out: string[] = [];
    const code = await main(['--backend', 'ts', '--cases', 'cases', '--skips', 'skips.json', '--junit', 'out/r.xml', '--json', 'out/r.json'], { cwd: tmp, out: (s) => out.push(s), err: () => {} });
    expect(code).toBe(1);
    expect(out.at(-1)).toBe('1 passed, 1 failed, 1 skipped');
    expect(out).toContain(`wrote ${join(tmp, 'out', 'r.xml')}`);
    expect(readdirSync(join(tmp, 'out')).sort()).toEqual(['r.json', 'r.xml']); // no temporary file left

    const json = JSON.parse(readFileSync(join(tmp, 'out', 'r.json'), 'utf8'));
    const root = parseXml(readFileSync(join(tmp, 'out', 'r.xml'), 'utf8'));
    expect(root.attrs).toMatchObject({ tests: '3', failures: String(json.summary.failed), skipped: String(json.summary.skipped) });
    const suite = only(root, 'testsuite');
    expect(suite.attrs).toMatchObject({ name: 'ts', tests: '3', failures: '1', errors: '0', skipped: '1' });
    const status = (c: XmlElement) => (children(c, 'failure').length ? 'fail' : children(c, 'skipped').length ? 'skip' : 'pass');
    const fromXml = children(suite, 'testcase').map((c) => ({ id: c.attrs.name, backend: c.attrs.classname, status: status(c) }));
    expect(fromXml).toEqual(json.results.map((r: { id: string; backend: string; status: string }) => ({ id: r.id, backend: r.backend, status: r.status })));
    const skipped = children(suite, 'testcase').find((c) => c.attrs.name === 'junit/relu <skipped> & "listed"') as XmlElement;
    expect(only(skipped, 'skipped').attrs.message).toBe('skip list: a reason with <markup> & "quotes"');
    const failed = children(suite, 'testcase').find((c) => c.attrs.name === 'junit/relu_off') as XmlElement;
    expect(only(failed, 'failure').attrs.message).toMatch(/^output: element 13 is 0\.5, expected 0\.5009765625/);
  });
});
