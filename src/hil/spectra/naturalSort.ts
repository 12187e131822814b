/** Natural order of file names: digit runs compare as numbers ("Abs2" before "Abs10"), text case-insensitively. */
export function naturalCompare(a: string, b: string): number {
  const pa = a.split(/(\d+)/);
  const pb = b.split(/(\d+)/);
  for (let i = 0; i < Math.min(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === y) continue;
    const nx = /^\d+$/.test(x);
    const ny = /^\d+$/.test(y);
    if (nx && ny) return Number(x) - Number(y) || x.length - y.length;
    const c = x.toLowerCase().localeCompare(y.toLowerCase());
    if (c !== 0) return c;
  }
  return pa.length - pb.length;
}
