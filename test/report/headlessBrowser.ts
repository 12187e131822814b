import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { runProcess } from "../helpers/runProcess.js";
import { installDebianPackageOnce } from "../helpers/debianPackage.js";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** Debian's chromium, or $SDFL_CHROMIUM ("none" turns the browser checks off). */
export function chromiumPath(): string | undefined {
  if (process.env.SDFL_CHROMIUM === "none") return undefined;
  const candidates = [process.env.SDFL_CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean) as string[];
  return candidates.find((p) => existsSync(p));
}

/** Where the test setup (test/globalSetup.ts) records why chromium could not be installed. */
export const ATTEMPT_MARKER = join(tmpdir(), "sdfl-chromium-install-attempt.txt");

/**
 * Chromium for the browser checks, or why there is none (for the skip message). The
 * install itself (`apt-get install -y chromium`, once per machine) is done by the test
 * setup before any test runs, so no test blocks on it.
 */
export function ensureChromium(): { path?: string; reason?: string } {
  const found = chromiumPath();
  if (found) return { path: found };
  if (process.env.SDFL_CHROMIUM === "none") return { reason: "SDFL_CHROMIUM=none turns the browser checks off" };
  if (existsSync(ATTEMPT_MARKER))
    return {
      reason: `chromium is not installed; the test setup's \`apt-get install -y chromium\` failed: ${readFileSync(ATTEMPT_MARKER, "utf8").slice(0, 300)}`,
    };
  return { reason: "chromium is not installed (install it with `apt-get install -y chromium` to run the browser checks)" };
}

/**
 * Install Debian's chromium if it is missing (test setup only). A failure is remembered
 * in {@link ATTEMPT_MARKER} so that it is tried once per machine.
 */
export async function installChromiumOnce(timeoutMs = 300_000): Promise<void> {
  if (process.env.SDFL_CHROMIUM === "none") return;
  await installDebianPackageOnce("chromium", () => chromiumPath() !== undefined, ATTEMPT_MARKER, timeoutMs);
}

/** What the page's render check (src/report/html.ts) reported, read from the dumped DOM. */
export interface RenderResult {
  status: string | undefined;
  figures: number;
  missingFigures: number;
  errors: string | undefined;
  dom: string;
  stderr: string;
}

/** Headless chromium flags for this machine's closed network (no background connections, no sandbox as root). */
export const CHROMIUM_FLAGS: readonly string[] = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];

/**
 * Load a local HTML file in headless chromium (flags for this closed network, a fresh
 * profile), let it run its scripts, and read the render status from the dumped DOM.
 */
export async function renderInChromium(chromium: string, htmlFile: string, timeoutMs = 60_000): Promise<RenderResult> {
  const profile = mkdtempSync(join(tmpdir(), "sdfl-chromium-"));
  try {
    const r = await runProcess(
      chromium,
      [
        ...CHROMIUM_FLAGS,
        `--user-data-dir=${profile}`,
        "--virtual-time-budget=5000",
        "--allow-file-access-from-files",
        "--dump-dom",
        pathToFileURL(htmlFile).href,
      ],
      { timeoutMs },
    );
    const dom = r.stdout ?? "";
    const root = /<html[^>]*>/.exec(dom)?.[0] ?? "";
    const attr = (name: string): string | undefined => new RegExp(`${name}="([^"]*)"`).exec(root)?.[1];
    return {
      status: attr("data-render-status"),
      figures: Number(attr("data-figures") ?? NaN),
      missingFigures: Number(attr("data-missing-figures") ?? NaN),
      errors: attr("data-render-errors"),
      dom,
      stderr: r.stderr ?? "",
    };
  } finally {
    rmSync(profile, { recursive: true, force: true });
  }
}
