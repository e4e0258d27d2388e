/**
 * ZCA whitening as Keras 2's `ImageDataGenerator.fit` computes it (keras-preprocessing 1.1.2):
 * with `sigma = X^T X / n` over the flattened images `X` (after featurewise centering), the
 * whitening matrix is `U diag(1 / sqrt(s + epsilon)) U^T = (sigma + epsilon I)^(-1/2)`. It is kept
 * as `I / sqrt(epsilon)` plus a low-rank correction along the eigenvectors of the data, found from
 * the smaller of `sigma` (pixels x pixels) and the Gram matrix `X X^T / n` (images x images), so
 * that fitting costs O(min(images, pixels)^3) and no pixels x pixels matrix is built when there
 * are fewer images.
 */

/** A fitted whitening: `x -> scale * x + sum_i coef[i] * u_i (u_i . x)` per flattened image. */
export interface ZcaWhitening {
  /** The size of a flattened image. */
  d: number;
  scale: number;
  basis: Float64Array[];
  coef: number[];
}

/** Eigenvalues and eigenvectors (columns of `vectors`, row-major m x m) of a symmetric matrix, by cyclic Jacobi rotations. */
function symmetricEigen(a: Float64Array, m: number): { values: Float64Array; vectors: Float64Array } {
  const v = new Float64Array(m * m);
  for (let i = 0; i < m; i++) v[i * m + i] = 1;
  let total = 0;
  for (let i = 0; i < m * m; i++) total += a[i] * a[i];
  for (let sweep = 0; sweep < 60; sweep++) {
    let off = 0;
    for (let p = 0; p < m; p++) for (let q = p + 1; q < m; q++) off += a[p * m + q] ** 2;
    if (off <= 1e-30 * total) break;
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = a[p * m + q];
        if (apq === 0) continue;
        const theta = (a[q * m + q] - a[p * m + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < m; k++) {
          const akp = a[k * m + p];
          const akq = a[k * m + q];
          a[k * m + p] = c * akp - s * akq;
          a[k * m + q] = s * akp + c * akq;
        }
        for (let k = 0; k < m; k++) {
          const apk = a[p * m + k];
          const aqk = a[q * m + k];
          a[p * m + k] = c * apk - s * aqk;
          a[q * m + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < m; k++) {
          const vkp = v[k * m + p];
          const vkq = v[k * m + q];
          v[k * m + p] = c * vkp - s * vkq;
          v[k * m + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  return { values: Float64Array.from({ length: m }, (_, i) => a[i * m + i]), vectors: v };
}

/** Fits the whitening of `n` flattened images of `d` values each (`data`, row-major). */
export function fitZca(data: Float32Array, n: number, d: number, epsilon: number): ZcaWhitening {
  const scale = 1 / Math.sqrt(epsilon);
  const basis: Float64Array[] = [];
  const coef: number[] = [];
  const add = (u: Float64Array, lambda: number) => {
    basis.push(u);
    coef.push(1 / Math.sqrt(Math.max(lambda, 0) + epsilon) - scale);
  };
  if (d <= n) {
    const sigma = new Float64Array(d * d);
    for (let r = 0; r < n; r++) {
      const row = data.subarray(r * d, (r + 1) * d);
      for (let i = 0; i < d; i++) for (let j = i; j < d; j++) sigma[i * d + j] += row[i] * row[j];
    }
    for (let i = 0; i < d; i++) for (let j = i; j < d; j++) sigma[j * d + i] = sigma[i * d + j] /= n;
    const { values, vectors } = symmetricEigen(sigma, d);
    for (let k = 0; k < d; k++) add(Float64Array.from({ length: d }, (_, i) => vectors[i * d + k]), values[k]);
  } else {
    const gram = new Float64Array(n * n);
    for (let a = 0; a < n; a++) {
      for (let b = a; b < n; b++) {
        let s = 0;
        for (let i = 0; i < d; i++) s += data[a * d + i] * data[b * d + i];
        gram[a * n + b] = gram[b * n + a] = s / n;
      }
    }
    const { values, vectors } = symmetricEigen(gram, n);
    const largest = Math.max(0, ...values);
    for (let k = 0; k < n; k++) {
      if (values[k] <= largest * 1e-12) continue;
      // u = X^T v / sqrt(n lambda), a unit eigenvector of sigma with the same eigenvalue.
      const u = new Float64Array(d);
      for (let a = 0; a < n; a++) {
        const w = vectors[a * n + k];
        for (let i = 0; i < d; i++) u[i] += w * data[a * d + i];
      }
      const norm = Math.sqrt(n * values[k]);
      for (let i = 0; i < d; i++) u[i] /= norm;
      add(u, values[k]);
    }
  }
  return { d, scale, basis, coef };
}

/** Whitens every flattened image of `data` in place. */
export function applyZca(z: ZcaWhitening, data: Float32Array): void {
  for (let off = 0; off + z.d <= data.length; off += z.d) {
    const x = Float64Array.from(data.subarray(off, off + z.d));
    const y = x.map((v) => v * z.scale);
    z.basis.forEach((u, k) => {
      let p = 0;
      for (let i = 0; i < z.d; i++) p += u[i] * x[i];
      p *= z.coef[k];
      for (let i = 0; i < z.d; i++) y[i] += p * u[i];
    });
    data.set(y, off);
  }
}
