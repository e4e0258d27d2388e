import type { DataArray, DType } from './dtype.js';
import { KerasShapeError, KerasValueError } from './errors.js';
import type { Graph, Node } from './graph/graph.js';
import { fmtShape, shapesEqual, sizeOf, type Shape } from './shape.js';

/** A tensor in host memory: flat row-major data with its shape and dtype. */
export interface HostTensor {
  readonly shape: Shape;
  readonly dtype: DType;
  readonly data: DataArray;
  /**
   * True when this object's data will never change (a weight's current value): a backend may
   * keep a device copy keyed by the object and skip uploading it again.
   */
  readonly stable?: boolean;
}

/**
 * Checks the inputs of a run against the graph's placeholders (the graph's `inputs`, in order):
 * as many inputs, each of the placeholder's dtype and shape, with as many elements as its shape
 * holds. The errors name the backend, the input's index and its placeholder's name.
 *
 * @example
 * checkRunInputs('backend-ts', placeholders, inputs); // KerasValueError on a wrong dtype or shape
 */
export function checkRunInputs(backend: string, placeholders: readonly Node[], inputs: readonly HostTensor[]): void {
  if (inputs.length !== placeholders.length) {
    throw new KerasValueError(`${backend}: the graph takes ${placeholders.length} input(s), got ${inputs.length}`);
  }
  inputs.forEach((t, k) => {
    const p = placeholders[k];
    const name = String(p.attrs.name);
    if (t.dtype !== p.dtype || !shapesEqual(t.shape, p.shape)) {
      throw new KerasValueError(`${backend}: input ${k} ('${name}') must be ${p.dtype}${fmtShape(p.shape)}, got ${t.dtype}${fmtShape(t.shape)}`);
    }
    if (t.data.length !== sizeOf(t.shape)) {
      throw new KerasShapeError(`${backend}: input ${k} ('${name}') has ${t.data.length} elements for shape ${fmtShape(t.shape)}`);
    }
  });
}

/** What a backend can do, so that callers and tests can skip what it cannot, with a reason. */
export interface Capabilities {
  /** Dtypes its kernels take. */
  readonly dtypes: readonly DType[];
  /** Whether it runs training-step graphs (forward, gradients and updates). */
  readonly training: boolean;
  /** Composite ops it runs as one fused kernel instead of their decomposition. */
  readonly fusedKernels: readonly string[];
  /** Whether `Executable.runSync` is available. */
  readonly sync: boolean;
}

/** A compiled graph. Inputs and outputs follow the graph's `inputs` and `outputs` order. */
export interface Executable {
  /**
   * Runs the graph on host tensors given in the order of the graph's `inputs`; resolves to its
   * outputs, in the order of its `outputs`.
   */
  run(inputs: readonly HostTensor[]): Promise<HostTensor[]>;
  /** Present when the backend's capabilities say `sync`. */
  runSync?(inputs: readonly HostTensor[]): HostTensor[];
  /** Releases what the executable holds (buffers, sessions). */
  dispose(): void;
}

/**
 * The tensor types of other libraries that backends convert, by declaration merging: a backend
 * that converts a library's tensors adds an entry (backend-tfjs adds `tfjs: tf.Tensor`), and the
 * Keras API then accepts them where it takes tensors. Empty here.
 *
 * @example
 * declare module '@keras-ts/spec' {
 *   interface ForeignTensorTypes { mylib: MyLibTensor }
 * }
 */
export interface ForeignTensorTypes {}

/** A tensor of another library that some backend converts (`never` until a backend adds one). */
export type ForeignTensor = ForeignTensorTypes[keyof ForeignTensorTypes];

/**
 * How a backend converts another library's tensors to host tensors and back (backend-tfjs:
 * `tf.Tensor`), so that models on it take and give that library's tensors.
 *
 * @example
 * const interop = getBackend().interop;
 * if (interop?.accepts(value)) x = interop.toHost(value);
 */
export interface TensorInterop {
  /** The library whose tensors these are, for messages (e.g. '@tensorflow/tfjs'). */
  readonly library: string;
  /** Whether `value` is one of the library's tensors. */
  accepts(value: unknown): boolean;
  /** A copy of the tensor in host memory; an error for one it cannot hold (a dtype, a disposed tensor). */
  toHost(value: unknown): HostTensor;
  /** A host tensor as one of the library's tensors (a copy; the caller owns it). */
  fromHost(t: HostTensor): unknown;
}

/**
 * A backend implements the spec's op set: it compiles a graph once into an executable that
 * runs it many times.
 *
 * @example
 * const exe = backend.compile(trace((a, b) => ops.matmul(a, b), [specA, specB]));
 * const [c] = await exe.run([a, b]);
 */
export interface Backend {
  readonly name: string;
  readonly capabilities: Capabilities;
  /** Compiles `graph`, once, into an executable that runs it many times. */
  compile(graph: Graph): Executable;
  /** Releases everything the backend holds. */
  dispose?(): void;
  /** Converts another library's tensors, when the backend runs on that library (backend-tfjs: tf.Tensor). */
  readonly interop?: TensorInterop;
}
