import { readFileSync } from "node:fs";

/**
 * sdfl's version, read from its package.json (the one source of truth). Found by walking
 * up from this module: src/core (sources) or dist/src/core (compiled).
 */
function readVersion(): string {
  for (const up of ["../../package.json", "../../../package.json"]) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(up, import.meta.url), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "sdfl" && typeof pkg.version === "string") return pkg.version;
    } catch {
      // not at this level; try the next
    }
  }
  return "unknown";
}

/** The version of this sdfl (package.json "version"). */
export const VERSION: string = readVersion();
