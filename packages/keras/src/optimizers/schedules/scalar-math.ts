import { ops, type Sym } from '@keras-ts/spec';

/** A scalar of a formula: a symbolic tensor, or a plain number (a constant). */
export type Val<T> = T | number;

/**
 * The float32 scalar arithmetic a learning-rate formula is written in, once, and evaluated two
 * ways: over symbolic tensors (inside a traced training step) and on the host. The host version
 * rounds every input and result to float32, as the backends' kernels do, so both agree.
 */
export interface ScalarMath<T, B> {
  /** a + b. */
  add(a: Val<T>, b: Val<T>): Val<T>;
  /** a - b. */
  sub(a: Val<T>, b: Val<T>): Val<T>;
  /** a · b. */
  mul(a: Val<T>, b: Val<T>): Val<T>;
  /** a / b. */
  div(a: Val<T>, b: Val<T>): Val<T>;
  /** a raised to b. */
  pow(a: Val<T>, b: Val<T>): Val<T>;
  /** The smaller of a and b. */
  minimum(a: Val<T>, b: Val<T>): Val<T>;
  /** a rounded down. */
  floor(a: Val<T>): Val<T>;
  /** a rounded up. */
  ceil(a: Val<T>): Val<T>;
  /** The cosine of a. */
  cos(a: Val<T>): Val<T>;
  /** The natural logarithm of a. */
  log(a: Val<T>): Val<T>;
  /** a < b. */
  less(a: Val<T>, b: Val<T>): B | boolean;
  /** a <= b. */
  lessEqual(a: Val<T>, b: Val<T>): B | boolean;
  /** a > b. */
  greater(a: Val<T>, b: Val<T>): B | boolean;
  /** a == b. */
  equal(a: Val<T>, b: Val<T>): B | boolean;
  /** a AND b. */
  and(a: B | boolean, b: B | boolean): B | boolean;
  /** `a` where `cond` holds, else `b` (both are computed, as `ops.where`). */
  where(cond: B | boolean, a: Val<T>, b: Val<T>): Val<T>;
}

const f = Math.fround;

/** Float32 arithmetic on the host: every input and result is rounded to float32. */
export const hostMath: ScalarMath<number, boolean> = {
  add: (a, b) => f(f(a) + f(b)),
  sub: (a, b) => f(f(a) - f(b)),
  mul: (a, b) => f(f(a) * f(b)),
  div: (a, b) => f(f(a) / f(b)),
  pow: (a, b) => f(Math.pow(f(a), f(b))),
  minimum: (a, b) => f(Math.min(f(a), f(b))),
  floor: (a) => f(Math.floor(f(a))),
  ceil: (a) => f(Math.ceil(f(a))),
  cos: (a) => f(Math.cos(f(a))),
  log: (a) => f(Math.log(f(a))),
  less: (a, b) => f(a) < f(b),
  lessEqual: (a, b) => f(a) <= f(b),
  greater: (a, b) => f(a) > f(b),
  equal: (a, b) => f(a) === f(b),
  and: (a, b) => a && b,
  where: (c, a, b) => (c ? f(a) : f(b)),
};

type Bin = (a: Val<Sym>, b: Val<Sym>) => Val<Sym>;
const isNum = (x: unknown): x is number => typeof x === 'number';

/** Constant operands are folded on the host (float32); the rest becomes ops on float32 scalars. */
function symBin(host: (a: number, b: number) => number, op: (a: Sym | number, b: Sym | number) => Sym): Bin {
  return (a, b) => (isNum(a) && isNum(b) ? host(a, b) : op(a, b));
}

function symCmp(host: (a: number, b: number) => boolean, op: (a: Sym | number, b: Sym | number) => Sym) {
  return (a: Val<Sym>, b: Val<Sym>): Sym | boolean => (isNum(a) && isNum(b) ? host(a, b) : op(a, b));
}

function symUnary(host: (a: number) => number, op: (a: Sym) => Sym) {
  return (a: Val<Sym>): Val<Sym> => (isNum(a) ? host(a) : op(a));
}

/** The same arithmetic over symbolic float32 tensors (`ops.*`). */
export const symMath: ScalarMath<Sym, Sym> = {
  add: symBin(hostMath.add, ops.add),
  sub: symBin(hostMath.sub, ops.sub),
  mul: symBin(hostMath.mul, ops.mul),
  div: symBin(hostMath.div, ops.div),
  pow: symBin(hostMath.pow, ops.pow),
  minimum: symBin(hostMath.minimum, ops.minimum),
  floor: symUnary(hostMath.floor, ops.floor),
  ceil: symUnary(hostMath.ceil, ops.ceil),
  cos: symUnary(hostMath.cos, ops.cos),
  log: symUnary(hostMath.log, ops.log),
  less: symCmp(hostMath.less, ops.less),
  lessEqual: symCmp(hostMath.lessEqual, ops.lessEqual),
  greater: symCmp(hostMath.greater, ops.greater),
  equal: symCmp(hostMath.equal, ops.equal),
  and: (a, b) => {
    if (typeof a === 'boolean') return a ? b : false;
    if (typeof b === 'boolean') return b ? a : false;
    return ops.logicalAnd(a, b);
  },
  where: (c, a, b) => {
    if (typeof c === 'boolean') return c ? a : b;
    return ops.where(c, isNum(a) ? ops.scalar(c.graph, a) : a, b);
  },
};
