// Typechecked by scripts/consumer/run.mjs with module/moduleResolution nodenext and with bundler,
// skipLibCheck off (our declarations are checked too): the published types must serve both.
// backend-tfjs is in consumer-tfjs.ts.
import { setBackend, Sequential, Dense, Adam, tensor, loadModel, type Tensor, type Model } from '@keras-ts/keras';
import { createTsBackend } from '@keras-ts/backend-ts';
import { createOnnxBackend } from '@keras-ts/backend-onnx';
import { exportGraphToOnnx } from '@keras-ts/backend-onnx/export';
import { ops, trace, type Backend } from '@keras-ts/spec';
import { describeOpSuite } from '@keras-ts/spec/testing';
import { runConformance } from '@keras-ts/conformance';
import { main as cli } from '@keras-ts/cli';

const backends: Backend[] = [createTsBackend(), createOnnxBackend()];
setBackend(backends[0]);
const model: Sequential = new Sequential({ layers: [new Dense({ units: 4, activation: 'relu', inputShape: [3] }), new Dense({ units: 1 })] });
model.compile({ optimizer: new Adam({ learningRate: 0.01 }), loss: 'mse' });
export async function run(): Promise<number[]> {
  const x: Tensor = tensor([[1, 2, 3]]);
  const y = await model.predict(x);
  const loaded: Model = await loadModel('model.keras');
  const g = trace((a) => ops.relu(a), [{ shape: [2], dtype: 'float32' }]);
  void g;
  void loaded;
  void exportGraphToOnnx;
  void describeOpSuite;
  void runConformance;
  void cli;
  return Array.from(y.data);
}
