/**
 * Op-suite cases skipped on tfjs' browser backends, each with the error measured in headless
 * Chromium 156 (software WebGL 2 / WebGPU through SwiftShader; `npx tsx
 * --conditions=keras-ts-source conformance/browser/run.ts --opsuite webgl --no-app`) and why it
 * cannot pass there. Every case runs on tfjs cpu and wasm in Node (packages/backend-tfjs/test/ops.test.ts).
 * The skipped cases still run in the page: one that passes again fails the run until its entry
 * goes (conformance/test/browser-ops.test.ts).
 */

/** The tfjs backends the op suite runs on in the browser. */
export type BrowserTfjsBackend = 'webgl' | 'webgpu';

const RANK5_SHADER =
  "tfjs 4.22's WebGL backend cannot compile the shader of its packed slice for rank-5 tensors, which the 3-D convolution kernels go through (GLSL has no lessThan for ivec5: \"'lessThan' : no matching overloaded function found\"); measured: 'Failed to compile fragment shader.'";
const EMPTY_GRAD =
  "tfjs 4.22's WebGL backend cannot build a packed program whose input has no elements (getPackedSampler2D reads the texture shape of an empty tensor); measured: \"Cannot read properties of undefined (reading '0')\"";
const CLIP_INF =
  "tfjs 4.22's WebGL clipByValue passes -inf through in headless Chromium (tf.clipByValue([-inf], 0, 6) gives [-inf], measured in the page; tf.maximum(-inf, 0) gives 0)";

/** Case name -> why it cannot pass on that backend (with the error measured). */
export const OP_SUITE_SKIPS: Readonly<Record<BrowserTfjsBackend, Readonly<Record<string, string>>>> = {
  webgl: {
    'relu keeps NaN; -inf and -0 give 0':
      "tfjs 4.22's WebGL relu gives NaN for -inf in headless Chromium (tf.relu([-inf]) gives [NaN], measured in the page, while tf.isNaN(-inf) is false and tf.maximum(-inf, 0) is 0); measured: 'element 1 is NaN, expected 0'",
    'clip, maximum and minimum keep NaN (relu6)': `${CLIP_INF}; measured: 'element 1 is -Infinity, expected 0'`,
    'strided_slice_grad of an empty slice gives zeros': EMPTY_GRAD,
    'gather_grad of int32 with no indices gives zeros': EMPTY_GRAD,
    'take_along_axis_grad with no indices gives zeros': EMPTY_GRAD,
    "conv rank 3 'same' stride 2, even kernel": RANK5_SHADER,
    'conv rank 3 dilation 2 explicit padding, groups 2': RANK5_SHADER,
    'conv rank 3 small, grad-checked': RANK5_SHADER,
    "conv_transpose rank 3 'same' stride 2": RANK5_SHADER,
    "conv_backprop_filter rank 3 'same' stride 2 groups 2, small": RANK5_SHADER,
    "depthwise_conv rank 2 'same' stride 2 multiplier 2": `${RANK5_SHADER} (a depth multiplier above 1 with strides reshapes to rank 5)`,
    'conv_transpose rank 3 groups 2 dilation, small':
      "tfjs 4.22's WebGL backend has no rank-5 reverse, which the grouped, dilated 3-D transposed convolution uses; measured: 'WebGL backend: Reverse of rank-5 tensor is not yet supported'",
  },
  webgpu: {},
};

/**
 * Browser backends on which the op suite does not run at all, each with the measured reason (a
 * failure that takes every later case down with it, so no per-case list can describe it).
 */
export const OP_SUITE_NOT_RUN: Readonly<Partial<Record<BrowserTfjsBackend, string>>> = {
  webgpu:
    "backend-tfjs' kernels read values back synchronously (sign's and clip's NaN check in src/kernels/elementwise.ts: tf.sum(x).dataSync()), and tfjs-webgpu's synchronous readback in headless Chromium's SwiftShader WebGPU returns zeros and loses the device ('A valid external Instance reference no longer exists'): from 'sign forward' on, every case fails with \"createBuffer failed, size (12) is too large for the implementation when mappedAtCreation == true\" (measured: 168 passed, 250 failed). Cases run one by one pass (e.g. log1p forward and gradient); the suite runs here once the kernels stop reading back on GPU backends",
};
