import { describeOpSuite } from '@keras-ts/spec/testing';
import { createOnnxBackend } from '../src/index';

describeOpSuite('onnx', () => createOnnxBackend());
