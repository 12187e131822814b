/**
 * Standard optimisation test functions, as used in the BO literature, written on the
 * unit cube of the 5-D reactor space so they can stand in for the reactor.
 * Each is a maximisation problem here: `f` is the negated classic (minimised) function.
 */
export interface TestFunction {
  readonly name: string;
  /** Value at a point of the 5-D unit cube (normalised T, CuI, ZnI2, CsOA, ODE). */
  f(z: readonly number[]): number;
  /** Known global maximum of `f` over the unit cube. */
  readonly max: number;
  /** Where the maximum is (one of them), unit cube. */
  readonly argmax: readonly number[];
  /** Global minimum of `f` over the unit cube (lower end of the range, for scaling). */
  readonly min: number;
  /** How the classic function is embedded in five dimensions. */
  readonly embedding: string;
}

/**
 * Branin-Hoo on x1 in [-5, 10], x2 in [0, 15], from the first two inputs (T, CuI); the
 * other three inputs have no effect. Classic minimum 0.397887 at three points; the
 * maximum of the classic on the box is 308.1291 at (-5, 0).
 */
export const BRANIN: TestFunction = {
  name: "branin",
  f: (z) => -branin(-5 + 15 * z[0], 15 * z[1]),
  max: -0.39788735772973816,
  argmax: [(Math.PI + 5) / 15, 2.275 / 15, 0.5, 0.5, 0.5],
  min: -branin(-5, 0),
  embedding: "classic Branin on (T, CuI) scaled to [-5,10] x [0,15]; ZnI2, CsOA, ODE have no effect",
};

/** Branin-Hoo, classic form (minimised). */
export function branin(x1: number, x2: number): number {
  const b = 5.1 / (4 * Math.PI * Math.PI);
  const c = 5 / Math.PI;
  const t = 1 / (8 * Math.PI);
  return (x2 - b * x1 * x1 + c * x1 - 6) ** 2 + 10 * (1 - t) * Math.cos(x1) + 10;
}

const H_ALPHA = [1.0, 1.2, 3.0, 3.2];
const H_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
];
const H_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((row) => row.map((v) => v * 1e-4));

/** Sixth coordinate of the Hartmann-6 optimum; fixed so the 5-D slice keeps the global optimum. */
const H6_X6 = 0.65730053;

/**
 * Hartmann-6 with its sixth coordinate fixed at the optimum's (0.6573): the five inputs
 * are the first five coordinates, so the 5-D maximum is the classic one, 3.32237, at
 * (0.20169, 0.15001, 0.47687, 0.27533, 0.31165).
 */
export const HARTMANN6: TestFunction = {
  name: "hartmann6",
  f: (z) => -hartmann6([z[0], z[1], z[2], z[3], z[4], H6_X6]),
  max: 3.3223680114155147,
  argmax: [0.20168952, 0.15001069, 0.47687398, 0.27533243, 0.31165162],
  min: 0,
  embedding: "classic Hartmann-6 on the 5 inputs with x6 fixed at 0.6573 (the optimum's sixth coordinate)",
};

/** Hartmann-6, classic form (minimised, minimum -3.32237), x in [0, 1]^6. */
export function hartmann6(x: readonly number[]): number {
  let s = 0;
  for (let i = 0; i < 4; i++) {
    let inner = 0;
    for (let j = 0; j < 6; j++) inner += H_A[i][j] * (x[j] - H_P[i][j]) ** 2;
    s += H_ALPHA[i] * Math.exp(-inner);
  }
  return -s;
}

/** The built-in test functions by name. */
export const TEST_FUNCTIONS: Record<string, TestFunction> = { branin: BRANIN, hartmann6: HARTMANN6 };
