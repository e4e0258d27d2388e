/**
 * Op-suite cases skipped on the browser backends, each with the error measured in headless
 * Chromium 156 (software WebGL 2 / WebGPU through SwiftShader; `npx tsx
 * --conditions=keras-ts-source conformance/browser/run.ts --opsuite webgl|onnx-webgpu --no-app`) and why it
 * cannot pass there. Every case runs on tfjs cpu and wasm in Node (packages/backend-tfjs/test/ops.test.ts)
 * and on onnxruntime-web's WebAssembly provider (onnx-web, no skips).
 * The skipped cases still run in the page: one that passes again fails the run until its entry
 * goes (conformance/test/browser-ops.test.ts).
 */

/** The tfjs backends the op suite runs on in the browser. */
export type BrowserTfjsBackend = 'webgl' | 'webgpu';

/**
 * Every backend the op suite runs on in the browser: tfjs' GPU backends and backend-onnx on
 * onnxruntime-web, in WebAssembly ('onnx-web') or on WebGPU ('onnx-webgpu').
 */
export type BrowserOpSuiteBackend = BrowserTfjsBackend | 'onnx-web' | 'onnx-webgpu';

const RANK5_SHADER =
  "tfjs 4.22's WebGL backend cannot compile the shader of its packed slice for rank-5 tensors, which the 3-D convolution kernels go through (GLSL has no lessThan for ivec5: \"'lessThan' : no matching overloaded function found\"); measured: 'Failed to compile fragment shader.'";
const EMPTY_GRAD =
  "tfjs 4.22's WebGL backend cannot build a packed program whose input has no elements (getPackedSampler2D reads the texture shape of an empty tensor); measured: \"Cannot read properties of undefined (reading '0')\"";

const ORT_WEBGPU = "onnxruntime-web 1.30's WebGPU execution provider (headless Chromium, SwiftShader WebGPU)";
const ORT_WEBGPU_CAST =
  `${ORT_WEBGPU} cannot create a session whose graph casts through float64 (the lowering's exact int32 and log1p / expm1 / random paths): measured: "Can't create a session ... transformer_memcpy.cc:254 ... Provider type for Cast node with name '' is not set"`;
const ORT_WEBGPU_MAXPOOL_INDICES = `${ORT_WEBGPU} takes MaxPool but not its Indices output, which the max_pool gradients read (the argmax, first maximum as TF); measured: "Non-zero status code returned while running MaxPool node ... pool.cc:276 ComputeInternal The Indices output is not supported yet."`;
const ORT_WEBGPU_CONV3D_GROUPS = `${ORT_WEBGPU} has no grouped 3-D convolution; measured: "Conv3D does not support grouped convolution (group=2)."`;
const ORT_WEBGPU_CONVT3D = `${ORT_WEBGPU} has no 3-D ConvTranspose; measured: "running ConvTranspose node ... Only Conv2d or Conv1d are supported."`;

/** Case name -> why it cannot pass on that backend (with the error measured). */
export const OP_SUITE_SKIPS: Readonly<Record<BrowserOpSuiteBackend, Readonly<Record<string, string>>>> = {
  webgl: {
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
  'onnx-web': {},
  'onnx-webgpu': {
    'random_uniform: in range, mean and spread of U(-2, 4), same seed same samples': ORT_WEBGPU_CAST,
    'random ops take the seed as a tensor input': ORT_WEBGPU_CAST,
    'random_normal: mean and spread of N(3, 0.5²)': ORT_WEBGPU_CAST,
    'log1p forward': ORT_WEBGPU_CAST,
    'expm1 forward': ORT_WEBGPU_CAST,
    'log1p gradient': ORT_WEBGPU_CAST,
    'expm1 gradient': ORT_WEBGPU_CAST,
    'int32 arithmetic: floor division and wrap-free products': ORT_WEBGPU_CAST,
    'max_pool int32': ORT_WEBGPU_CAST,
    'log forward': `${ORT_WEBGPU} gives log(0) = -88.03, not -inf; measured: 'element 3 is -88.02969360351562, expected -Infinity'`,
    'relu keeps NaN; -inf and -0 give 0': `${ORT_WEBGPU}'s Relu turns NaN into 0; measured: 'element 0 is 0, expected NaN'`,
    'clip, maximum and minimum keep NaN (relu6)': `${ORT_WEBGPU}'s Clip turns NaN into 0; measured: 'element 0 is 0, expected NaN'`,
    'logsumexp is stable for large values': `${ORT_WEBGPU}'s ReduceLogSumExp overflows to Infinity for inputs near 1000; measured: 'element 0 is Infinity, expected 1000.6931762695312'`,
    'strided_slice x[4:0:-2] stops before index 0': `${ORT_WEBGPU}'s Slice with a negative step gives x[3], x[1] for x[4:0:-2]; measured: 'actual [5,3], expected [4,2]'`,
    'conv rank 3 dilation 2 explicit padding, groups 2': ORT_WEBGPU_CONV3D_GROUPS,
    'conv_transpose rank 3 groups 2 dilation, small': ORT_WEBGPU_CONV3D_GROUPS,
    'conv rank 3 small, grad-checked': ORT_WEBGPU_CONVT3D,
    "conv_transpose rank 3 'same' stride 2": ORT_WEBGPU_CONVT3D,
    "conv_backprop_filter rank 3 'same' stride 2 groups 2, small": ORT_WEBGPU_CONVT3D,
    'conv with 0 input channels gives zeros': `${ORT_WEBGPU} dispatches no work group for a convolution with no input channels and fails; measured: "running Conv node ... NormalizeDispatchGroupSize Invalid dispatch group size (0, 1, 1)"`,
    "depthwise_conv rank 2 'same' stride 2 multiplier 2": `${ORT_WEBGPU} gives a wrong gradient for a strided depthwise convolution with a depth multiplier of 2 (the same graph is right on onnxruntime-web's WebAssembly provider and on onnxruntime-node); measured: 'gradient of input 0, element 1: autodiff gives 1.274339199066162, finite differences -0.18949508666992188'`,
    'max_pool_grad routes dy to each window maximum': ORT_WEBGPU_MAXPOOL_INDICES,
    'max_pool_grad sums over overlapping windows sharing a maximum': ORT_WEBGPU_MAXPOOL_INDICES,
    'max_pool_grad ties go to the first maximum in row-major window order': ORT_WEBGPU_MAXPOOL_INDICES,
    'max_pool_grad same: padding never takes the gradient': ORT_WEBGPU_MAXPOOL_INDICES,
    'max_pool_grad_grad gathers g at each window maximum': ORT_WEBGPU_MAXPOOL_INDICES,
    'max_pool 2d gradient (no ties), overlapping same windows': ORT_WEBGPU_MAXPOOL_INDICES,
    'max_pool 1d and 3d gradients': ORT_WEBGPU_MAXPOOL_INDICES,
    'max_pool_grad gradient (w.r.t. dy; zero w.r.t. x)': ORT_WEBGPU_MAXPOOL_INDICES,
    'max_pool_grad_grad gradient': ORT_WEBGPU_MAXPOOL_INDICES,
  },
};

/**
 * Browser backends on which the op suite does not run at all, each with the measured reason (a
 * failure that takes every later case down with it, so no per-case list can describe it).
 */
export const OP_SUITE_NOT_RUN: Readonly<Partial<Record<BrowserOpSuiteBackend, string>>> = {
  webgpu:
    "backend-tfjs' kernels still read values back synchronously on webgpu (the index checks of gather / take_along_axis in src/kernels/indexing.ts, the random ops' seed), and tfjs-webgpu's synchronous readback in headless Chromium's SwiftShader WebGPU loses the device ('A valid external Instance reference no longer exists'): with the elementwise NaN checks no longer reading back on GPU backends the suite gets further, and from 'take_along_axis along the last axis' on the cases fail with \"createBuffer failed, size (...) is too large for the implementation when mappedAtCreation == true\" (measured: 276 passed, 142 failed; before, 168 passed, 250 failed from 'sign forward' on). Besides those, tfjs-webgpu's own results differ in a few cases run before the loss (int32 square wraps differently, the prod gradient's broadcast, gradients of empty slices)",
};
