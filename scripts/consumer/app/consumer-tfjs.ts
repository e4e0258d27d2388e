// backend-tfjs' types, typechecked by scripts/consumer/run.mjs with skipLibCheck on: TensorFlow.js'
// own declarations (tfjs-layers, tfjs-core's hash_util) do not pass a strict check of library files.
import { setBackend } from '@keras-ts/keras';
import { createTfjsBackend, type TfjsBackend } from '@keras-ts/backend-tfjs';

export async function useTfjs(): Promise<string> {
  const backend: TfjsBackend = await createTfjsBackend({ backend: 'cpu' });
  setBackend(backend);
  return backend.name;
}
