/**
 * The part of vitest's API the shared op suite (spec/testing/suite.ts) uses, for a web page:
 * run.ts bundles the page with `vitest` aliased to this file, so `describeOpSuite` declares its
 * tests here and op-suite.ts runs them in the browser. `describe` / `it` / `it.skip` record tests
 * by their full name; `expect` has the matchers the suite uses, and names any other it is asked
 * for (so a new matcher in the suite fails loudly here rather than passing).
 */
import { KerasNotImplementedError } from '@keras-ts/spec';

/** A matcher that did not hold (vitest's AssertionError): the test fails with it. */
export class AssertionError extends Error {
  override readonly name = 'AssertionError';
}

/** A test the suite declared: its full name, and its body (none when it is skipped). */
export interface DeclaredTest {
  readonly name: string;
  readonly fn: (() => unknown) | null;
}

const declared: DeclaredTest[] = [];
const path: string[] = [];

/** The tests declared so far, in order. */
export function declaredTests(): readonly DeclaredTest[] {
  return declared;
}

const fullName = (name: string) => [...path, name].join(' > ');

export function describe(name: string, body: () => void): void {
  path.push(name);
  try {
    body();
  } finally {
    path.pop();
  }
}
describe.skip = (name: string, body: () => void): void => {
  const before = declared.length;
  describe(name, body);
  for (let i = before; i < declared.length; i++) declared[i] = { name: declared[i].name, fn: null };
};

export function it(name: string, fn: () => unknown): void {
  declared.push({ name: fullName(name), fn });
}
it.skip = (name: string, _fn?: () => unknown): void => {
  declared.push({ name: fullName(name), fn: null });
};
export const test = it;

const show = (v: unknown): string => {
  try {
    return typeof v === 'string' ? JSON.stringify(v) : (JSON.stringify(v) ?? String(v));
  } catch {
    return String(v);
  }
};

function equal(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => equal((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

export function expect(actual: unknown, message?: string) {
  const fail = (what: string): never => {
    throw new AssertionError(`${message ? `${message}: ` : ''}${what}`);
  };
  const matchers = {
    toBe(expected: unknown) {
      if (!Object.is(actual, expected)) fail(`expected ${show(actual)} to be ${show(expected)}`);
    },
    toEqual(expected: unknown) {
      if (!equal(actual, expected)) fail(`expected ${show(actual)} to equal ${show(expected)}`);
    },
    toThrow(pattern?: RegExp | string) {
      if (typeof actual !== 'function') return fail('toThrow needs a function');
      try {
        (actual as () => unknown)();
      } catch (e) {
        const msg = String((e as Error)?.message ?? e);
        if (pattern === undefined) return;
        if (typeof pattern === 'string' ? msg.includes(pattern) : pattern.test(msg)) return;
        return fail(`expected the error to match ${String(pattern)}, got: ${msg}`);
      }
      fail('expected a function that throws');
    },
  };
  return new Proxy(matchers, {
    get(target, key) {
      if (key in target) return target[key as keyof typeof target];
      throw new KerasNotImplementedError(`the browser op-suite runner has no expect().${String(key)}: add it to conformance/browser/vitest-shim.ts`);
    },
  });
}
