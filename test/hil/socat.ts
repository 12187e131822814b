import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installDebianPackageOnce } from "../helpers/debianPackage.js";

/** Debian's socat (makes the pseudo-terminal pairs the serial drivers are tested over). */
export function socatPath(): string | undefined {
  return ["/usr/bin/socat", "/usr/local/bin/socat", "/bin/socat"].find((p) => existsSync(p));
}

/** Where the test setup records why socat could not be installed. */
const ATTEMPT_MARKER = join(tmpdir(), "sdfl-socat-install-attempt.txt");

/**
 * Why the pseudo-terminal tests cannot run, or undefined when socat is there. With
 * SDFL_REQUIRE_SOCAT=1 (this project's CI) a missing socat fails the tests instead.
 */
export function socatMissing(): string | undefined {
  if (socatPath()) return undefined;
  const why = existsSync(ATTEMPT_MARKER)
    ? `the test setup's \`apt-get install -y socat\` failed: ${readFileSync(ATTEMPT_MARKER, "utf8").slice(0, 300)}`
    : "socat is not installed";
  if (process.env.SDFL_REQUIRE_SOCAT === "1") throw new Error(`${why} (SDFL_REQUIRE_SOCAT=1)`);
  return why;
}

/** Install socat once per machine (called by test/globalSetup.ts), like chromium. */
export async function installSocatOnce(timeoutMs = 300_000): Promise<void> {
  await installDebianPackageOnce("socat", () => socatPath() !== undefined, ATTEMPT_MARKER, timeoutMs);
}
