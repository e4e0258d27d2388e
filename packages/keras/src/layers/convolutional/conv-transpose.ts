import { ops, type Sym } from '@keras-ts/spec';
import { z } from 'zod';
import { parseArgs, type InputShape } from '../../engine/layer.js';
import type { SymbolicShape } from '../../engine/keras-tensor.js';
import { Conv, type ConvArgs } from './conv.js';
import { convOutputLength, deconvOutputLength, fmtSymShape, normalizeTuple, zIntOrList } from './conv-utils.js';
import type { ArgsDeclaration } from '../../engine/layer-arg-keys.js';
import { KerasShapeError, KerasValueError } from '../../errors.js';

const ConvTransposeArgs = z.looseObject({
  /**
   * Extra size added at the end of each spatial output axis (each less than its stride); null
   * (default) lets the output size follow from the input size, strides and padding.
   */
  outputPadding: zIntOrList.nullable().optional(),
});

/** The arguments of Conv1DTranspose, Conv2DTranspose and Conv3DTranspose. */
export interface ConvTransposeArgs extends ConvArgs, z.input<typeof ConvTransposeArgs> {}

/**
 * The base of the transposed convolutions (Conv1DTranspose, Conv2DTranspose, Conv3DTranspose):
 * the adjoint of a convolution in its input, as Keras 2 (TF's `conv_transpose`). The kernel has
 * shape [...kernel_size, filters, in_channels]; the output length of each spatial axis is Keras'
 * `deconv_output_length`.
 */
export abstract class ConvTranspose extends Conv {
  static override readonly argsSchema: ArgsDeclaration = ConvTransposeArgs;
  readonly outputPadding: number[] | null;

  constructor(rank: number, args: ConvTransposeArgs) {
    super(rank, args);
    const what = this.label;
    if (this.groups !== 1) {
      throw new KerasValueError(`${what}: argument 'groups' got ${this.groups}: transposed convolutions do not support groups (expected 1)`);
    }
    const a = parseArgs(ConvTransposeArgs, args, what);
    if (a.outputPadding === null || a.outputPadding === undefined) {
      this.outputPadding = null;
    } else {
      this.outputPadding = normalizeTuple(a.outputPadding, rank, 'outputPadding', what, 0);
      this.outputPadding.forEach((p, i) => {
        if (p >= this.strides[i]) {
          throw new KerasValueError(`${what}: argument 'outputPadding' got ${JSON.stringify(a.outputPadding)}: each output padding must be less than its stride (strides [${this.strides}])`);
        }
      });
    }
  }

  protected override acceptsRank(rank: number): boolean {
    return rank === this.rank + 2;
  }

  protected override spatialOutputShape(spatial: SymbolicShape): (number | null)[] {
    return spatial.map((n, i) =>
      deconvOutputLength(n, this.kernelSize[i], this.padding, this.outputPadding ? this.outputPadding[i] : null, this.strides[i], this.dilationRate[i]),
    );
  }

  /** The forward convolution of the output must give back the input's size (else TF refuses too). */
  private checkGeometry(spatial: SymbolicShape, shape: SymbolicShape): void {
    const out = this.spatialOutputShape(spatial);
    spatial.forEach((n, i) => {
      const o = out[i];
      if (n === null || o === null) return;
      const back = convOutputLength(o, this.kernelSize[i], this.padding, this.strides[i], this.dilationRate[i]);
      if (back !== n) {
        throw new KerasShapeError(
          `${this.label}: for input shape ${fmtSymShape(shape)} the output length ${o} along spatial axis ${i} (kernel_size [${this.kernelSize}], strides [${this.strides}], ` +
            `padding '${this.padding}', output_padding ${JSON.stringify(this.outputPadding)}) is not the transpose of a convolution of an input of length ${n}`,
        );
      }
    });
  }

  override build(inputShape: InputShape): void {
    const channels = this.checkBuildShape(inputShape);
    const shape = inputShape as SymbolicShape;
    this.checkGeometry(shape.slice(1, -1), shape);
    this.kernel = this.addWeight({
      name: 'kernel',
      shape: [...this.kernelSize, this.filters, channels],
      initializer: this.kernelInitializer,
      regularizer: this.kernelRegularizer,
      constraint: this.kernelConstraint,
    });
    this.addBias(this.filters);
  }

  override call(inputs: Sym | Sym[]): Sym {
    const x = inputs as Sym;
    this.checkCallInput(x, this.kernel.shape[this.rank + 1]);
    this.checkGeometry(x.shape.slice(1, -1), x.shape);
    const out = this.spatialOutputShape(x.shape.slice(1, -1)) as number[];
    const y = ops.convTranspose(x, this.kernel.read(), [x.shape[0], ...out, this.filters], {
      strides: this.strides,
      dilations: this.dilationRate,
      padding: this.padding,
    });
    return this.finish(y);
  }

  override getConfig(): Record<string, unknown> {
    return { ...super.getConfig(), output_padding: this.outputPadding ? [...this.outputPadding] : null };
  }
}
