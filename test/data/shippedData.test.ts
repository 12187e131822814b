import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { dataRootCandidates, findDataRoot, shippedDataRoot } from "../../src/twin/dataPaths.js";
import { packageRoot } from "../../src/core/packageRoot.js";

/** Every row of the table in data/README.md: file and SHA-256. */
function listedHashes(): Array<{ file: string; sha256: string }> {
  const readme = readFileSync(join(packageRoot(), "data", "README.md"), "utf8");
  const rows = [...readme.matchAll(/^\| `(sdfl-2025\/[^`]+)` \| `([0-9a-f]{64})` \|/gm)];
  return rows.map((m) => ({ file: m[1]!, sha256: m[2]! }));
}

describe("the shipped published data (data/sdfl-2025)", () => {
  it("data/README.md lists all eight files, and each file has the SHA-256 listed there", () => {
    const listed = listedHashes();
    expect(listed.map((r) => r.file).sort()).toEqual(
      [
        ...["chem1", "chem2", "chem3"].flatMap((c) => [`sdfl-2025/lhs/${c}/inputs.csv`, `sdfl-2025/lhs/${c}/outputs.csv`]),
        "sdfl-2025/twins/chem1.json",
        "sdfl-2025/twins/chem1_predictions.csv",
      ].sort(),
    );
    for (const { file, sha256 } of listed) {
      const actual = createHash("sha256").update(readFileSync(join(packageRoot(), "data", file))).digest("hex");
      expect(actual, file).toBe(sha256);
    }
  });

  it("is the data root when neither --data nor SDFL_DATA names one, from any working folder", () => {
    expect(findDataRoot({}, "/")).toBe(shippedDataRoot());
    expect(dataRootCandidates({}, "/tmp")).toEqual([shippedDataRoot()]);
  });

  it("never looks outside the repository", () => {
    for (const c of dataRootCandidates({}, process.cwd())) expect(c.startsWith(packageRoot())).toBe(true);
  });
});
