/**
 * The standard normal distribution, computed so that expected improvement stays finite
 * and accurate far in the tail (z down to -1e150 and beyond).
 *
 * Everything rests on erfcx(x) = exp(x^2) erfc(x), the scaled complementary error
 * function, which is O(1/x) for large x instead of underflowing like erfc.
 */

const SQRT2 = Math.SQRT2;
const SQRT_PI = Math.sqrt(Math.PI);
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);
const SQRT_HALF_PI = Math.sqrt(Math.PI / 2);

/** Scaled complementary error function exp(x^2) erfc(x). Finite for every finite x >= -26. */
export function erfcx(x: number): number {
  if (x < 0) {
    // erfc(-a) = 2 - erfc(a): erfcx(-a) = 2 exp(a^2) - erfcx(a) (overflows below about -26).
    return 2 * Math.exp(x * x) - erfcx(-x);
  }
  if (x < 2.5) {
    // erf by its everywhere-positive series erf(x) = 2/sqrt(pi) exp(-x^2) sum 2^n x^(2n+1) / (2n+1)!!
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 200; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
      if (term < 1e-17 * sum) break;
    }
    const ex2 = Math.exp(x2);
    // erfcx = exp(x^2) - 2/sqrt(pi) * sum (the erf part, already scaled by exp(x^2))
    return ex2 - (2 / SQRT_PI) * sum;
  }
  // Continued fraction erfcx(x) = 1/sqrt(pi) * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))),
  // evaluated backwards; 80 levels are plenty for x >= 2.5 (checked against scipy to 1e-15).
  let f = x;
  for (let k = 80; k >= 1; k--) f = x + k / 2 / f;
  return 1 / (SQRT_PI * f);
}

/** Complementary error function erfc(x) for any x. */
export function erfc(x: number): number {
  return x >= 0 ? Math.exp(-x * x) * erfcx(x) : 2 - Math.exp(-x * x) * erfcx(-x);
}

/** Standard normal density phi(z). */
export function normPdf(z: number): number {
  return Math.exp(-0.5 * z * z - LOG_SQRT_2PI);
}

/** log phi(z). */
export function logNormPdf(z: number): number {
  return -0.5 * z * z - LOG_SQRT_2PI;
}

/** Standard normal CDF Phi(z), relative accuracy kept in the lower tail. */
export function normCdf(z: number): number {
  return 0.5 * erfc(-z / SQRT2);
}

/** log Phi(z), finite for every finite z (about -z^2/2 - log(-z sqrt(2 pi)) far in the lower tail). */
export function logNormCdf(z: number): number {
  if (z < -1) return Math.log(0.5 * erfcx(-z / SQRT2)) - 0.5 * z * z;
  return Math.log1p(-0.5 * erfc(z / SQRT2));
}

/**
 * h(z) = phi(z) + z Phi(z), the expected improvement of a standard normal over -z
 * (EI = sigma h((mu - best) / sigma)). Underflows to 0 for z below about -38.
 */
export function eiHelper(z: number): number {
  if (z > -1) return normPdf(z) + z * normCdf(z);
  return Math.exp(logEiHelper(z));
}

/**
 * log h(z), finite and accurate for all finite z. For z < -1 it uses
 * h(z) = phi(z) (1 - |z| sqrt(pi/2) erfcx(|z|/sqrt 2)), and past |z| = 40, where that
 * difference cancels, the asymptotic series h(z) = phi(z)/z^2 (1 - 3/z^2 + 15/z^4 - ...).
 */
export function logEiHelper(z: number): number {
  if (z > -1) return Math.log(normPdf(z) + z * normCdf(z));
  const a = -z;
  if (a < 40) return logNormPdf(z) + Math.log1p(-a * SQRT_HALF_PI * erfcx(a / SQRT2));
  const u = 1 / (a * a);
  const series = 1 - 3 * u * (1 - 5 * u * (1 - 7 * u * (1 - 9 * u)));
  return logNormPdf(z) - 2 * Math.log(a) + Math.log(series);
}

/** Phi(z) / h(z) = d log h / dz, stable for all z (about -z for z far in the lower tail). */
export function cdfOverEiHelper(z: number): number {
  if (z > -1) return normCdf(z) / (normPdf(z) + z * normCdf(z));
  return Math.exp(logNormCdf(z) - logEiHelper(z));
}

/** phi(z) / h(z), stable for all z (about z^2 in the lower tail). */
export function pdfOverEiHelper(z: number): number {
  if (z > -1) return normPdf(z) / (normPdf(z) + z * normCdf(z));
  return Math.exp(logNormPdf(z) - logEiHelper(z));
}

// Coefficients of Acklam's rational approximation of the normal quantile (relative error
// 1.15e-9), refined below by one Halley step on normCdf to full double precision.
const QA = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const QB = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const QC = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const QD = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];

/**
 * Standard normal quantile Phi^-1(p) for p in (0, 1) (-Infinity at 0, Infinity at 1):
 * Acklam's approximation plus one Halley step, accurate to about 1e-15 relative.
 */
export function normQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  const low = 0.02425;
  let x: number;
  if (p < low || p > 1 - low) {
    const q = Math.sqrt(-2 * Math.log(p < low ? p : 1 - p));
    const v = (((((QC[0] * q + QC[1]) * q + QC[2]) * q + QC[3]) * q + QC[4]) * q + QC[5]) / ((((QD[0] * q + QD[1]) * q + QD[2]) * q + QD[3]) * q + 1);
    x = p < low ? v : -v;
  } else {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((QA[0] * r + QA[1]) * r + QA[2]) * r + QA[3]) * r + QA[4]) * r + QA[5]) * q) /
      (((((QB[0] * r + QB[1]) * r + QB[2]) * r + QB[3]) * r + QB[4]) * r + 1);
  }
  // Halley step on Phi(x) - p, in the tail where it is computed accurately.
  const e = x < 0 ? normCdf(x) - p : 1 - p - normCdf(-x);
  const u = e * Math.sqrt(2 * Math.PI) * Math.exp(0.5 * x * x);
  return x - u / (1 + 0.5 * x * u);
}
