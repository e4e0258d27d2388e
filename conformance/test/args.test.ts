import { describe, expect, it } from 'vitest';
import { parseCliArgs, USAGE, type CliArgs } from '../src/args.js';

const parsed = (argv: string[]): CliArgs => {
  const a = parseCliArgs(argv);
  if (typeof a === 'string') throw new Error(a);
  return a;
};

describe('the command line', () => {
  it('takes every option, as --opt value or --opt=value', () => {
    expect(parsed([])).toEqual({ backends: [], cases: [], filters: [], noSkips: false, list: false, verbose: false, help: false });
    const a = parsed(['--backend', 'ts,onnx', '--backend=./mine.mjs', '--cases', 'a', '--cases=b', '--filter', 'layers/*', '--filter=x', '--skips', 's.json', '--no-skips', '--json', 'r.json', '--html=r.html', '--junit', 'r.xml', '--list', '-v', '--help']);
    expect(a).toEqual({
      backends: ['ts', 'onnx', './mine.mjs'],
      cases: ['a', 'b'],
      filters: ['layers/*', 'x'],
      skips: 's.json',
      noSkips: true,
      json: 'r.json',
      html: 'r.html',
      junit: 'r.xml',
      list: true,
      verbose: true,
      help: true,
    });
    expect(parsed(['--verbose', '-h'])).toMatchObject({ verbose: true, help: true });
    expect(parsed(['--json', 'a', '--json', 'b']).json).toBe('b'); // the last one wins
    expect(parsed(['--backend', ',ts,,']).backends).toEqual(['ts']);
  });

  it('refuses what it does not know, missing values and values given to flags', () => {
    expect(parseCliArgs(['--frobnicate'])).toBe('unknown argument --frobnicate');
    expect(parseCliArgs(['stray'])).toBe('unknown argument stray');
    expect(parseCliArgs(['-x'])).toBe('unknown argument -x');
    expect(parseCliArgs(['--junit'])).toBe('--junit needs a value');
    expect(parseCliArgs(['--json', '--list'])).toBe('--json needs a value');
    expect(parseCliArgs(['--filter='])).toBe('--filter needs a value');
    expect(parseCliArgs(['--backend', ''])).toBe('--backend needs a value');
    expect(parseCliArgs(['--list=yes'])).toBe('--list takes no value');
    expect(parseCliArgs(['--verbose=1'])).toBe('--verbose takes no value');
  });

  it('names the command as keras-ts-conformance and lists --junit', () => {
    expect(USAGE).toMatch(/^usage: keras-ts-conformance \[options\]/);
    expect(USAGE).toContain('pnpm conformance');
    expect(USAGE).toContain('--junit FILE');
  });
});
