import type { CascadeEnsembleSpec } from "./cascadeEnsembleSpec.js";
import { fromCascadeMember, type ParamLayout } from "./enn/arch.js";
import { memberForward } from "./enn/kernels.js";
import { SimdKernels } from "./enn/wasm/simdKernels.js";

/** Rows per block: keeps a block's activations (rows x ~370 float64) in cache. */
const BLOCK_ROWS = 64;

/**
 * Forward pass of a cascade ensemble in float64 on flat weights, on the WebAssembly SIMD
 * kernels (enn/wasm) where available, else the blocked JavaScript kernels (enn/kernels.ts):
 * exact, no start-up cost, best for small batches. `SDFL_TRAIN_KERNELS=js` forces JavaScript.
 */
export class JsCascadePredictor {
  private readonly members: { layout: ParamLayout; params: Float64Array }[];
  private readonly C: Float64Array;
  private readonly Y: Float64Array;
  private readonly simd?: SimdKernels;
  /** Outputs per member: 2 for the paper's cascade (Abs300nm, PLA), 1 for a problem twin's outcome ensembles. */
  readonly nOut: number;
  /** The kernels in use: "wasm-simd-f64" or "js-float64". */
  readonly kernels: string;

  constructor(spec: Pick<CascadeEnsembleSpec, "inputs" | "members">, env: NodeJS.ProcessEnv = process.env) {
    const flat = spec.members.map((m) => fromCascadeMember(m, spec.inputs.length));
    const cSize = BLOCK_ROWS * Math.max(...flat.map((m) => m.layout.total));
    this.nOut = flat[0].layout.arch.nOut;
    const simd = env.SDFL_TRAIN_KERNELS === "js" ? undefined : SimdKernels.create();
    if (simd) {
      // Weights live in the instance's memory for the predictor's lifetime (one arena).
      const views = simd.arena([...flat.map((m) => m.params.length), cSize, BLOCK_ROWS * this.nOut]);
      this.members = flat.map((m, k) => {
        views[k].set(m.params);
        return { layout: m.layout, params: views[k] };
      });
      this.C = views[flat.length];
      this.Y = views[flat.length + 1];
      this.simd = simd;
    } else {
      this.members = flat;
      this.C = new Float64Array(cSize);
      this.Y = new Float64Array(BLOCK_ROWS * this.nOut);
    }
    this.kernels = simd ? simd.name : "js-float64";
  }

  /**
   * Scaled outputs of every member for n unit-cube rows z [n*d].
   * @returns member-major Float64Array [m*n*nOut] (row i of member k at (k*n + i)*nOut: for the cascade Abs300, PLA; scaled)
   */
  forward(z: Float64Array, n: number, d: number): Float64Array {
    const nOut = this.nOut;
    const out = new Float64Array(this.members.length * n * nOut);
    this.members.forEach(({ layout, params }, k) => {
      const ld = layout.total;
      for (let r0 = 0; r0 < n; r0 += BLOCK_ROWS) {
        const rows = Math.min(BLOCK_ROWS, n - r0);
        for (let i = 0; i < rows; i++) for (let j = 0; j < d; j++) this.C[i * ld + j] = z[(r0 + i) * d + j];
        if (this.simd) this.simd.forward(layout, params, this.C, rows, this.Y);
        else memberForward(layout, params, this.C, rows, this.Y);
        out.set(this.Y.subarray(0, rows * nOut), (k * n + r0) * nOut);
      }
    });
    return out;
  }
}
