import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith(".ts") ? [join(dir, e.name)] : [],
  );
}

describe("src/hil is the hardware package", () => {
  it("no file in src/hil imports src/sim, src/cli or src/report", () => {
    const bad = tsFiles("src/hil").flatMap((f) =>
      [...readFileSync(f, "utf8").matchAll(/from\s+"([^"]+)"/g)]
        .map((m) => m[1])
        .filter((p) => /(^|\/)(sim|cli|report)\//.test(p))
        .map((p) => `${f}: ${p}`),
    );
    expect(bad).toEqual([]);
  });
});
