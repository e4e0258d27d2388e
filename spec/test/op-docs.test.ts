import { describe, expect, it } from 'vitest';
import { allOps } from '../src/index.js';

// docs/ops.md (scripts/docs/ops.ts) takes what an op computes and its rules in words from the
// op's `doc`: a new op without one fails here, naming it.
describe('every op has the words of its reference entry', () => {
  it.each(allOps().map((op) => [op.name, op] as const))('%s', (name, op) => {
    const doc = op.doc;
    expect(doc, `op '${name}' has no doc: add \`doc: { summary, inputs, shape, dtype, grad }\` to its defineOp`).toBeDefined();
    if (!doc) return;
    for (const key of ['summary', 'shape', 'dtype'] as const) {
      expect(doc[key].trim(), `op '${name}': doc.${key} is empty`).not.toBe('');
    }
    const arity = op.arity === 'variadic' ? 1 : op.arity;
    expect(doc.inputs.length, `op '${name}': doc.inputs names ${doc.inputs.length} input(s), the op takes ${op.arity}`).toBe(arity);
    if (op.grad) expect(doc.grad?.trim() ?? '', `op '${name}' has a gradient rule but no doc.grad`).not.toBe('');
  });
});
