/** A candidate point with its objective value. */
export interface Candidate {
  x: number[];
  value: number;
}

/** Keeps the k best candidates seen (by value, NaN treated as -Infinity), sorted best first. */
export class TopK {
  readonly items: Candidate[] = [];
  constructor(private readonly k: number) {}

  offer(x: number[], value: number): void {
    const v = Number.isNaN(value) ? -Infinity : value;
    if (this.items.length >= this.k && v <= this.items[this.items.length - 1].value) return;
    let i = this.items.length;
    while (i > 0 && this.items[i - 1].value < v) i--;
    this.items.splice(i, 0, { x, value: v });
    if (this.items.length > this.k) this.items.pop();
  }
}

/**
 * `count` starting points from candidates sorted best first: greedily the best ones at
 * least `separation` apart (so restarts explore different basins), then the best of the
 * rest if too few are that far apart.
 */
export function selectStarts(sorted: readonly Candidate[], count: number, separation: number): number[][] {
  const chosen: number[][] = [];
  for (const c of sorted) {
    if (chosen.length >= count) break;
    if (chosen.every((x) => Math.hypot(...x.map((v, i) => v - c.x[i])) >= separation)) chosen.push(c.x);
  }
  for (const c of sorted) {
    if (chosen.length >= count) break;
    if (!chosen.includes(c.x)) chosen.push(c.x);
  }
  return chosen;
}
