import { expect } from "vitest";

/**
 * Assert that `f(theta).gradient` matches central finite differences of `f(theta).value` in
 * every coordinate: |g_k - fd_k| < tol (1 + |fd_k|), with step h.
 */
export function expectGradientMatchesCentralDifferences(
  f: (theta: number[]) => { value: number; gradient: ArrayLike<number> },
  theta: readonly number[],
  h = 1e-5,
  tol = 1e-4,
): void {
  const { gradient } = f(theta.slice());
  expect(gradient.length).toBe(theta.length);
  theta.forEach((_, k) => {
    const tp = theta.slice();
    const tm = theta.slice();
    tp[k] += h;
    tm[k] -= h;
    const fd = (f(tp).value - f(tm).value) / (2 * h);
    expect(Math.abs(gradient[k] - fd)).toBeLessThan(tol * (1 + Math.abs(fd)));
  });
}
