import { spawnSync } from "node:child_process";
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** Debian's chromium, or $SDFL_CHROMIUM ("none" turns the browser checks off). */
export function chromiumPath(): string | undefined {
  if (process.env.SDFL_CHROMIUM === "none") return undefined;
  const candidates = [process.env.SDFL_CHROMIUM, "/usr/bin/chromium", "/usr/bin/chromium-browser"].filter(Boolean) as string[];
  return candidates.find((p) => existsSync(p));
}

const ATTEMPT_MARKER = join(tmpdir(), "sdfl-chromium-install-attempt.txt");
const INSTALL_LOCK = join(tmpdir(), "sdfl-chromium-install.lock");

/**
 * Find chromium; if absent, try `apt-get install -y chromium` ONCE per machine, with a
 * timeout. Test files running in parallel share the attempt: one holds a lock file and
 * installs, the others wait for it; a marker in the temp folder remembers a failure.
 * @returns the executable, or why there is none (for the skip message)
 */
export function ensureChromium(timeoutMs = 240_000): { path?: string; reason?: string } {
  const found = chromiumPath();
  if (found) return { path: found };
  if (process.env.SDFL_CHROMIUM === "none") return { reason: "SDFL_CHROMIUM=none turns the browser checks off" };
  const failed = (): { reason: string } => ({ reason: `chromium is not installed; the install attempt failed: ${readFileSync(ATTEMPT_MARKER, "utf8").slice(0, 300)}` });
  if (existsSync(ATTEMPT_MARKER)) return failed();
  let fd: number | undefined;
  try {
    fd = openSync(INSTALL_LOCK, "wx");
  } catch {
    // Another test file is installing: wait for it to finish.
    const until = Date.now() + timeoutMs;
    while (existsSync(INSTALL_LOCK) && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 500);
    const after = chromiumPath();
    if (after) return { path: after };
    return existsSync(ATTEMPT_MARKER) ? failed() : { reason: "chromium is not installed and another process's install attempt did not finish" };
  }
  try {
    const r = spawnSync("apt-get", ["install", "-y", "chromium"], { timeout: timeoutMs, encoding: "utf8", env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" } });
    const after = chromiumPath();
    if (after) return { path: after };
    const why = r.error ? r.error.message : `apt-get exited ${r.status}: ${(r.stderr ?? "").trim().split("\n").slice(-2).join(" ")}`;
    writeFileSync(ATTEMPT_MARKER, why);
    return { reason: `chromium is not installed and \`apt-get install -y chromium\` failed (${why}); install it to run the browser check` };
  } finally {
    closeSync(fd);
    rmSync(INSTALL_LOCK, { force: true });
  }
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

/**
 * Load a local HTML file in headless chromium (flags for this closed network, a fresh
 * profile), let it run its scripts, and read the render status from the dumped DOM.
 */
export function renderInChromium(chromium: string, htmlFile: string, timeoutMs = 60_000): RenderResult {
  const profile = mkdtempSync(join(tmpdir(), "sdfl-chromium-"));
  try {
    const r = spawnSync(chromium, [
      "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
      "--disable-background-networking", "--disable-component-update", "--disable-sync",
      `--user-data-dir=${profile}`, "--virtual-time-budget=5000", "--allow-file-access-from-files",
      "--dump-dom", pathToFileURL(htmlFile).href,
    ], { encoding: "utf8", timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
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
