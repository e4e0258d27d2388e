import { describeOpCoverage, describeOpSuite } from '@keras-ts/spec/testing';
import { createTsBackend } from '../src/index.js';

describeOpSuite('ts', () => createTsBackend());
describeOpCoverage();
