import type { CascadeEnsembleSpec } from "./cascadeEnsembleSpec.js";
import { fromCascadeMember, type ParamLayout } from "./enn/arch.js";
import { memberForward, memberInputGradient } from "./enn/kernels.js";
import { plqyProxy } from "./plqy.js";
import { networkInputJacobian, networkInputs } from "./cascadeEnsemble.js";

/** Per-member PLQY and its gradient with respect to the unit-cube inputs. */
export interface MemberPlqyGradient {
  n: number;
  m: number;
  d: number;
  /** [m*n] member-major PLQY proxy. */
  plqy: Float64Array;
  /** [m*n*d]: d PLQY_k(z_i) / d z_ij at (k*n + i)*d + j. */
  dPlqy: Float64Array;
}

/**
 * Each member's PLQY proxy and its exact input gradient for n unit-cube points z [n*d]
 * (float64, JavaScript kernels): forward, then one backward pass per member with the
 * chain rule through the output de-scaling and the PLQY formula.
 */
export class PlqyGradient {
  private readonly members: { layout: ParamLayout; params: Float64Array }[];

  constructor(private readonly spec: CascadeEnsembleSpec) {
    this.members = spec.members.map((m) => fromCascadeMember(m, spec.inputs.length));
  }

  at(z: Float64Array, n: number): MemberPlqyGradient {
    const d = this.spec.inputs.length;
    const m = this.members.length;
    const { min, max } = this.spec.outputScaling;
    const ra = max[0] - min[0];
    const rp = max[1] - min[1];
    const ref = this.spec.plqyReference;
    const K = (ref.plqy * (1 - Math.pow(10, -ref.abs))) / ref.area;
    const plqy = new Float64Array(m * n);
    const dPlqy = new Float64Array(m * n * d);
    const Y = new Float64Array(n * 2);
    const dY = new Float64Array(n * 2);
    const dZ = new Float64Array(n * d);
    this.members.forEach(({ layout, params }, k) => {
      const C = new Float64Array(n * layout.total);
      const G = new Float64Array(n * layout.total);
      for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) C[i * layout.total + j] = z[i * d + j];
      memberForward(layout, params, C, n, Y);
      for (let i = 0; i < n; i++) {
        const a = min[0] + Y[i * 2] * ra;
        const p = min[1] + Y[i * 2 + 1] * rp;
        plqy[k * n + i] = plqyProxy(a, p, ref);
        const e = Math.pow(10, -a);
        const denom = 1 - e;
        dY[i * 2] = ((-K * p * e * Math.LN10) / (denom * denom)) * ra; // d PLQY / d y_abs (scaled)
        dY[i * 2 + 1] = (K / denom) * rp; // d PLQY / d y_pla (scaled)
      }
      memberInputGradient(layout, params, C, n, dY, G, dZ);
      dPlqy.set(dZ, k * n * d);
    });
    return { n, m, d, plqy, dPlqy };
  }

  /**
   * The same for n points in the twin's physical units [n][d]: the gradient is with respect
   * to the physical inputs, through the normalisation and the input transform if the twin
   * has one (chain rule with {@link networkInputJacobian}).
   */
  atPoints(points: readonly (readonly number[])[]): MemberPlqyGradient {
    const n = points.length;
    const g = this.at(networkInputs(this.spec, points), n);
    const { m, d } = g;
    const out = new Float64Array(m * n * d);
    for (let i = 0; i < n; i++) {
      const J = networkInputJacobian(this.spec, points[i]);
      for (let k = 0; k < m; k++) {
        const at = (k * n + i) * d;
        for (let j = 0; j < d; j++) {
          let s = 0;
          for (let a = 0; a < d; a++) s += g.dPlqy[at + a] * J[a][j];
          out[at + j] = s;
        }
      }
    }
    return { n, m, d, plqy: g.plqy, dPlqy: out };
  }
}
