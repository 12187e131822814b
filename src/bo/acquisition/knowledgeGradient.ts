import { eiHelper, logEiHelper } from "./normal.js";

/**
 * The upper envelope of the lines a_i + b_i z over z in R: the lines that are the maximum
 * somewhere, by increasing slope, and the breakpoints between consecutive ones (line k of
 * the envelope is the maximum on (c_{k-1}, c_k)). Lines of equal slope keep only the
 * highest; a line that is the maximum at a single point only is dropped.
 *
 * @param a intercepts, shape [M] (finite).
 * @param b slopes, shape [M] (finite), same length as `a`.
 * @returns `lines`: indices into a/b, slopes increasing, length k >= 1 (0 when M = 0);
 *   `breaks`: shape [k-1], increasing.
 */
export function upperEnvelope(a: ArrayLike<number>, b: ArrayLike<number>): { lines: number[]; breaks: number[] } {
  const order = Array.from({ length: a.length }, (_, i) => i).sort((i, j) => b[i] - b[j] || a[i] - a[j] || i - j);
  const lines: number[] = [];
  const breaks: number[] = []; // breaks[k-1] = left end of lines[k]
  for (let t = 0; t < order.length; t++) {
    const i = order[t];
    // Equal slopes: the sort put the highest last, so only it survives.
    if (t + 1 < order.length && b[order[t + 1]] === b[i]) continue;
    let c = -Infinity;
    while (lines.length > 0) {
      const j = lines[lines.length - 1];
      c = (a[j] - a[i]) / (b[i] - b[j]);
      const left = breaks.length > 0 && lines.length > 1 ? breaks[breaks.length - 1] : -Infinity;
      if (c <= left) {
        lines.pop();
        if (lines.length > 0) breaks.pop();
        c = -Infinity;
      } else break;
    }
    if (lines.length > 0) breaks.push(c);
    lines.push(i);
  }
  return { lines, breaks };
}

/**
 * The knowledge gradient of one measurement for correlated normal beliefs (Frazier, Powell
 * & Dayanik 2009): E_Z[max_i (a_i + b_i Z)] - max_i a_i with Z ~ N(0, 1), exactly, from the
 * upper envelope of the lines: sum_k (b_{k+1} - b_k) f(-|c_k|), f(z) = z Phi(z) + phi(z).
 * Here a_i is the posterior mean at reference point i and b_i how much a measurement at the
 * candidate would move it per standard normal of the measured value
 * (cov(i, x) / sqrt(var(x) + noise)). >= 0; 0 when the envelope is one line.
 *
 * @param a posterior means, shape [M], any units.
 * @param b slopes, shape [M], the same units.
 * @returns the expected increase of the best posterior mean, in those units.
 */
export function knowledgeGradient(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const { lines, breaks } = upperEnvelope(a, b);
  let kg = 0;
  for (let k = 0; k < breaks.length; k++) kg += (b[lines[k + 1]] - b[lines[k]]) * eiHelper(-Math.abs(breaks[k]));
  return kg;
}

/**
 * log of {@link knowledgeGradient}, accurate where the value itself underflows (every
 * breakpoint far from 0: a candidate that can barely change the ranking), so an optimiser
 * still sees a slope there. -Infinity when the knowledge gradient is exactly 0.
 */
export function logKnowledgeGradient(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const { lines, breaks } = upperEnvelope(a, b);
  if (breaks.length === 0) return -Infinity;
  const terms = breaks.map((c, k) => Math.log(b[lines[k + 1]] - b[lines[k]]) + logEiHelper(-Math.abs(c)));
  const m = Math.max(...terms);
  if (!Number.isFinite(m)) return m;
  let s = 0;
  for (const t of terms) s += Math.exp(t - m);
  return m + Math.log(s);
}
