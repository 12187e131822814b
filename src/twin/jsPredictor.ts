import type { CascadeEnsembleSpec } from "./cascadeEnsemble.js";
import { fromCascadeMember, type ParamLayout } from "./enn/arch.js";
import { memberForward } from "./enn/kernels.js";

/** Rows per block: keeps a block's activations (rows x ~370 float64) in cache. */
const BLOCK_ROWS = 64;

/**
 * Forward pass of a cascade ensemble in plain JavaScript (float64) on flat weights with
 * blocked kernels (enn/kernels.ts): exact, no start-up cost, best for small batches.
 */
export class JsCascadePredictor {
  private readonly members: { layout: ParamLayout; params: Float64Array }[];
  private readonly C: Float64Array;
  private readonly Y = new Float64Array(BLOCK_ROWS * 2);

  constructor(spec: CascadeEnsembleSpec) {
    this.members = spec.members.map((m) => fromCascadeMember(m, spec.inputs.length));
    this.C = new Float64Array(BLOCK_ROWS * Math.max(...this.members.map((m) => m.layout.total)));
  }

  /**
   * Scaled outputs of every member for n unit-cube rows z [n*d].
   * @returns member-major Float64Array [m*n*2] (row i of member k at (k*n + i)*2: Abs300, PLA, scaled)
   */
  forward(z: Float64Array, n: number, d: number): Float64Array {
    const out = new Float64Array(this.members.length * n * 2);
    this.members.forEach(({ layout, params }, k) => {
      const ld = layout.total;
      for (let r0 = 0; r0 < n; r0 += BLOCK_ROWS) {
        const rows = Math.min(BLOCK_ROWS, n - r0);
        for (let i = 0; i < rows; i++) for (let j = 0; j < d; j++) this.C[i * ld + j] = z[(r0 + i) * d + j];
        memberForward(layout, params, this.C, rows, this.Y);
        out.set(this.Y.subarray(0, rows * 2), (k * n + r0) * 2);
      }
    });
    return out;
  }
}
