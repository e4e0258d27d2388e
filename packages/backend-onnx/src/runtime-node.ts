/**
 * onnxruntime-node as backend-onnx's runtime (see runtime.ts). Importing this module makes it the
 * default runtime of executables made without one; `@keras-ts/backend-onnx` (the Node entry)
 * imports it. Never imported on the browser path (`@keras-ts/backend-onnx/web`).
 */
import './ort-env.js';
import * as ort from 'onnxruntime-node';
import { setDefaultRuntime, type OrtRuntime, type OrtSession, type OrtTensor } from './runtime.js';

/** onnxruntime-node: native CPU kernels, `intraOpNumThreads` threads per session. */
export const nodeRuntime: OrtRuntime = {
  name: 'onnxruntime-node',
  backendName: 'onnx',
  createSession: async (model, options) => (await ort.InferenceSession.create(model, options)) as unknown as OrtSession,
  tensor: (dtype, data, dims) => new ort.Tensor(dtype, data, [...dims]) as OrtTensor,
};

setDefaultRuntime(nodeRuntime);
