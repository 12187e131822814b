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

/**
 * Text wrapped at spaces into lines of at most `maxChars` (a word longer than that gets a
 * line of its own, shortened by {@link fitTitle}); at most `maxLines` lines, the last one
 * shortened with an ellipsis when the text does not fit.
 */
export function wrapText(text: string, maxChars: number, maxLines = 2): string[] {
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(/\s+/).filter(Boolean)) {
    if (line && line.length + 1 + word.length > maxChars) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(line);
  if (lines.length <= maxLines) return lines.map((l) => fitTitle(l, maxChars));
  const head = lines.slice(0, maxLines - 1).map((l) => fitTitle(l, maxChars));
  return [...head, fitTitle(lines.slice(maxLines - 1).join(" "), maxChars)];
}
