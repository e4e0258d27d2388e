import { describeOpSuite } from '@keras-ts/spec/testing';
import { createOnnxBackend } from '../src/index.js';

describeOpSuite('onnx', () => createOnnxBackend());
