import { spawnSync } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { packageRoot } from "../src/core/packageRoot.js";

/**
 * The quick-mode input of the scripts that read `sdfl bench` output folders (bo-goals,
 * bo-recommendation-replay): a 2-seed `sdfl bench --quick` sweep of `strategies`
 * (comma-separated) on the branin-reactor5d oracle, written to a fresh temporary folder,
 * whose path is returned. Exits 1 with `tool`'s name if the sweep fails.
 */
export function quickBenchSweep(tool: string, strategies: string): string {
  const dir = mkdtempSync(join(tmpdir(), `sdfl-${tool}-`));
  const args = ["bench", "--quick", "--oracle", "branin-reactor5d", "--strategy", strategies, "--seeds", "2", "--workers", "0", "--out", dir, "--quiet"];
  const r = spawnSync(process.execPath, [join(packageRoot(), "bin", "sdfl.js"), ...args], { stdio: ["ignore", "ignore", "inherit"] });
  if (r.status !== 0) {
    console.error(`${tool}: the quick sweep failed (exit ${r.status})`);
    process.exit(1);
  }
  return dir;
}
