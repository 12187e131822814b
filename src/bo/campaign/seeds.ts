/**
 * Independent seeds for the random streams of one run (design, lab noise, strategy),
 * derived from the user's seed so that changing one stream's use leaves the others alone.
 * FNV-1a over the stream name and the seed.
 */
export function deriveSeed(seed: number, stream: "design" | "noise" | "strategy" | string): number {
  let h = 0x811c9dc5;
  const text = `${stream}:${seed}`;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
