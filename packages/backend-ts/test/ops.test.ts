import { describeOpCoverage, describeOpSuite } from '@keras-ts/spec/testing';
import { createTsBackend } from '../src/index';

describeOpSuite('ts', () => createTsBackend());
describeOpCoverage();
