import { basename } from "node:path";

/**
 * A figure title that fits: absolute file paths are cut to their file name, and a title
 * still longer than `maxChars` loses its middle to an ellipsis (never clipped at the
 * figure's edge). `maxChars` is about width / 7 for 12-14 px sans-serif text.
 */
export function fitTitle(title: string, maxChars: number): string {
  const short = title.replace(/(?:[A-Za-z]:)?[\\/](?:[^\s\\/:]+[\\/])+([^\s\\/]+)/g, (_m, file: string) => basename(file));
  if (short.length <= maxChars) return short;
  const keep = Math.max(4, maxChars - 1);
  const head = Math.ceil(keep * 0.6);
  return `${short.slice(0, head)}\u2026${short.slice(short.length - (keep - head))}`;
}
