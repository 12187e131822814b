/**
 * One cascade network member, as plain arrays: each hidden layer reads the inputs and
 * every earlier hidden layer's output (c = concat(z, h1, ..., h_{l-1})), ReLU; the
 * linear output layer reads all of c. Weights are row-major [out][in].
 */
export interface CascadeLayer {
  /** Shape [out][in]. */
  weight: number[][];
  /** Shape [out]. */
  bias: number[];
}

export interface CascadeMember {
  type: "cascade";
  hidden: CascadeLayer[];
  output: CascadeLayer;
}

/**
 * Forward pass of one member in plain JavaScript (float64) for n normalised points.
 * @param z  unit-cube inputs, row-major [n][d] as a flat array
 * @returns  scaled outputs, row-major [n][outputs] as a flat array (still min-max scaled)
 */
export function cascadeForward(member: CascadeMember, z: Float64Array, n: number, d: number): Float64Array {
  const widths = member.hidden.map((l) => l.bias.length);
  const total = d + widths.reduce((a, b) => a + b, 0);
  const nOut = member.output.bias.length;
  const c = new Float64Array(total);
  const out = new Float64Array(n * nOut);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) c[j] = z[i * d + j];
    let filled = d;
    for (const layer of member.hidden) {
      const w = layer.weight;
      for (let u = 0; u < layer.bias.length; u++) {
        const row = w[u];
        let s = layer.bias[u];
        for (let j = 0; j < filled; j++) s += row[j] * c[j];
        c[filled + u] = s > 0 ? s : 0;
      }
      filled += layer.bias.length;
    }
    for (let o = 0; o < nOut; o++) {
      const row = member.output.weight[o];
      let s = member.output.bias[o];
      for (let j = 0; j < total; j++) s += row[j] * c[j];
      out[i * nOut + o] = s;
    }
  }
  return out;
}
