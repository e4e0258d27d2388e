import { fmtShape, ops, shapesEqual, type Graph, type Sym } from '@keras-ts/spec';
import type { Variable } from './variable.js';
import { KerasShapeError, KerasStateError } from '../errors.js';

/** What a traced function is fed after its data inputs. */
export type Feed = { kind: 'variable'; variable: Variable } | { kind: 'seed' };

/**
 * The state of one trace of Keras code into a graph: the variables it reads (fed as inputs),
 * the new values it assigns (returned as outputs), the losses layers add, and the seed input
 * random layers draw from.
 */
export class TraceScope {
  readonly reads = new Map<Variable, Sym>();
  readonly updates = new Map<Variable, Sym>();
  readonly losses: Sym[] = [];
  readonly feeds: Feed[] = [];
  private seedSym: Sym | null = null;
  private seeds = 0;

  constructor(
    readonly graph: Graph,
    readonly training: boolean,
  ) {}

  read(v: Variable): Sym {
    let s = this.reads.get(v);
    if (!s) {
      s = this.graph.placeholder(v.shape, v.dtype, v.path);
      this.reads.set(v, s);
      this.feeds.push({ kind: 'variable', variable: v });
    }
    return s;
  }

  /** Records a new value for a variable, written back after the run. */
  assign(v: Variable, value: Sym): void {
    if (!shapesEqual(value.shape, v.shape) || value.dtype !== v.dtype) {
      throw new KerasShapeError(`cannot assign ${value.dtype}${fmtShape(value.shape)} to variable '${v.path}' (${v.dtype}${fmtShape(v.shape)})`);
    }
    this.updates.set(v, value);
  }

  /**
   * Starts the next of several steps traced into one graph (training steps run several at a
   * time): reads now see the values the steps so far assigned, as the next run would be fed, and
   * the losses layers add start again from none.
   */
  nextStep(): void {
    for (const [v, value] of this.updates) this.reads.set(v, value);
    this.losses.length = 0;
  }

  /** Adds a loss term (activity regularization, `addLoss`). */
  addLoss(loss: Sym): void {
    this.losses.push(loss.rank === 0 ? loss : ops.sum(loss));
  }

  /** A fresh int32 seed for one random op: the per-run seed input plus a per-op offset. */
  nextSeed(): Sym {
    if (!this.seedSym) {
      this.seedSym = this.graph.placeholder([], 'int32', 'seed');
      this.feeds.push({ kind: 'seed' });
    }
    this.seeds++;
    return ops.add(this.seedSym, this.seeds * 7919);
  }
}

let scope: TraceScope | null = null;

/** The scope being traced, or null outside a trace. */
export function currentScope(): TraceScope | null {
  return scope;
}

/** The scope being traced; an error when called outside one. */
export function requireScope(what: string): TraceScope {
  if (!scope) throw new KerasStateError(`${what} can only run inside a traced function`);
  return scope;
}

export function withScope<T>(s: TraceScope, fn: () => T): T {
  const prev = scope;
  scope = s;
  try {
    return fn();
  } finally {
    scope = prev;
  }
}
