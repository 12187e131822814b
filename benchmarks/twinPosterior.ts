import type { Twin } from "../src/twin/twin.js";
import { ensemblePosterior } from "../src/bo/ensemble/ensemblePosterior.js";
import type { Posterior, Surrogate, SurrogateFitInfo } from "../src/bo/surrogate.js";

/**
 * A fixed ensemble posterior from a twin (benchmark use only): the posterior at unit-cube
 * points is the mean and variance over members of the per-member PLQY, as in the original
 * optimizer. No gradients: the acquisition optimiser uses finite differences.
 */
export function twinAsSurrogate(twin: Twin): Surrogate {
  const toPhysical = (z: readonly number[]) => z.map((v, i) => twin.inputBounds[i][0] + v * (twin.inputBounds[i][1] - twin.inputBounds[i][0]));
  return {
    name: "twin",
    async fit(): Promise<SurrogateFitInfo> {
      return { seconds: 0, meta: {}, warnings: [] };
    },
    posterior(X): Posterior {
      const p = twin.predict(X.map(toPhysical));
      return ensemblePosterior(p.plqy, p.n, p.m);
    },
  };
}
