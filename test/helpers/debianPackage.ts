import { existsSync, writeFileSync } from "node:fs";
import { runProcess } from "./runProcess.js";

/**
 * Install a Debian package with apt-get if `isInstalled()` says it is missing (test
 * setup only; the pattern of the chromium install). The package lists are refreshed once
 * if the first attempt fails. A failure is written to `marker` so it is tried once per machine.
 */
export async function installDebianPackageOnce(pkg: string, isInstalled: () => boolean, marker: string, timeoutMs = 300_000): Promise<void> {
  if (isInstalled() || existsSync(marker)) return;
  let why: string;
  try {
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    let r = await runProcess("apt-get", ["install", "-y", pkg], { env, timeoutMs });
    if (isInstalled()) return;
    await runProcess("apt-get", ["update"], { env, timeoutMs });
    r = await runProcess("apt-get", ["install", "-y", pkg], { env, timeoutMs });
    if (isInstalled()) return;
    why = `apt-get exited ${r.code ?? r.signal}: ${r.stderr.trim().split("\n").slice(-2).join(" ")}`;
  } catch (e) {
    why = (e as Error).message;
  }
  writeFileSync(marker, why);
}
