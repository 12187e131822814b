import type { CascadeEnsembleSpec } from "./cascadeEnsemble.js";
import type { TfCore } from "./backend.js";

type Tensor2D = import("@tensorflow/tfjs-core").Tensor2D;
type Tensor1D = import("@tensorflow/tfjs-core").Tensor1D;

/** Rows per TensorFlow.js call: larger blocks fall out of cache and run slower (measured). */
const TF_BLOCK_ROWS = 512;

interface TfLayer { wt: Tensor2D; b: Tensor1D }

/**
 * Large-batch forward pass of a cascade ensemble on a TensorFlow.js backend (float32).
 * Weights are uploaded once, already transposed to [in x out], so every matmul is 2-D
 * and untransposed (the WASM backend's fast XNNPack path) with bias and ReLU fused.
 */
export class TfCascadePredictor {
  private readonly members: { hidden: TfLayer[]; output: TfLayer }[];
  private disposed = false;

  constructor(private readonly tf: TfCore, spec: CascadeEnsembleSpec) {
    const upload = (weight: number[][], bias: number[]): TfLayer => {
      const out = weight.length;
      const inn = weight[0].length;
      const t = new Float32Array(inn * out);
      for (let o = 0; o < out; o++) for (let i = 0; i < inn; i++) t[i * out + o] = weight[o][i];
      return { wt: tf.tensor2d(t, [inn, out]), b: tf.tensor1d(Float32Array.from(bias)) };
    };
    this.members = spec.members.map((m) => ({ hidden: m.hidden.map((l) => upload(l.weight, l.bias)), output: upload(m.output.weight, m.output.bias) }));
  }

  /**
   * Scaled outputs of every member for n unit-cube rows z [n*d].
   * @returns member-major [m][n*2] (row i: Abs300 scaled, PLA scaled) as one Float32Array [m*n*2]
   */
  forward(z: Float64Array, n: number, d: number): Float32Array {
    if (this.disposed) throw new Error("TfCascadePredictor used after dispose()");
    const m = this.members.length;
    const result = new Float32Array(m * n * 2);
    for (let r0 = 0; r0 < n; r0 += TF_BLOCK_ROWS) {
      const rows = Math.min(TF_BLOCK_ROWS, n - r0);
      const y = this.forwardBlock(z.subarray(r0 * d, (r0 + rows) * d), rows, d);
      for (let k = 0; k < m; k++) result.set(y.subarray(k * rows * 2, (k + 1) * rows * 2), (k * n + r0) * 2);
    }
    return result;
  }

  private forwardBlock(z: Float64Array, n: number, d: number): Float32Array {
    const tf = this.tf;
    const out = tf.tidy(() => {
      const Z = tf.tensor2d(Float32Array.from(z), [n, d]);
      const ys = this.members.map((m) => {
        let c: Tensor2D = Z;
        for (const l of m.hidden) {
          const h = tf.fused.matMul({ a: c, b: l.wt, bias: l.b, activation: "relu" }) as Tensor2D;
          c = tf.concat2d([c, h], 1);
        }
        return tf.fused.matMul({ a: c, b: m.output.wt, bias: m.output.b }) as Tensor2D;
      });
      return tf.concat2d(ys, 0);
    });
    try {
      return out.dataSync() as Float32Array;
    } finally {
      out.dispose(); // tf.tidy does not track the tensor it returns
    }
  }

  /** Free the weight tensors. Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const m of this.members) for (const l of [...m.hidden, m.output]) { l.wt.dispose(); l.b.dispose(); }
  }
}
