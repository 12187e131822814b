import type { Rng } from "../../core/rng.js";
import { JOE_KUO_6_21201, SOBOL_MAX_DIMENSION } from "./sobolDirections.js";

const BITS = 32;
const SCALE = 2 ** -32;

/** 32-bit direction numbers v[j][k] (k = 0..31) for dimension j, from the Joe-Kuo table. */
function directionNumbers(dim: number): Uint32Array[] {
  const v: Uint32Array[] = [];
  const first = new Uint32Array(BITS);
  for (let k = 0; k < BITS; k++) first[k] = (1 << (31 - k)) >>> 0;
  v.push(first);
  for (let j = 1; j < dim; j++) {
    const [s, a, ...m] = JOE_KUO_6_21201[j - 1];
    const vj = new Uint32Array(BITS);
    for (let k = 0; k < s && k < BITS; k++) vj[k] = (m[k] << (31 - k)) >>> 0;
    for (let k = s; k < BITS; k++) {
      let val = (vj[k - s] ^ (vj[k - s] >>> s)) >>> 0;
      for (let b = 1; b < s; b++) {
        if ((a >>> (s - 1 - b)) & 1) val = (val ^ vj[k - b]) >>> 0;
      }
      vj[k] = val;
    }
    v.push(vj);
  }
  return v;
}

/**
 * A Sobol low-discrepancy sequence in [0, 1)^d (d <= 21), generated in Gray-code order.
 * With an {@link Rng} the sequence is randomised by a digital shift (each coordinate's
 * 32 bits XORed with a random word), which keeps its net structure; without one it is
 * the plain sequence starting at the origin.
 */
export class SobolSequence {
  readonly dim: number;
  private readonly v: Uint32Array[];
  private readonly shift: Uint32Array;
  private readonly state: Uint32Array;
  private index = 0;

  constructor(dim: number, rng?: Rng) {
    if (!Number.isInteger(dim) || dim < 1 || dim > SOBOL_MAX_DIMENSION) {
      throw new RangeError(`Sobol dimension must be an integer from 1 to ${SOBOL_MAX_DIMENSION}, got ${dim}`);
    }
    this.dim = dim;
    this.v = directionNumbers(dim);
    this.shift = new Uint32Array(dim);
    if (rng) for (let j = 0; j < dim; j++) this.shift[j] = rng.nextUint32();
    this.state = new Uint32Array(dim);
  }

  /** The next point, shape [d], each coordinate in [0, 1). */
  next(): number[] {
    const out = new Array<number>(this.dim);
    for (let j = 0; j < this.dim; j++) out[j] = ((this.state[j] ^ this.shift[j]) >>> 0) * SCALE;
    // Advance: flip the direction number of the lowest zero bit of the index.
    let c = 0;
    let i = this.index;
    while (i & 1) {
      i >>>= 1;
      c++;
    }
    if (c >= BITS) throw new RangeError("Sobol sequence exhausted (2^32 points)");
    for (let j = 0; j < this.dim; j++) this.state[j] = (this.state[j] ^ this.v[j][c]) >>> 0;
    this.index++;
    return out;
  }

  /** The next n points, shape [n][d]. */
  draw(n: number): number[][] {
    const pts: number[][] = [];
    for (let k = 0; k < n; k++) pts.push(this.next());
    return pts;
  }
}

/** n scrambled Sobol points in [0, 1)^d (a seeded design). Shape [n][d]. */
export function sobolDesign(n: number, d: number, rng: Rng): number[][] {
  return new SobolSequence(d, rng).draw(n);
}
