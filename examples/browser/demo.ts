/**
 * What the browser demo computes, shared by the page (main.ts) and by the test that checks the
 * page's numbers against Node's (integration/examples/browser-demo.test.ts): the input image it
 * classifies, and the small model it trains live, with its data, all deterministic.
 */
import { Adam, Dense, GlorotUniform, LambdaCallback, onlyOutput, Sequential, tensor, type Model, type Tensor } from '@keras-ts/keras';

/** The model file the page loads by URL: a MobileNetV2 (alpha 0.35, 96x96, 10 classes) saved by Keras. */
export const MODEL_FILE = 'mobilenet_v2_035_96.keras';
/** The input side of that model. */
export const IMAGE_SIZE = 96;

/**
 * The picture the page classifies before the user picks one: 96x96 RGB in [0, 1], a smooth
 * pattern (rings and stripes) that looks the same wherever it is made.
 */
export function demoImage(): Tensor {
  const n = IMAGE_SIZE;
  const data = new Float32Array(n * n * 3);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const r = Math.hypot(x - n / 2, y - n / 2) / n;
      const i = (y * n + x) * 3;
      data[i] = 0.5 + 0.5 * Math.sin(r * 25);
      data[i + 1] = 0.5 + 0.5 * Math.cos((x + 2 * y) / 9);
      data[i + 2] = (x * y) / (n * n);
    }
  }
  return tensor(data, [1, n, n, 3]);
}

/** Class indices by decreasing score, with the softmax of the model's outputs (its logits). */
export function topClasses(logits: ArrayLike<number>, k = 3): { index: number; probability: number }[] {
  const max = Math.max(...Array.from(logits));
  const e = Array.from(logits, (v) => Math.exp(v - max));
  const sum = e.reduce((a, b) => a + b, 0);
  return e
    .map((v, index) => ({ index, probability: v / sum }))
    .sort((a, b) => b.probability - a.probability)
    .slice(0, k);
}

/** A deterministic generator of numbers in [0, 1) (mulberry32). */
function random(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Points of two classes in the plane: a disc (label 0) inside a ring (label 1), with noise (the live training's data). */
export function rings(count = 200, seed = 7): { x: Tensor; y: Tensor } {
  const rand = random(seed);
  const xs = new Float32Array(count * 2);
  const ys = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    const label = i % 2;
    const r = label ? 0.65 + 0.35 * rand() : 0.45 * rand();
    const angle = 2 * Math.PI * rand();
    xs[2 * i] = r * Math.cos(angle) + (rand() - 0.5) * 0.1;
    xs[2 * i + 1] = r * Math.sin(angle) + (rand() - 0.5) * 0.1;
    ys[i] = label;
  }
  return { x: tensor(xs, [count, 2]), y: tensor(ys, [count, 1]) };
}

/** How the live training runs. */
export const TRAINING = { epochs: 40, batchSize: 32, learningRate: 0.01 } as const;

/** The small model trained live: 2 -> 16 -> 16 -> 1, seeded so that every run starts the same. */
export function smallModel(): Sequential {
  const init = (seed: number) => new GlorotUniform({ seed });
  const model = new Sequential([
    new Dense({ units: 16, activation: 'tanh', inputShape: [2], kernelInitializer: init(1) }),
    new Dense({ units: 16, activation: 'tanh', kernelInitializer: init(2) }),
    new Dense({ units: 1, activation: 'sigmoid', kernelInitializer: init(3) }),
  ]);
  model.compile({ optimizer: new Adam({ learningRate: TRAINING.learningRate }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
  return model;
}

/**
 * Trains the small model on the rings (in order: no shuffling, so every backend sees the same
 * batches) and calls `onEpoch` after each epoch with the loss so far; returns the losses.
 */
export async function trainSmallModel(onEpoch: (epoch: number, loss: number, accuracy: number) => Promise<void> | void = () => {}): Promise<number[]> {
  const { x, y } = rings();
  const model = smallModel();
  const losses: number[] = [];
  const callback = new LambdaCallback({
    onEpochEnd: async (epoch, logs) => {
      losses.push(logs?.loss ?? NaN);
      await onEpoch(epoch, logs?.loss ?? NaN, logs?.accuracy ?? NaN);
    },
  });
  await model.fit(x, y, { epochs: TRAINING.epochs, batchSize: TRAINING.batchSize, shuffle: false, verbose: 0, callbacks: [callback] });
  return losses;
}

/** The model's outputs (logits) for one image. */
export async function classify(model: Model, image: Tensor): Promise<number[]> {
  const out = onlyOutput(await model.predict(image, { verbose: 0 }));
  return Array.from(out.data);
}
