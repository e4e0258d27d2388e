import { createTsBackend } from '@keras-ts/backend-ts';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  Adadelta,
  Adagrad,
  Adam,
  AdamW,
  Adamax,
  ExponentialDecay,
  Ftrl,
  Nadam,
  Optimizer,
  RMSprop,
  SGD,
  Variable,
  setBackend,
  tensor,
} from '../../src/index.js';

beforeAll(() => setBackend(createTsBackend()));

/**
 * Independent float64 references of the Keras 2.11+ update rules, element by element. `s` is the
 * element's slot state (created by `init`), `t` the 1-based step, `glob` state shared by all
 * elements of a step (Nadam's u_product).
 */
interface Ref {
  init: () => number[];
  step?: (glob: Record<string, number>, t: number) => void;
  update: (w: number, g: number, s: number[], lr: number, t: number, glob: Record<string, number>) => number;
}

const sgdRef = (momentum: number, nesterov: boolean): Ref => ({
  init: () => [0],
  update: (w, g, s, lr) => {
    if (momentum === 0) return w - lr * g;
    s[0] = momentum * s[0] - lr * g;
    return w + (nesterov ? momentum * s[0] - lr * g : s[0]);
  },
});

const rmspropRef = (rho: number, momentum: number, eps: number, centered: boolean): Ref => ({
  init: () => [0, 0, 0],
  update: (w, g, s, lr) => {
    s[0] = rho * s[0] + (1 - rho) * g * g;
    let denom = s[0] + eps;
    if (centered) {
      s[2] = rho * s[2] + (1 - rho) * g;
      denom = s[0] - s[2] * s[2] + eps;
    }
    const inc = (lr * g) / Math.sqrt(denom);
    if (momentum > 0) {
      s[1] = momentum * s[1] + inc;
      return w - s[1];
    }
    return w - inc;
  },
});

const adamRef = (b1: number, b2: number, eps: number, amsgrad: boolean): Ref => ({
  init: () => [0, 0, 0],
  update: (w, g, s, lr, t) => {
    const alpha = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    s[0] += (g - s[0]) * (1 - b1);
    s[1] += (g * g - s[1]) * (1 - b2);
    let v = s[1];
    if (amsgrad) v = s[2] = Math.max(s[2], s[1]);
    return w - (s[0] * alpha) / (Math.sqrt(v) + eps);
  },
});

const adamaxRef = (b1: number, b2: number, eps: number): Ref => ({
  init: () => [0, 0],
  update: (w, g, s, lr, t) => {
    s[0] += (g - s[0]) * (1 - b1);
    s[1] = Math.max(b2 * s[1], Math.abs(g));
    return w - (lr * s[0]) / ((1 - b1 ** t) * (s[1] + eps));
  },
});

const adagradRef = (init: number, eps: number): Ref => ({
  init: () => [init],
  update: (w, g, s, lr) => {
    s[0] += g * g;
    return w - (lr * g) / Math.sqrt(s[0] + eps);
  },
});

const adadeltaRef = (rho: number, eps: number): Ref => ({
  init: () => [0, 0],
  update: (w, g, s, lr) => {
    s[0] = rho * s[0] + (1 - rho) * g * g;
    const delta = (-Math.sqrt(s[1] + eps) * g) / Math.sqrt(s[0] + eps);
    s[1] = rho * s[1] + (1 - rho) * delta * delta;
    return w + lr * delta;
  },
});

const nadamRef = (b1: number, b2: number, eps: number): Ref => {
  const u = (t: number) => b1 * (1 - 0.5 * 0.96 ** t);
  return {
    init: () => [0, 0],
    step: (glob, t) => {
      glob.uProduct = (glob.uProduct ?? 1) * u(t);
    },
    update: (w, g, s, lr, t, glob) => {
      const up = glob.uProduct;
      const up1 = up * u(t + 1);
      s[0] += (g - s[0]) * (1 - b1);
      s[1] += (g * g - s[1]) * (1 - b2);
      const mHat = (u(t + 1) * s[0]) / (1 - up1) + ((1 - u(t)) * g) / (1 - up);
      const vHat = s[1] / (1 - b2 ** t);
      return w - (mHat * lr) / (Math.sqrt(vHat) + eps);
    },
  };
};

const ftrlRef = (lrPower: number, init: number, l1: number, l2: number, shrink: number, beta: number): Ref => ({
  init: () => [init, 0],
  update: (w, g, s, lr) => {
    const p = -lrPower;
    const l2r = l2 + beta / (2 * lr);
    const gt = g + 2 * shrink * w;
    const na = s[0] + g * g;
    s[1] += gt - ((na ** p - s[0] ** p) / lr) * w;
    const quad = na ** p / lr + 2 * l2r;
    const clipped = Math.min(Math.max(s[1], -l1), l1);
    s[0] = na;
    return (clipped - s[1]) / quad;
  },
});

/** A deterministic sequence in [-1, 1). */
function series(n: number, seed: number): number[] {
  let x = seed;
  return Array.from({ length: n }, () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return (x / 2147483648) * 2 - 1;
  });
}

interface RunOptions {
  lr: (iteration: number) => number;
  weightDecay?: number;
  clipnorm?: number;
  clipvalue?: number;
  globalClipnorm?: number;
}

/** Runs `steps` steps on two variables at once through the optimizer and through the reference. */
async function check(opt: Optimizer, ref: Ref, o: RunOptions, steps = 5, rtol = 2e-4): Promise<void> {
  const shapes = [[2, 3], [4]];
  const init = shapes.map((s, i) => series(s.reduce((a, b) => a * b, 1), 7 + i));
  const vars = shapes.map((s, i) => new Variable(`w${i}`, tensor(new Float32Array(init[i]), s), true, `layer/w${i}`));
  const state = init.map((w) => w.map(() => ref.init()));
  const want = init.map((w) => [...w]);
  const glob: Record<string, number> = {};
  for (let t = 1; t <= steps; t++) {
    const grads = shapes.map((s, i) => series(want[i].length, 100 * t + i).map((x) => x * 3));
    // Clipping, as Keras: per gradient by norm, by value, or by the global norm.
    let clipped = grads.map((g) => [...g]);
    if (o.clipnorm !== undefined) {
      clipped = clipped.map((g) => {
        const n = Math.hypot(...g);
        return g.map((x) => (x * o.clipnorm!) / Math.max(n, o.clipnorm!));
      });
    }
    if (o.clipvalue !== undefined) clipped = clipped.map((g) => g.map((x) => Math.min(Math.max(x, -o.clipvalue!), o.clipvalue!)));
    if (o.globalClipnorm !== undefined) {
      const n = Math.hypot(...clipped.flat());
      clipped = clipped.map((g) => g.map((x) => (x * o.globalClipnorm!) / Math.max(n, o.globalClipnorm!)));
    }
    const lr = o.lr(t - 1);
    ref.step?.(glob, t);
    for (let i = 0; i < want.length; i++) {
      for (let k = 0; k < want[i].length; k++) {
        let w = want[i][k];
        if (o.weightDecay) w -= w * o.weightDecay * lr;
        want[i][k] = ref.update(w, clipped[i][k], state[i][k], lr, t, glob);
      }
    }
    await opt.applyGradientsTo(
      grads.map((g, i) => tensor(new Float32Array(g), shapes[i])),
      vars,
    );
    for (let i = 0; i < want.length; i++) {
      const got = Array.from(vars[i].value.data);
      got.forEach((x, k) => expect(Math.abs(x - want[i][k]), `step ${t}, variable ${i}, element ${k}: ${x} vs ${want[i][k]}`).toBeLessThanOrEqual(1e-6 + rtol * Math.abs(want[i][k])));
    }
  }
  expect(opt.iterations.value.data[0]).toBe(steps);
}

const constant = (lr: number) => () => lr;

describe('optimizer updates against a float64 reference (two variables, several steps)', () => {
  it('SGD without momentum keeps no slot and is plain gradient descent', async () => {
    const opt = new SGD({ learningRate: 0.1 });
    await check(opt, sgdRef(0, false), { lr: constant(0.1) });
    expect(opt.variables.map((v) => v.name)).toEqual(['iterations', 'learning_rate']);
  });
  it('SGD with momentum and with Nesterov momentum', async () => {
    await check(new SGD({ learningRate: 0.05, momentum: 0.8 }), sgdRef(0.8, false), { lr: constant(0.05) });
    await check(new SGD({ learningRate: 0.05, momentum: 0.8, nesterov: true }), sgdRef(0.8, true), { lr: constant(0.05) });
  });
  it('RMSprop: plain, centered without momentum, momentum without centering', async () => {
    await check(new RMSprop({ learningRate: 0.01 }), rmspropRef(0.9, 0, 1e-7, false), { lr: constant(0.01) });
    await check(new RMSprop({ learningRate: 0.01, rho: 0.8, centered: true }), rmspropRef(0.8, 0, 1e-7, true), { lr: constant(0.01) });
    await check(new RMSprop({ learningRate: 0.01, momentum: 0.5, epsilon: 1e-3 }), rmspropRef(0.9, 0.5, 1e-3, false), { lr: constant(0.01) });
  });
  it('Adam with non-default betas, AMSGrad and clipnorm', async () => {
    await check(new Adam({ learningRate: 0.02, beta1: 0.8, beta2: 0.99, epsilon: 1e-4, amsgrad: true, clipnorm: 1 }), adamRef(0.8, 0.99, 1e-4, true), {
      lr: constant(0.02),
      clipnorm: 1,
    });
  });
  it('AdamW applies decoupled weight decay before the update, with a schedule', async () => {
    const schedule = new ExponentialDecay({ initialLearningRate: 0.05, decaySteps: 2, decayRate: 0.5 });
    await check(new AdamW({ learningRate: schedule, weightDecay: 0.1 }), adamRef(0.9, 0.999, 1e-7, false), {
      lr: (i) => 0.05 * 0.5 ** (i / 2),
      weightDecay: 0.1,
    });
  });
  it('Adamax with global_clipnorm across both variables', async () => {
    await check(new Adamax({ learningRate: 0.01, globalClipnorm: 0.7 }), adamaxRef(0.9, 0.999, 1e-7), { lr: constant(0.01), globalClipnorm: 0.7 });
  });
  it('Adagrad with a non-default accumulator start and clipvalue', async () => {
    await check(new Adagrad({ learningRate: 0.1, initialAccumulatorValue: 0.5, clipvalue: 0.5 }), adagradRef(0.5, 1e-7), { lr: constant(0.1), clipvalue: 0.5 });
  });
  it('Adadelta with weight decay', async () => {
    await check(new Adadelta({ learningRate: 1, rho: 0.9, weightDecay: 0.05 }), adadeltaRef(0.9, 1e-7), { lr: constant(1), weightDecay: 0.05 });
  });
  it('Nadam updates u_product once per step, whatever the number of variables', async () => {
    const opt = new Nadam({ learningRate: 0.01 });
    await check(opt, nadamRef(0.9, 0.999, 1e-7), { lr: constant(0.01) }, 6);
    let want = 1;
    for (let t = 1; t <= 6; t++) want *= 0.9 * (1 - 0.5 * 0.96 ** t);
    expect(opt.uProduct.value.data[0]).toBeCloseTo(want, 6);
    expect(opt.variables.at(-1)).toBe(opt.uProduct);
    expect(opt.variables.length).toBe(2 + 2 * 2 + 1);
  });
  it('Ftrl with L1, L2, L2 shrinkage and beta', async () => {
    await check(
      new Ftrl({ learningRate: 0.2, learningRatePower: -0.7, initialAccumulatorValue: 0.3, l1RegularizationStrength: 0.05, l2RegularizationStrength: 0.1, l2ShrinkageRegularizationStrength: 0.02, beta: 0.5 }),
      ftrlRef(-0.7, 0.3, 0.05, 0.1, 0.02, 0.5),
      { lr: constant(0.2) },
    );
  });
});

describe('optimizer state', () => {
  it('names slots as Keras 3 does and creates them once per variable', async () => {
    const opt = new Adam({ name: 'adam', amsgrad: true });
    const v = new Variable('kernel', tensor([1, 2]), true, 'dense/kernel');
    await opt.applyGradientsTo([tensor([0.1, 0.2])], [v]);
    await opt.applyGradientsTo([tensor([0.1, 0.2])], [v]);
    expect(opt.variables.map((x) => x.path)).toEqual([
      'adam/iterations',
      'adam/learning_rate',
      'adam/dense_kernel_momentum',
      'adam/dense_kernel_velocity',
      'adam/dense_kernel_velocity_hat',
    ]);
  });
  it('Nadam lists u_product only once it has run', async () => {
    const opt = new Nadam();
    expect(opt.variables.map((x) => x.name)).toEqual(['iterations', 'learning_rate']);
  });
  it('the learning rate of a schedule follows the iterations', async () => {
    const opt = new SGD({ learningRate: new ExponentialDecay({ initialLearningRate: 0.1, decaySteps: 1, decayRate: 0.5 }) });
    expect(opt.learningRate).toBeCloseTo(0.1, 7);
    const v = new Variable('w', tensor([1]));
    await opt.applyGradientsTo([tensor([1])], [v]);
    await opt.applyGradientsTo([tensor([1])], [v]);
    expect(opt.learningRate).toBeCloseTo(0.025, 7);
    expect(v.value.data[0]).toBeCloseTo(1 - 0.1 - 0.05, 6);
  });
});
