import type { ParamLayout } from "./arch.js";

/**
 * Plain-JavaScript float64 kernels of the cascade network, on one activation buffer per
 * batch: `C` is [n x total] row-major, row i = [z_i, h1_i, ..., hL_i]; layer l reads the
 * first fanIn[l] columns and writes its width next to them. Loops run over contiguous
 * memory, forward is blocked 2 rows x 4 units so each load feeds several multiply-adds,
 * and the backward pass skips the (about half) rows where ReLU is inactive.
 */

/**
 * out[i*ldo + oOff + u] = act(b[u] + sum_j W[u][j] * C[i*ld + j]) for i < n, u < w, j < f.
 * W is [w x f] row-major at p[wOff], b at p[bOff]. `out` may be `C` (distinct columns).
 */
export function denseForward(
  C: Float64Array,
  ld: number,
  n: number,
  f: number,
  p: Float64Array,
  wOff: number,
  bOff: number,
  w: number,
  out: Float64Array,
  ldo: number,
  oOff: number,
  relu: boolean,
): void {
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const c0 = i * ld;
    const c1 = c0 + ld;
    const o0 = i * ldo + oOff;
    const o1 = o0 + ldo;
    let u = 0;
    for (; u + 4 <= w; u += 4) {
      const w0 = wOff + u * f,
        w1 = w0 + f,
        w2 = w1 + f,
        w3 = w2 + f;
      let s0 = p[bOff + u],
        s1 = p[bOff + u + 1],
        s2 = p[bOff + u + 2],
        s3 = p[bOff + u + 3];
      let t0 = s0,
        t1 = s1,
        t2 = s2,
        t3 = s3;
      for (let j = 0; j < f; j++) {
        const a = C[c0 + j],
          b = C[c1 + j];
        const k0 = p[w0 + j],
          k1 = p[w1 + j],
          k2 = p[w2 + j],
          k3 = p[w3 + j];
        s0 += k0 * a;
        s1 += k1 * a;
        s2 += k2 * a;
        s3 += k3 * a;
        t0 += k0 * b;
        t1 += k1 * b;
        t2 += k2 * b;
        t3 += k3 * b;
      }
      if (relu) {
        out[o0 + u] = s0 > 0 ? s0 : 0;
        out[o0 + u + 1] = s1 > 0 ? s1 : 0;
        out[o0 + u + 2] = s2 > 0 ? s2 : 0;
        out[o0 + u + 3] = s3 > 0 ? s3 : 0;
        out[o1 + u] = t0 > 0 ? t0 : 0;
        out[o1 + u + 1] = t1 > 0 ? t1 : 0;
        out[o1 + u + 2] = t2 > 0 ? t2 : 0;
        out[o1 + u + 3] = t3 > 0 ? t3 : 0;
      } else {
        out[o0 + u] = s0;
        out[o0 + u + 1] = s1;
        out[o0 + u + 2] = s2;
        out[o0 + u + 3] = s3;
        out[o1 + u] = t0;
        out[o1 + u + 1] = t1;
        out[o1 + u + 2] = t2;
        out[o1 + u + 3] = t3;
      }
    }
    for (; u < w; u++) {
      const w0 = wOff + u * f;
      let s = p[bOff + u],
        t = s;
      for (let j = 0; j < f; j++) {
        const k = p[w0 + j];
        s += k * C[c0 + j];
        t += k * C[c1 + j];
      }
      out[o0 + u] = relu && s < 0 ? 0 : s;
      out[o1 + u] = relu && t < 0 ? 0 : t;
    }
  }
  for (; i < n; i++) {
    const c0 = i * ld;
    const o0 = i * ldo + oOff;
    let u = 0;
    for (; u + 4 <= w; u += 4) {
      const w0 = wOff + u * f,
        w1 = w0 + f,
        w2 = w1 + f,
        w3 = w2 + f;
      let s0 = p[bOff + u],
        s1 = p[bOff + u + 1],
        s2 = p[bOff + u + 2],
        s3 = p[bOff + u + 3];
      for (let j = 0; j < f; j++) {
        const a = C[c0 + j];
        s0 += p[w0 + j] * a;
        s1 += p[w1 + j] * a;
        s2 += p[w2 + j] * a;
        s3 += p[w3 + j] * a;
      }
      out[o0 + u] = relu && s0 < 0 ? 0 : s0;
      out[o0 + u + 1] = relu && s1 < 0 ? 0 : s1;
      out[o0 + u + 2] = relu && s2 < 0 ? 0 : s2;
      out[o0 + u + 3] = relu && s3 < 0 ? 0 : s3;
    }
    for (; u < w; u++) {
      const w0 = wOff + u * f;
      let s = p[bOff + u];
      for (let j = 0; j < f; j++) s += p[w0 + j] * C[c0 + j];
      out[o0 + u] = relu && s < 0 ? 0 : s;
    }
  }
}

/**
 * Forward pass of a whole member for n rows. C's first d columns hold the unit-cube
 * inputs; the hidden columns are filled; Y [n x nOut] gets the (scaled) outputs.
 */
export function memberForward(L: ParamLayout, p: Float64Array, C: Float64Array, n: number, Y: Float64Array): void {
  const { widths, nOut } = L.arch;
  for (let l = 0; l < widths.length; l++) {
    denseForward(C, L.total, n, L.fanIn[l], p, L.wOff[l], L.bOff[l], widths[l], C, L.total, L.fanIn[l], true);
  }
  denseForward(C, L.total, n, L.total, p, L.outW, L.outB, nOut, Y, nOut, 0, false);
}

/**
 * Backward pass after {@link memberForward}: adds d loss / d params into `grad` (same
 * layout as the parameters; caller zeroes it). dY [n x nOut] is d loss / d outputs.
 * G [n x total] is scratch for d loss / d activations and is overwritten.
 * Per layer, the nonzero ReLU gradients are gathered first; weight gradients then take
 * four rows per pass and activation gradients four units per pass (one load and store
 * of the accumulator per four multiply-adds).
 */
export function memberBackward(L: ParamLayout, p: Float64Array, C: Float64Array, n: number, dY: Float64Array, G: Float64Array, grad: Float64Array): void {
  const { d, widths, nOut } = L.arch;
  const ld = L.total;
  G.fill(0, 0, n * ld);
  for (let i = 0; i < n; i++) {
    const ci = i * ld;
    for (let o = 0; o < nOut; o++) {
      const g = dY[i * nOut + o];
      if (g === 0) continue;
      grad[L.outB + o] += g;
      const wr = L.outW + o * ld;
      for (let j = 0; j < d; j++) grad[wr + j] += g * C[ci + j];
      for (let j = d; j < ld; j++) {
        grad[wr + j] += g * C[ci + j];
        G[ci + j] += g * p[wr + j];
      }
    }
  }
  const idx = scratchIndex(Math.max(n, ...widths));
  for (let l = widths.length - 1; l >= 0; l--) {
    const f = L.fanIn[l];
    const w = widths[l];
    // dZ = G(h columns) masked by the ReLU, in place.
    for (let i = 0; i < n; i++) {
      const h = i * ld + f;
      for (let u = 0; u < w; u++) if (C[h + u] <= 0) G[h + u] = 0;
    }
    weightGrad(C, G, ld, n, f, w, L.wOff[l], L.bOff[l], grad, idx);
    if (l > 0) inputGrad(p, G, ld, n, d, f, w, L.wOff[l], idx);
  }
}

let indexBuf = new Int32Array(64);
function scratchIndex(size: number): Int32Array {
  if (indexBuf.length < size) indexBuf = new Int32Array(size);
  return indexBuf;
}

/** grad W[u][j] += sum_i dZ[i][u] C[i][j], grad b[u] += sum_i dZ[i][u]; dZ[i][u] = G[i*ld + f + u]. */
function weightGrad(
  C: Float64Array,
  G: Float64Array,
  ld: number,
  n: number,
  f: number,
  w: number,
  wOff: number,
  bOff: number,
  grad: Float64Array,
  rows: Int32Array,
): void {
  for (let u = 0; u < w; u++) {
    let k = 0;
    let bsum = 0;
    for (let i = 0; i < n; i++) {
      const g = G[i * ld + f + u];
      if (g !== 0) {
        rows[k++] = i;
        bsum += g;
      }
    }
    if (k === 0) continue;
    grad[bOff + u] += bsum;
    const wr = wOff + u * f;
    let q = 0;
    for (; q + 4 <= k; q += 4) {
      const r0 = rows[q] * ld,
        r1 = rows[q + 1] * ld,
        r2 = rows[q + 2] * ld,
        r3 = rows[q + 3] * ld;
      const g0 = G[r0 + f + u],
        g1 = G[r1 + f + u],
        g2 = G[r2 + f + u],
        g3 = G[r3 + f + u];
      for (let j = 0; j < f; j++) grad[wr + j] += g0 * C[r0 + j] + g1 * C[r1 + j] + g2 * C[r2 + j] + g3 * C[r3 + j];
    }
    for (; q < k; q++) {
      const r0 = rows[q] * ld;
      const g0 = G[r0 + f + u];
      for (let j = 0; j < f; j++) grad[wr + j] += g0 * C[r0 + j];
    }
  }
}

/** G[i][j] += sum_u dZ[i][u] W[u][j] for the hidden columns d <= j < f (inputs need no gradient). */
function inputGrad(p: Float64Array, G: Float64Array, ld: number, n: number, d: number, f: number, w: number, wOff: number, units: Int32Array): void {
  for (let i = 0; i < n; i++) {
    const ci = i * ld;
    let k = 0;
    for (let u = 0; u < w; u++) if (G[ci + f + u] !== 0) units[k++] = u;
    let q = 0;
    for (; q + 4 <= k; q += 4) {
      const u0 = units[q],
        u1 = units[q + 1],
        u2 = units[q + 2],
        u3 = units[q + 3];
      const g0 = G[ci + f + u0],
        g1 = G[ci + f + u1],
        g2 = G[ci + f + u2],
        g3 = G[ci + f + u3];
      const w0 = wOff + u0 * f,
        w1 = wOff + u1 * f,
        w2 = wOff + u2 * f,
        w3 = wOff + u3 * f;
      for (let j = d; j < f; j++) G[ci + j] += g0 * p[w0 + j] + g1 * p[w1 + j] + g2 * p[w2 + j] + g3 * p[w3 + j];
    }
    for (; q < k; q++) {
      const u0 = units[q];
      const g0 = G[ci + f + u0];
      const w0 = wOff + u0 * f;
      for (let j = d; j < f; j++) G[ci + j] += g0 * p[w0 + j];
    }
  }
}

/**
 * Summed MSE over outputs, mean over rows: (1/n) sum_i sum_o (Y - T)^2. When `dY` is
 * given it receives d loss / d Y = 2 (Y - T) / n.
 */
export function summedMse(Y: Float64Array, T: Float64Array, n: number, nOut: number, dY?: Float64Array): number {
  let s = 0;
  const k = n * nOut;
  for (let i = 0; i < k; i++) {
    const e = Y[i] - T[i];
    s += e * e;
    if (dY) dY[i] = (2 * e) / n;
  }
  return s / n;
}

/**
 * Gradient of the outputs with respect to the inputs after {@link memberForward}: for
 * row weights dY [n x nOut] (d loss / d outputs), writes dZ [n x d] = d loss / d inputs.
 * No weight gradients. G [n x total] is scratch.
 */
export function memberInputGradient(L: ParamLayout, p: Float64Array, C: Float64Array, n: number, dY: Float64Array, G: Float64Array, dZ: Float64Array): void {
  const { d, widths, nOut } = L.arch;
  const ld = L.total;
  G.fill(0, 0, n * ld);
  for (let i = 0; i < n; i++) {
    const ci = i * ld;
    for (let o = 0; o < nOut; o++) {
      const g = dY[i * nOut + o];
      if (g === 0) continue;
      const wr = L.outW + o * ld;
      for (let j = 0; j < ld; j++) G[ci + j] += g * p[wr + j];
    }
  }
  const idx = scratchIndex(Math.max(n, ...widths));
  for (let l = widths.length - 1; l >= 0; l--) {
    const f = L.fanIn[l];
    for (let i = 0; i < n; i++) {
      const h = i * ld + f;
      for (let u = 0; u < widths[l]; u++) if (C[h + u] <= 0) G[h + u] = 0;
    }
    inputGrad(p, G, ld, n, 0, f, widths[l], L.wOff[l], idx);
  }
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) dZ[i * d + j] = G[i * ld + j];
}
