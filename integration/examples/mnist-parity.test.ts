/**
 * Issue #5: the example MNIST model (examples/mnist-cnn) trained on backend-tfjs (cpu and wasm)
 * and backend-onnx ends with the same weights and predictions as trained on backend-ts.
 *
 * Every backend starts from the same initial weights (built once on backend-ts, copied in with
 * setWeights), trains on the same digits in the same batches (shuffle: false) with the example's
 * optimizer, loss and learning-rate schedule, then predicts the same held-out digits.
 *
 * Dropout: the example has Dropout(0.3) before the last layer. A random op is a pure function of
 * its seed on one backend, but the generators differ across backends: backend-ts draws with
 * mulberry32, backend-onnx evaluates the same mulberry32 stream in ONNX ops (same masks), while
 * backend-tfjs uses tfjs' own seeded generator (seedrandom's alea), so its masks are different
 * ones (measured: after 64 steps the tfjs weights are off by up to 100% of a tensor's largest
 * magnitude and 36 of 500 held-out classes differ, i.e. two different but equally valid
 * trainings). The cross-backend comparison therefore trains the example model with the Dropout
 * rate set to 0 (`buildModel({ dropout: 0 })`, otherwise the same network); a second check
 * trains it with Dropout(0.3) active on backend-onnx, whose masks are backend-ts's.
 *
 * The test crosses packages (keras, every backend, the example), so it lives in integration/;
 * `mnist` is resolved from examples/ by the example module itself.
 */
import { createOnnxBackend } from '@keras-ts/backend-onnx';
import { createTfjsBackend } from '@keras-ts/backend-tfjs';
import { createTsBackend } from '@keras-ts/backend-ts';
import { setBackend, setRandomSeed, type Tensor } from '@keras-ts/keras';
import type { Backend } from '@keras-ts/spec';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildModel, compileModel, learningRateSchedule, loadDigits, rows } from '../../examples/mnist-cnn/model.js';

// A CI-sized slice of the example's run: 256 training digits in 8 batches of 32 for 2 epochs
// (16 Adam steps), 500 held-out digits (the tail of the example's 2,000-digit test split).
const TRAIN = 256;
const EPOCHS = 2;
const BATCH = 32;
const HELD_OUT = 500;

// Tolerances, from measurement (backend-ts as the reference; 256, 384 and 1,024 training digits,
// 2 epochs, on tfjs-cpu, tfjs-wasm and onnx): the largest weight difference was 8.1e-6 of the
// tensor's largest magnitude (in the Dense(64) kernel, 9e-7 absolute: float32 rounding in a
// different summation order, amplified by Adam's first step, which is lr * g / (|g| + eps) and so
// turns rounding noise on gradients near eps into differences of lr times that noise), the
// largest predicted-probability difference 1.6e-6, the per-epoch losses agreed to 5 digits, and
// all 500 classes agreed. The bounds leave a margin of more than 10 times, and stay far below
// what a wrong kernel gives (different dropout masks alone move the weights by 1e-1 of their
// magnitude and change 7% of the predicted classes).
const WEIGHT_RTOL = 1e-4; // max |w - w_ts| <= WEIGHT_RTOL * max |w_ts|, per weight tensor
const PROB_ATOL = 1e-4; // max |p - p_ts| over the held-out softmax outputs
const MIN_CLASS_AGREEMENT = HELD_OUT - 1; // argmax equal on all but at most one held-out digit
const LOSS_RTOL = 1e-4; // per-epoch training loss

// With Dropout(0.3) the trajectory is more sensitive: in the run below, onnx matches backend-ts to
// 1e-7 of each tensor's magnitude for 6 steps, then one conv1 bias entry (magnitude 3e-4, in a
// tensor whose largest entry is 1e-2) gets a gradient that differs by a few percent, which is a
// discrete flip (a ReLU input within rounding of 0 that the 1e-9 weight differences push to the
// other side), and that difference then grows to 3.9e-4 of the tensor's magnitude by step 16.
// It is not a kernel difference: restarting every step from backend-ts's exact weights and Adam
// state, onnx's step matched to 1e-7 of each tensor's magnitude on all 16 steps (the same masks).
// Hence a looser weight bound for that run (2.5 times the measured 3.9e-4); its predictions
// still agreed to 9.5e-7 and on all 500 classes.
const WEIGHT_RTOL_DROPOUT = 1e-3;

const verbose = !!process.env.MNIST_PARITY_VERBOSE;

interface Run {
  weights: Tensor[];
  probs: Tensor;
  losses: number[];
  ms: number;
}

interface Diff {
  weightAbs: number;
  weightRel: number;
  probAbs: number;
  agree: number;
  correct: number;
}

let data: { train: { x: Tensor; y: Tensor }; test: { x: Tensor; y: Tensor } };
let initial: Tensor[];

/** Trains the example model on `backend` from `initial`, as the example does but unshuffled. */
async function train(backend: Backend, dropout: number): Promise<Run> {
  const t0 = performance.now();
  setBackend(backend);
  const model = buildModel({ dropout });
  model.setWeights(initial);
  compileModel(model);
  setRandomSeed(1); // the dropout seeds, fed per step (only used when dropout > 0)
  const history = await model.fit(data.train.x, data.train.y, { epochs: EPOCHS, batchSize: BATCH, shuffle: false, verbose: 0, callbacks: [learningRateSchedule()] });
  const probs = await model.predict(data.test.x, { batchSize: 250, verbose: 0 });
  return { weights: model.getWeights(), probs, losses: history.history.loss, ms: performance.now() - t0 };
}

const argmax = (p: Tensor, row: number): number => {
  let best = 0;
  for (let c = 1; c < 10; c++) if (p.data[row * 10 + c] > p.data[row * 10 + best]) best = c;
  return best;
};

function compare(run: Run, ref: Run): Diff {
  let weightAbs = 0;
  let weightRel = 0;
  run.weights.forEach((w, i) => {
    const r = ref.weights[i];
    expect(w.shape).toEqual(r.shape);
    let d = 0;
    let m = 0;
    for (let k = 0; k < r.data.length; k++) {
      d = Math.max(d, Math.abs(w.data[k] - r.data[k]));
      m = Math.max(m, Math.abs(r.data[k]));
    }
    weightAbs = Math.max(weightAbs, d);
    weightRel = Math.max(weightRel, d / m);
  });
  let probAbs = 0;
  for (let k = 0; k < ref.probs.data.length; k++) probAbs = Math.max(probAbs, Math.abs(run.probs.data[k] - ref.probs.data[k]));
  let agree = 0;
  let correct = 0;
  for (let r = 0; r < HELD_OUT; r++) {
    if (argmax(run.probs, r) === argmax(ref.probs, r)) agree++;
    if (argmax(run.probs, r) === data.test.y.data[r]) correct++;
  }
  return { weightAbs, weightRel, probAbs, agree, correct };
}

function expectParity(name: string, run: Run, ref: Run, weightRtol = WEIGHT_RTOL): Diff {
  const d = compare(run, ref);
  if (verbose) {
    console.log(
      `${name}: ${run.ms.toFixed(0)} ms, losses ${run.losses.map((l) => l.toFixed(5)).join(' ')}, weights max abs ${d.weightAbs.toExponential(2)} ` +
        `rel ${d.weightRel.toExponential(2)}, probs max abs ${d.probAbs.toExponential(2)}, classes agree ${d.agree}/${HELD_OUT}, accuracy ${d.correct / HELD_OUT}`,
    );
  }
  run.losses.forEach((l, e) => expect(Math.abs(l - ref.losses[e])).toBeLessThanOrEqual(LOSS_RTOL * Math.abs(ref.losses[e])));
  expect(d.weightRel).toBeLessThanOrEqual(weightRtol);
  expect(d.probAbs).toBeLessThanOrEqual(PROB_ATOL);
  expect(d.agree).toBeGreaterThanOrEqual(MIN_CLASS_AGREEMENT);
  return d;
}

const ts = createTsBackend();

beforeAll(() => {
  const { images, labels, count } = loadDigits(42); // the example's split
  data = { train: rows(images, labels, 0, TRAIN), test: rows(images, labels, count - HELD_OUT, count) };
  setBackend(ts);
  initial = buildModel().getWeights(); // the example's initializers, on backend-ts
});

let ref: Run; // backend-ts, Dropout rate 0

describe('the example MNIST model trains to the same weights and predictions on every backend', () => {
  beforeAll(async () => {
    ref = await train(ts, 0);
    if (verbose) console.log(`backend-ts: ${ref.ms.toFixed(0)} ms, losses ${ref.losses.map((l) => l.toFixed(5)).join(' ')}`);
  });

  it('learns on backend-ts (the reference is not an untrained model)', () => {
    const { correct } = compare(ref, ref);
    expect(ref.losses[EPOCHS - 1]).toBeLessThan(ref.losses[0]);
    expect(correct / HELD_OUT).toBeGreaterThan(0.5); // measured 0.608 (chance: 0.1)
  });

  for (const tfjs of ['cpu', 'wasm'] as const) {
    it(`backend-tfjs (${tfjs}) matches backend-ts`, async () => {
      expectParity(`tfjs-${tfjs}`, await train(await createTfjsBackend({ backend: tfjs }), 0), ref);
    });
  }

  it('backend-onnx matches backend-ts', async () => {
    expectParity('onnx', await train(createOnnxBackend(), 0), ref);
  });

  it('with Dropout(0.3) active, as the example trains, backend-onnx draws the same masks as backend-ts and matches it', async () => {
    const withDropout = await train(ts, 0.3);
    if (verbose) console.log(`backend-ts with dropout: ${withDropout.ms.toFixed(0)} ms, losses ${withDropout.losses.map((l) => l.toFixed(5)).join(' ')}`);
    // The masks did change the training (the match below is not that of two dropout-free runs).
    expect(compare(withDropout, ref).weightRel).toBeGreaterThan(1e-2);
    expectParity('onnx with dropout', await train(createOnnxBackend(), 0.3), withDropout, WEIGHT_RTOL_DROPOUT);
  });
});
