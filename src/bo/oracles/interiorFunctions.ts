import type { TestFunction } from "./testFunctions.js";

/**
 * Styblinski-Tang in five dimensions on [-5, 5]^5 (each input of the unit cube scaled to
 * it): 2^5 local optima, the global one inside the box at x_i = -2.903534 (unit 0.20965),
 * classic minimum -39.16617 per dimension. Maximised here: f = -ST.
 */
export const STYBLINSKI_TANG5: TestFunction = {
  name: "styblinski-tang",
  f: (z) => -z.reduce((s, v) => s + styblinskiTang1(-5 + 10 * v), 0),
  max: 5 * 39.16616570377142,
  argmax: new Array(5).fill((5 - 2.903534027771178) / 10),
  min: -5 * styblinskiTang1(5),
  embedding: "classic Styblinski-Tang on the 5 inputs scaled to [-5, 5]; interior global optimum, 32 local optima",
};

/** One term of Styblinski-Tang, (x^4 - 16 x^2 + 5 x) / 2. */
function styblinskiTang1(x: number): number {
  return (x ** 4 - 16 * x * x + 5 * x) / 2;
}
