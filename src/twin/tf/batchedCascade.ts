import type { CascadeEnsembleSpec } from "../cascadeEnsembleSpec.js";
import type { CascadeLayer } from "../cascade.js";
import type { TfCore } from "../backend.js";

type Tensor2D = import("@tensorflow/tfjs-core").Tensor2D;
type Tensor1D = import("@tensorflow/tfjs-core").Tensor1D;

/**
 * Rows per TensorFlow.js pass. Throughput on WASM rises up to a few thousand rows (fewer
 * calls per point) and the WASM heap grows with it (it never shrinks): 4096 is the
 * measured compromise (benchmarks/notes/predict.md).
 */
export const TF_BLOCK_ROWS = 4096;

/**
 * Blocks with fewer rows than this use one concat and one matmul per layer (about 440
 * ops per pass); larger blocks use the piecewise sums (about 1,700 ops per pass, but no
 * per-row concat loop). Measured crossover on WASM: benchmarks/notes/predict.md.
 */
export const CONCAT_MAX_ROWS = 512;

/**
 * One layer's weights, transposed to [in x out] and cut by row into the pieces that
 * multiply z, h1, ..., h_{l-1}: `pieces[q]` has shape [width of source q x out].
 */
interface PiecewiseLayer {
  pieces: Tensor2D[];
  /** The whole W^T [in x out], for the concat formulation. */
  whole: Tensor2D;
  bias: Tensor1D;
}

interface TfMember {
  hidden: PiecewiseLayer[];
  output: PiecewiseLayer;
}

/**
 * Large-batch forward pass of a cascade ensemble on a TensorFlow.js backend (float32).
 *
 * A cascade layer reads concat(z, h1, ..., h_{l-1}). For large blocks, instead of
 * concatenating (on WASM, a 2-D concat along columns is a JavaScript loop over rows and
 * took a third of the time), each layer's pre-activation is the sum of one matmul per
 * source, `z Wz + h1 W1 + ... + b`; small blocks (fewer than {@link CONCAT_MAX_ROWS}
 * rows), where the op count dominates, concatenate. Every matmul is 2-D and untransposed with the constant
 * weights as the second operand, which keeps it on XNNPack's fast path (and its packed
 * weights cached). Intermediates are freed member by member so the heap stays bounded.
 */
export class TfBatchedCascade {
  readonly memberCount: number;
  private readonly members: TfMember[];
  private disposed = false;

  /**
   * Upload every weight once.
   * @param tf    an initialised TensorFlow.js module (see initBackend/readyTf in ../backend.ts)
   * @param spec  the ensemble; inputs.length = d
   * @param blockRows  rows per TF.js pass (default {@link TF_BLOCK_ROWS})
   * @param concatMaxRows  passes with fewer rows use the concat formulation (default {@link CONCAT_MAX_ROWS})
   */
  constructor(
    private readonly tf: TfCore,
    spec: CascadeEnsembleSpec,
    readonly blockRows = TF_BLOCK_ROWS,
    readonly concatMaxRows = CONCAT_MAX_ROWS,
  ) {
    const d = spec.inputs.length;
    this.memberCount = spec.members.length;
    this.members = spec.members.map((m) => {
      const widths = [d, ...m.hidden.map((l) => l.bias.length)];
      return {
        hidden: m.hidden.map((l, i) => this.upload(l, widths.slice(0, i + 1))),
        output: this.upload(m.output, widths),
      };
    });
  }

  /** Transpose W [out][in] to W^T [in x out], and cut W^T by rows along `widths` (which sum to in). */
  private upload(layer: CascadeLayer, widths: number[]): PiecewiseLayer {
    const out = layer.bias.length;
    const inn = widths.reduce((a, b) => a + b, 0);
    const t = new Float32Array(inn * out);
    for (let o = 0; o < out; o++) {
      const row = layer.weight[o];
      for (let i = 0; i < inn; i++) t[i * out + o] = row[i];
    }
    let start = 0;
    const pieces = widths.map((k) => {
      const piece = this.tf.tensor2d(t.subarray(start * out, (start + k) * out), [k, out]);
      start += k;
      return piece;
    });
    return { pieces, whole: this.tf.tensor2d(t, [inn, out]), bias: this.tf.tensor1d(Float32Array.from(layer.bias)) };
  }

  /**
   * Scaled outputs of every member for n unit-cube rows.
   * @param z  row-major [n x d] unit-cube inputs
   * @returns  member-major Float32Array [m*n*2]: member k, row i at (k*n + i)*2 (Abs300, PLA; min-max scaled)
   */
  forward(z: Float64Array, n: number, d: number): Float32Array {
    if (this.disposed) throw new Error("TfBatchedCascade used after dispose()");
    const m = this.members.length;
    const result = new Float32Array(m * n * 2);
    const zf = Float32Array.from(z);
    for (let r0 = 0; r0 < n; r0 += this.blockRows) {
      const rows = Math.min(this.blockRows, n - r0);
      const y = this.forwardBlock(zf.subarray(r0 * d, (r0 + rows) * d), rows, d);
      for (let k = 0; k < m; k++) result.set(y.subarray(k * rows * 2, (k + 1) * rows * 2), (k * n + r0) * 2);
    }
    return result;
  }

  /** One block: [m*rows*2] member-major, like {@link forward}. */
  private forwardBlock(z: Float32Array, rows: number, d: number): Float32Array {
    const tf = this.tf;
    const Z = tf.tensor2d(z, [rows, d]);
    const ys: Tensor2D[] = [];
    let all: Tensor2D | undefined;
    try {
      // One tidy per member: its activations are freed before the next member starts.
      const concat = rows < this.concatMaxRows;
      for (const member of this.members) ys.push(tf.tidy(() => (concat ? this.memberConcat(member, Z) : this.memberForward(member, Z))));
      all = tf.concat2d(ys, 0);
      return all.dataSync() as Float32Array;
    } finally {
      Z.dispose();
      for (const y of ys) y.dispose();
      all?.dispose();
    }
  }

  private memberForward(member: TfMember, Z: Tensor2D): Tensor2D {
    const sources: Tensor2D[] = [Z];
    for (const layer of member.hidden) sources.push(this.layerForward(layer, sources, true));
    return this.layerForward(member.output, sources, false);
  }

  /** The same member with one concat and one fused matmul per layer. Runs inside a tidy. */
  private memberConcat(member: TfMember, Z: Tensor2D): Tensor2D {
    const tf = this.tf;
    let c = Z;
    for (const layer of member.hidden) {
      const h = tf.fused.matMul({ a: c, b: layer.whole, bias: layer.bias, activation: "relu" }) as Tensor2D;
      c = tf.concat2d([c, h], 1);
    }
    return tf.fused.matMul({ a: c, b: member.output.whole, bias: member.output.bias }) as Tensor2D;
  }

  /** sum_q sources[q] pieces[q] + bias, then ReLU if `relu`. Runs inside a tidy. */
  private layerForward(layer: PiecewiseLayer, sources: Tensor2D[], relu: boolean): Tensor2D {
    const tf = this.tf;
    const { pieces, bias } = layer;
    const activation = relu ? "relu" : "linear";
    if (pieces.length === 1) return tf.fused.matMul({ a: sources[0], b: pieces[0], bias, activation }) as Tensor2D;
    const parts = pieces.map((w, q) => (q === 0 ? tf.fused.matMul({ a: sources[0], b: w, bias }) : tf.matMul(sources[q], w))) as Tensor2D[];
    const sum = tf.addN(parts) as Tensor2D;
    return relu ? tf.relu(sum) : sum;
  }

  /** Number of weight tensors held (for leak tests). */
  get tensorCount(): number {
    return this.members.reduce((s, m) => s + [...m.hidden, m.output].reduce((t, l) => t + l.pieces.length + 2, 0), 0);
  }

  /** Free the weight tensors. Safe to call twice. */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const m of this.members)
      for (const l of [...m.hidden, m.output]) {
        l.pieces.forEach((p) => p.dispose());
        l.whole.dispose();
        l.bias.dispose();
      }
  }
}
