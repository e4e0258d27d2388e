/**
 * The browser demo's page script (bundled by build.ts with esbuild for the browser): loads a
 * Keras MobileNetV2 by URL and classifies a picture, then trains a small model live, drawing its
 * loss curve as it learns, on the backend picked from the menu. What it computed is also left in
 * `window.__demo` for the test that compares it with Node's numbers.
 */
import { KerasInternalError, loadModel, setBackend, tensor, type Model, type Tensor } from '@keras-ts/keras';
import { createTsBackend } from '@keras-ts/backend-ts';
import { createTfjsBackend } from '@keras-ts/backend-tfjs';
import { createOnnxWebBackend } from '@keras-ts/backend-onnx/web';
import type { Backend } from '@keras-ts/spec';
import { classify, demoImage, IMAGE_SIZE, MODEL_FILE, TRAINING, topClasses, trainSmallModel } from './demo.js';

// The few DOM types this page uses (the repository's TypeScript build has no DOM library).
interface Ctx2D {
  fillStyle: string;
  strokeStyle: string;
  lineWidth: number;
  font: string;
  clearRect(x: number, y: number, w: number, h: number): void;
  fillText(s: string, x: number, y: number): void;
  beginPath(): void;
  moveTo(x: number, y: number): void;
  lineTo(x: number, y: number): void;
  stroke(): void;
  drawImage(img: unknown, x: number, y: number, w: number, h: number): void;
  createImageData(w: number, h: number): { data: Uint8ClampedArray };
  putImageData(img: { data: Uint8ClampedArray }, x: number, y: number): void;
  getImageData(x: number, y: number, w: number, h: number): { data: Uint8ClampedArray };
}
interface El {
  textContent: string | null;
  innerHTML: string;
  value: string;
  disabled: boolean;
  width: number;
  height: number;
  files?: ArrayLike<Blob> | null;
  addEventListener(type: string, listener: () => void): void;
  getContext(kind: '2d'): Ctx2D | null;
}
const g = globalThis as unknown as {
  document: { getElementById(id: string): El | null };
  location: { href: string; search: string };
  createImageBitmap(b: Blob): Promise<unknown>;
  __demo: DemoState;
};

/** What the page computed, per backend (read by the test). */
interface DemoState {
  results: Record<string, { logits: number[]; losses: number[] }>;
  runs: number;
  error?: string;
}
g.__demo = { results: {}, runs: 0 };

const $ = (id: string): El => {
  const el = g.document.getElementById(id);
  if (!el) throw new KerasInternalError(`the page has no #${id}`);
  return el;
};
const ctx = (id: string): Ctx2D => $(id).getContext('2d')!;
const status = (s: string) => ($('status').textContent = s);

const backends = new Map<string, Promise<Backend>>();
function backendFor(name: string): Promise<Backend> {
  let b = backends.get(name);
  if (!b) {
    // tfjs' wasm backend loads its .wasm files from wasm/ beside the page, onnxruntime-web its own
    // from ort/ (build.ts copies both).
    const wasmPaths = new URL('./wasm/', g.location.href).href;
    if (name === 'ts') b = Promise.resolve(createTsBackend());
    else if (name === 'onnx-web') b = createOnnxWebBackend({ wasmPaths: new URL('./ort/', g.location.href).href });
    else b = createTfjsBackend({ backend: name === 'tfjs-wasm' ? 'wasm' : 'webgl', wasmPaths });
    backends.set(name, b);
  }
  return b;
}

let model: Promise<Model> | null = null;
let image: Tensor = demoImage();

function drawImage(t: Tensor): void {
  const c = ctx('image');
  const img = c.createImageData(IMAGE_SIZE, IMAGE_SIZE);
  for (let p = 0; p < IMAGE_SIZE * IMAGE_SIZE; p++) {
    for (let k = 0; k < 3; k++) img.data[4 * p + k] = Math.round(t.data[3 * p + k] * 255);
    img.data[4 * p + 3] = 255;
  }
  c.putImageData(img, 0, 0);
}

async function classifyImage(backend: string): Promise<number[]> {
  status(`${backend}: loading ${MODEL_FILE} and classifying`);
  model ??= loadModel(new URL(MODEL_FILE, g.location.href).href);
  const logits = await classify(await model, image);
  $('top').innerHTML = topClasses(logits)
    .map((c) => `<tr><td>${c.index}</td><td>${(c.probability * 100).toFixed(1)}%</td></tr>`)
    .join('');
  $('logits').innerHTML = logits.map((v, i) => `<tr><td>${i}</td><td class="logit">${v.toPrecision(7)}</td></tr>`).join('');
  return logits;
}

function drawCurve(losses: readonly number[]): void {
  const c = ctx('curve');
  const { width: w, height: h } = $('curve');
  c.clearRect(0, 0, w, h);
  c.strokeStyle = '#bbb';
  c.lineWidth = 1;
  c.beginPath();
  c.moveTo(30, 10);
  c.lineTo(30, h - 20);
  c.lineTo(w - 10, h - 20);
  c.stroke();
  if (losses.length === 0) return;
  const top = Math.max(...losses, 1e-6);
  c.fillStyle = '#555';
  c.font = '11px sans-serif';
  c.fillText(top.toFixed(2), 0, 14);
  c.fillText('0', 18, h - 20);
  c.fillText(`epoch ${TRAINING.epochs}`, w - 60, h - 5);
  c.strokeStyle = '#1a6';
  c.lineWidth = 2;
  c.beginPath();
  losses.forEach((l, i) => {
    const x = 30 + ((w - 40) * (i + 1)) / TRAINING.epochs;
    const y = h - 20 - ((h - 30) * l) / top;
    if (i === 0) c.moveTo(30, y);
    c.lineTo(x, y);
  });
  c.stroke();
}

async function train(backend: string): Promise<number[]> {
  status(`${backend}: training`);
  const seen: number[] = [];
  drawCurve(seen);
  return trainSmallModel(async (epoch, loss, accuracy) => {
    seen.push(loss);
    drawCurve(seen);
    $('epoch').textContent = String(epoch + 1);
    $('loss').textContent = loss.toPrecision(7);
    $('accuracy').textContent = accuracy.toFixed(3);
    // Let the page paint the curve between epochs.
    await new Promise((r) => setTimeout(r, 0));
  });
}

let queue: Promise<void> = Promise.resolve();
/** Runs `task` after the ones before it, with the controls disabled meanwhile. */
function run(task: (backend: string) => Promise<void>): Promise<void> {
  queue = queue.then(async () => {
    const backend = $('backend').value;
    for (const id of ['backend', 'train', 'file']) $(id).disabled = true;
    try {
      $('error').textContent = '';
      setBackend(await backendFor(backend));
      await task(backend);
      status(`${backend}: done`);
    } catch (e) {
      const msg = String((e as Error)?.stack ?? e);
      $('error').textContent = msg;
      g.__demo.error = msg;
    } finally {
      for (const id of ['backend', 'train', 'file']) $(id).disabled = false;
      g.__demo.runs++;
    }
  });
  return queue;
}

const everything = async (backend: string) => {
  const logits = await classifyImage(backend);
  const losses = await train(backend);
  g.__demo.results[backend] = { logits, losses };
};

$('backend').addEventListener('change', () => void run(everything));
$('train').addEventListener('click', () => void run(async (b) => void (await train(b))));
$('file').addEventListener('change', () => {
  const file = $('file').files?.[0];
  if (!file) return;
  void run(async (backend) => {
    const bitmap = await g.createImageBitmap(file);
    const c = ctx('image');
    c.drawImage(bitmap, 0, 0, IMAGE_SIZE, IMAGE_SIZE);
    const px = c.getImageData(0, 0, IMAGE_SIZE, IMAGE_SIZE).data;
    const data = new Float32Array(IMAGE_SIZE * IMAGE_SIZE * 3);
    for (let p = 0; p < IMAGE_SIZE * IMAGE_SIZE; p++) for (let k = 0; k < 3; k++) data[3 * p + k] = px[4 * p + k] / 255;
    image = tensor(data, [1, IMAGE_SIZE, IMAGE_SIZE, 3]);
    await classifyImage(backend);
  });
});

const asked = new URLSearchParams(g.location.search).get('backend');
if (asked) $('backend').value = asked;
drawImage(image);
void run(everything);
