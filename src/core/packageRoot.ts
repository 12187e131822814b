import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

let cached: string | undefined;

/**
 * The folder of sdfl's own package.json, found by walking up from this module: the same
 * answer from src/ (tests), dist/ (the built command) and an installed copy, whatever the
 * working folder is.
 */
export function packageRoot(): string {
  if (cached !== undefined) return cached;
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = join(dir, "package.json");
    if (existsSync(pkg)) {
      try {
        if ((JSON.parse(readFileSync(pkg, "utf8")) as { name?: string }).name === "sdfl") return (cached = dir);
      } catch {
        // not ours or unreadable: keep walking up
      }
    }
    const up = dirname(dir);
    if (up === dir) throw new Error("sdfl's package.json was not found above " + fileURLToPath(import.meta.url));
    dir = up;
  }
}
