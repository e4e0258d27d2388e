import { ops } from '../../src/index.js';
import { rand, t, type OpCase, type TensorLit } from '../case.js';
import { OpCheckFailure } from '../failure.js';

/**
 * An independent reference of TF2 tf.image.resize (half-pixel centers, no antialias) on NHWC,
 * written per output element straight from the formulas of TF's kernels.
 */
function refResize(x: TensorLit, [h, w]: readonly [number, number], method: 'nearest' | 'bilinear'): TensorLit {
  const [N, H, W, C] = x.shape;
  const out = new Float32Array(N * h * w * C);
  const at = (n: number, y: number, xx: number, c: number) => x.data[((n * H + y) * W + xx) * C + c];
  const sy = Math.fround(H / h);
  const sx = Math.fround(W / w);
  let k = 0;
  for (let n = 0; n < N; n++) {
    for (let oy = 0; oy < h; oy++) {
      for (let ox = 0; ox < w; ox++) {
        for (let c = 0; c < C; c++) {
          if (method === 'nearest') {
            const iy = Math.min(Math.floor((oy + 0.5) * sy), H - 1);
            const ix = Math.min(Math.floor((ox + 0.5) * sx), W - 1);
            out[k++] = at(n, iy, ix, c);
          } else {
            const fy = (oy + 0.5) * sy - 0.5;
            const fx = (ox + 0.5) * sx - 0.5;
            const y0 = Math.max(Math.floor(fy), 0);
            const y1 = Math.min(Math.ceil(fy), H - 1);
            const x0 = Math.max(Math.floor(fx), 0);
            const x1 = Math.min(Math.ceil(fx), W - 1);
            const ly = fy - Math.floor(fy);
            const lx = fx - Math.floor(fx);
            out[k++] =
              at(n, y0, x0, c) * (1 - ly) * (1 - lx) + at(n, y0, x1, c) * (1 - ly) * lx + at(n, y1, x0, c) * ly * (1 - lx) + at(n, y1, x1, c) * ly * lx;
          }
        }
      }
    }
  }
  return { shape: [N, h, w, C], dtype: 'float32', data: out };
}

const eye5 = t(Array.from({ length: 25 }, (_, i) => (i % 6 === 0 ? 1 : 0)), [1, 5, 5, 1]);
const xb = rand([2, 3, 4, 2], 41, -2, 2);
const xUp = t([1, 2, 3, 4, 5, 6], [1, 2, 3, 1]);
// Keras UpSampling2D(size=(2, 2), interpolation='nearest'): each pixel repeated 2x2.
const xUpRepeated = t(
  [
    [1, 1, 2, 2, 3, 3],
    [1, 1, 2, 2, 3, 3],
    [4, 4, 5, 5, 6, 6],
    [4, 4, 5, 5, 6, 6],
  ],
  [1, 4, 6, 1],
);

export const resizeCases: OpCase[] = [
  // ---- bilinear, hand-checked from TF's formula ----
  {
    name: 'resize bilinear upsampling 2 -> 4 along width (edges clamp)',
    ops: ['resize'],
    inputs: [t([0, 4], [1, 1, 2, 1])],
    build: (x) => ops.resize(x, [1, 4], 'bilinear'),
    // in = (out + 0.5) / 2 - 0.5 = -0.25, 0.25, 0.75, 1.25 -> 0, 1, 3, 4
    expected: t([0, 1, 3, 4], [1, 1, 4, 1]),
  },
  {
    name: 'resize bilinear upsampling 2x2 -> 3x3',
    ops: ['resize'],
    inputs: [t([0, 4, 8, 12], [1, 2, 2, 1])],
    build: (x) => ops.resize(x, [3, 3]),
    // in = (out + 0.5) * 2/3 - 0.5 = -1/6, 1/2, 7/6 -> pixel 0, halfway, pixel 1
    expected: t([0, 2, 4, 4, 6, 8, 8, 10, 12], [1, 3, 3, 1]),
  },
  {
    name: 'resize bilinear downsampling 5x5 -> 3x5 (the example of the tf.image.resize docs)',
    ops: ['resize'],
    inputs: [eye5],
    build: (x) => ops.resize(x, [3, 5], 'bilinear'),
    expected: t([2 / 3, 1 / 3, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1 / 3, 2 / 3], [1, 3, 5, 1]),
  },
  {
    name: 'resize bilinear downsampling 4 -> 2 and 3 -> 2',
    ops: ['resize'],
    inputs: [t([0, 1, 2, 3], [1, 1, 4, 1]), t([0, 10, 20], [1, 3, 1, 1])],
    build: (a, b) => [ops.resize(a, [1, 2]), ops.resize(b, [2, 1])],
    // 4 -> 2: in = 0.5, 2.5; 3 -> 2: in = 0.25, 1.75
    expected: [t([0.5, 2.5], [1, 1, 2, 1]), t([2.5, 17.5], [1, 2, 1, 1])],
  },
  {
    name: 'resize bilinear to the same size is the identity',
    ops: ['resize'],
    inputs: [t([1, 2, 3, 4, 5, 6], [1, 2, 3, 1])],
    build: (x) => ops.resize(x, [2, 3]),
    expected: t([1, 2, 3, 4, 5, 6], [1, 2, 3, 1]),
  },
  {
    name: 'resize bilinear batch 2, 2 channels, up in height and down in width (reference)',
    ops: ['resize'],
    inputs: [xb],
    build: (x) => ops.resize(x, [5, 3]),
    expected: refResize(xb, [5, 3], 'bilinear'),
  },
  // ---- nearest ----
  {
    name: 'resize nearest upsampling 2 -> 5 and downsampling 5 -> 2, 4 -> 3',
    ops: ['resize'],
    inputs: [t([1, 2], [1, 1, 2, 1]), t([10, 11, 12, 13, 14], [1, 1, 5, 1]), t([10, 11, 12, 13], [1, 4, 1, 1])],
    build: (a, b, c) => [ops.resize(a, [1, 5], 'nearest'), ops.resize(b, [1, 2], 'nearest'), ops.resize(c, [3, 1], 'nearest')],
    // floor((out + 0.5) * in/out): 2 -> 5: 0,0,1,1,1; 5 -> 2: 1, 3; 4 -> 3: 0, 2, 3
    expected: [t([1, 1, 2, 2, 2], [1, 1, 5, 1]), t([11, 13], [1, 1, 2, 1]), t([10, 12, 13], [1, 3, 1, 1])],
  },
  {
    name: 'resize nearest by an integer factor is the plain repeat of Keras UpSampling2D',
    ops: ['resize'],
    inputs: [xUp],
    build: (x) => {
      const repeated = ops.reshape(ops.broadcastTo(ops.reshape(x, [1, 2, 1, 3, 1, 1]), [1, 2, 2, 3, 2, 1]), [1, 4, 6, 1]);
      return [ops.resize(x, [4, 6], 'nearest'), repeated];
    },
    expected: [xUpRepeated, xUpRepeated],
  },
  {
    name: 'resize nearest by a factor of 3 repeats each pixel 3 times',
    ops: ['resize'],
    inputs: [t([1, 2, 3], [1, 1, 3, 1])],
    build: (x) => ops.resize(x, [2, 9], 'nearest'),
    expected: t([1, 1, 1, 2, 2, 2, 3, 3, 3, 1, 1, 1, 2, 2, 2, 3, 3, 3], [1, 2, 9, 1]),
  },
  {
    name: 'resize nearest batch 2, 2 channels (reference)',
    ops: ['resize'],
    inputs: [xb],
    build: (x) => ops.resize(x, [7, 3], 'nearest'),
    expected: refResize(xb, [7, 3], 'nearest'),
  },
  {
    name: 'resize nearest int32',
    ops: ['resize'],
    inputs: [t([1, 2, 3, 4], [1, 2, 2, 1], 'int32')],
    build: (x) => ops.resize(x, [1, 4], 'nearest'),
    // rows: in = floor(0.5 * 2) = 1
    expected: t([3, 3, 4, 4], [1, 1, 4, 1], 'int32'),
  },
  {
    name: 'resize with batch 0 and with 0 channels',
    ops: ['resize'],
    inputs: [t([], [0, 2, 2, 3]), t([], [2, 2, 2, 0])],
    build: (a, b) => [ops.resize(a, [3, 3]), ops.resize(b, [1, 5], 'nearest')],
    expected: [t([], [0, 3, 3, 3]), t([], [2, 1, 5, 0])],
  },
  // ---- resize_grad ----
  {
    name: 'resize_grad bilinear scatters dy with the interpolation weights',
    ops: ['resize_grad'],
    inputs: [t([1, 2, 3, 4], [1, 1, 4, 1])],
    build: (dy) => ops.resizeGrad(dy, [1, 1, 2, 1], 'bilinear'),
    // weights on (x0, x1): (1, 0), (0.75, 0.25), (0.25, 0.75), (0, 1)
    expected: t([3.25, 6.75], [1, 1, 2, 1]),
  },
  {
    name: 'resize_grad nearest adds dy onto the pixel each output read',
    ops: ['resize_grad'],
    inputs: [t([1, 2, 3, 4, 5], [1, 1, 5, 1])],
    build: (dy) => ops.resizeGrad(dy, [1, 1, 2, 1], 'nearest'),
    expected: t([3, 12], [1, 1, 2, 1]),
  },
  {
    name: 'resize_grad bilinear downsampling 5x5 -> 3x5 (adjoint of the docs example)',
    ops: ['resize_grad'],
    inputs: [t(new Array(15).fill(1), [1, 3, 5, 1])],
    build: (dy) => ops.resizeGrad(dy, [1, 5, 5, 1]),
    // rows 0..4 receive 2/3, 1/3, 1, 1/3, 2/3
    expected: t([...new Array(5).fill(2 / 3), ...new Array(5).fill(1 / 3), ...new Array(5).fill(1), ...new Array(5).fill(1 / 3), ...new Array(5).fill(2 / 3)], [1, 5, 5, 1]),
  },
  // ---- gradients ----
  {
    name: 'resize bilinear gradient (up and down)',
    ops: ['resize'],
    inputs: [rand([2, 2, 3, 2], 43), rand([1, 5, 4, 1], 47)],
    build: (a, b) => [ops.resize(a, [3, 5]), ops.resize(b, [3, 2])],
    expected: [refResize(rand([2, 2, 3, 2], 43), [3, 5], 'bilinear'), refResize(rand([1, 5, 4, 1], 47), [3, 2], 'bilinear')],
    grad: true,
  },
  {
    name: 'resize nearest gradient (up and down)',
    ops: ['resize'],
    inputs: [rand([2, 2, 3, 2], 53), rand([1, 5, 4, 1], 59)],
    build: (a, b) => [ops.resize(a, [5, 4], 'nearest'), ops.resize(b, [2, 3], 'nearest')],
    expected: [refResize(rand([2, 2, 3, 2], 53), [5, 4], 'nearest'), refResize(rand([1, 5, 4, 1], 59), [2, 3], 'nearest')],
    grad: true,
  },
  {
    name: 'resize_grad gradient, both methods',
    ops: ['resize_grad'],
    inputs: [rand([2, 3, 5, 2], 61), rand([1, 2, 3, 1], 67)],
    build: (a, b) => [ops.resizeGrad(a, [2, 2, 3, 2], 'bilinear'), ops.resizeGrad(b, [1, 5, 4, 1], 'nearest')],
    check: ([a, b]) => {
      if (a.shape.join() !== '2,2,3,2' || b.shape.join() !== '1,5,4,1') throw new OpCheckFailure(`shapes ${a.shape} and ${b.shape}`);
    },
    grad: true,
  },
  {
    name: 'resize_grad is the adjoint of resize: <resize(x), y> = <x, resize_grad(y)>',
    ops: ['resize', 'resize_grad'],
    inputs: [rand([2, 3, 4, 2], 71), rand([2, 5, 3, 2], 73)],
    build: (x, y) => {
      const lhs = ops.sum(ops.mul(ops.resize(x, [5, 3]), y));
      const rhs = ops.sum(ops.mul(x, ops.resizeGrad(y, x.shape)));
      const lhsN = ops.sum(ops.mul(ops.resize(x, [5, 3], 'nearest'), y));
      const rhsN = ops.sum(ops.mul(x, ops.resizeGrad(y, x.shape, 'nearest')));
      return [ops.sub(lhs, rhs), ops.sub(lhsN, rhsN)];
    },
    expected: [t(0), t(0)],
    atol: 1e-5,
  },
  // ---- bad inputs ----
  {
    name: 'resize rejects an unknown method',
    ops: ['resize'],
    inputs: [t([1, 2, 3, 4], [1, 2, 2, 1])],
    build: (x) => ops.resize(x, [4, 4], 'bicubic' as 'nearest'),
    throws: /op 'resize' \(inputs: float32\[1,2,2,1\]\): attribute 'method'.*bicubic/,
  },
  {
    name: 'resize rejects an input that is not rank 4',
    ops: ['resize'],
    inputs: [t([1, 2, 3, 4], [2, 2, 1])],
    build: (x) => ops.resize(x, [4, 4]),
    throws: /op 'resize' \(inputs: float32\[2,2,1\]\): the input must be NHWC of rank 4, got rank 3/,
  },
  {
    name: 'resize rejects a non-positive size',
    ops: ['resize'],
    inputs: [t([1, 2, 3, 4], [1, 2, 2, 1])],
    build: (x) => ops.resize(x, [0, 4]),
    throws: /op 'resize' \(inputs: float32\[1,2,2,1\]\): attribute 'size' = \[0,4\] must be 2 positive integers/,
  },
  {
    name: 'resize rejects a size of the wrong length',
    ops: ['resize'],
    inputs: [t([1, 2, 3, 4], [1, 2, 2, 1])],
    build: (x) => ops.resize(x, [4, 4, 4]),
    throws: /op 'resize' \(inputs: float32\[1,2,2,1\]\): attribute 'size' = \[4,4,4\]/,
  },
  {
    name: 'resize rejects an empty image',
    ops: ['resize'],
    inputs: [t([], [1, 0, 2, 1])],
    build: (x) => ops.resize(x, [2, 2]),
    throws: /op 'resize' \(inputs: float32\[1,0,2,1\]\): cannot resize an image of spatial size 0x2/,
  },
  {
    name: 'resize bilinear rejects int32',
    ops: ['resize'],
    inputs: [t([1, 2, 3, 4], [1, 2, 2, 1], 'int32')],
    build: (x) => ops.resize(x, [4, 4]),
    throws: /op 'resize' \(inputs: int32\[1,2,2,1\]\): method 'bilinear' takes float32, not int32/,
  },
  {
    name: 'resize_grad rejects an inputShape with other channels',
    ops: ['resize_grad'],
    inputs: [t([1, 2, 3, 4], [1, 2, 2, 1])],
    build: (dy) => ops.resizeGrad(dy, [1, 4, 4, 3]),
    throws: /op 'resize_grad' \(inputs: float32\[1,2,2,1\]\): attribute 'inputShape' = \[1,4,4,3\] must have the gradient's batch and channels/,
  },
];
