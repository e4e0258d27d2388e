import { z } from 'zod';
import type { Sym } from '../graph/graph.js';
import { normAxis, sizeOf } from '../shape.js';
import { resolveAxes, resolveAxis, reducedShape } from './axes.js';
import { div, sub } from './binary.js';
import { defineOp, problem, type TensorInfo } from './registry.js';
import { max, mean, sum } from './reduce.js';
import { stopGradient } from './source.js';
import { exp, log, square } from './unary.js';

const axisAttrs = z.strictObject({ axis: z.number().int().default(-1) });

function inferAlongAxis([x]: readonly TensorInfo[], a: { axis: number }): TensorInfo {
  if (x.dtype !== 'float32') problem(`takes float32, not ${x.dtype}`);
  resolveAxis(a.axis, x.shape.length);
  return x;
}

/** x - max(x) along `axis`, the max held constant for the gradient (the stable shift). */
function shifted(x: Sym, axis: number): Sym {
  return sub(x, stopGradient(max(x, [axis], true)));
}

/** exp(x) / sum(exp(x)) along `axis`, computed around the maximum. */
defineOp({
  name: 'softmax',
  kind: 'composite',
  arity: 1,
  attrs: axisAttrs,
  infer: inferAlongAxis,
  decompose: ([x], a) => {
    if (sizeOf(x.shape) === 0) return x;
    const e = exp(shifted(x, a.axis));
    return div(e, sum(e, [a.axis], true));
  },
  doc: {
    summary: 'exp(x) / sum(exp(x)) along `axis` (default the last), computed around the maximum: x - max(x) is exponentiated.',
    inputs: ['x'],
    shape: "The input's shape; `axis` must be in range.",
    dtype: 'float32 only; the output is float32.',
    grad: 'The maximum is held constant (stop_gradient), which does not change the gradient.',
  },
});

/** x - logsumexp(x) along `axis`, computed around the maximum. */
defineOp({
  name: 'log_softmax',
  kind: 'composite',
  arity: 1,
  attrs: axisAttrs,
  infer: inferAlongAxis,
  decompose: ([x], a) => {
    if (sizeOf(x.shape) === 0) return x;
    const s = shifted(x, a.axis);
    return sub(s, log(sum(exp(s), [a.axis], true)));
  },
  doc: {
    summary: 'x - logsumexp(x) along `axis` (default the last), computed around the maximum: s - log(sum(exp(s))) with s = x - max(x).',
    inputs: ['x'],
    shape: "The input's shape; `axis` must be in range.",
    dtype: 'float32 only; the output is float32.',
    grad: 'The maximum is held constant (stop_gradient), which does not change the gradient.',
  },
});

const varianceAttrs = z.strictObject({ axes: z.array(z.number().int()).nullable().default(null), keepdims: z.boolean().default(false) });

/**
 * Population variance over `axes` (all when null): the mean of squared deviations from the mean,
 * as tf.nn.moments (the mean is held constant for the gradient, which does not change it).
 */
defineOp({
  name: 'variance',
  kind: 'composite',
  arity: 1,
  attrs: varianceAttrs,
  infer: ([x], a) => {
    if (x.dtype !== 'float32') problem(`takes float32, not ${x.dtype}`);
    for (const ax of a.axes ?? []) {
      if (normAxis(ax, x.shape.length) === null) problem(`attribute 'axes' = [${a.axes}]: axis ${ax} is out of range for rank ${x.shape.length}`);
    }
    return { shape: reducedShape(x.shape, resolveAxes(a.axes, x.shape.length), a.keepdims), dtype: x.dtype };
  },
  decompose: ([x], a) => {
    const mu = stopGradient(mean(x, a.axes, true));
    return mean(square(sub(x, mu)), a.axes, a.keepdims);
  },
  doc: {
    summary: 'Population variance over `axes` (every axis when null): the mean of the squared deviations from the mean, as tf.nn.moments.',
    inputs: ['x'],
    shape:
      "The input's shape without the reduced axes, or with them as size 1 when `keepdims`; an axis out of range or repeated is rejected.",
    dtype: 'float32 only; the output is float32.',
    grad: 'The mean is held constant (stop_gradient), which does not change the gradient (the deviations sum to zero): dx = 2 (x - mean) / n · dy.',
  },
});

/**
 * Softmax along `axis` (default the last).
 * @example softmax(logits) // each row sums to 1
 */
export function softmax(x: Sym, axis = -1): Sym {
  return x.graph.apply('softmax', [x], { axis });
}

/**
 * Log of the softmax along `axis` (default the last), computed stably.
 * @example logSoftmax(logits)
 */
export function logSoftmax(x: Sym, axis = -1): Sym {
  return x.graph.apply('log_softmax', [x], { axis });
}

/**
 * Population variance over `axes` (a number, a list, or null for all).
 * @example variance(x, [0]) // [4, 3] -> [3]
 */
export function variance(x: Sym, axes: number | readonly number[] | null = null, keepdims = false): Sym {
  return x.graph.apply('variance', [x], { axes: typeof axes === 'number' ? [axes] : axes && [...axes], keepdims });
}

/**
 * The mean and population variance over `axes`, as tf.nn.moments.
 * @example const [m, v] = moments(x, [0, 1, 2]); // per-channel statistics of NHWC
 */
export function moments(x: Sym, axes: number | readonly number[] | null = null, keepdims = false): [Sym, Sym] {
  const ax = typeof axes === 'number' ? [axes] : axes && [...axes];
  return [mean(x, ax, keepdims), variance(x, ax, keepdims)];
}

declare module './registry.js' {
  interface OpSchemas {
    softmax: typeof axisAttrs;
    log_softmax: typeof axisAttrs;
    variance: typeof varianceAttrs;
  }
}
