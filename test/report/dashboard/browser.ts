import { chromium, type Browser } from "playwright-core";
import { ensureChromium } from "../headlessBrowser.js";

/**
 * Debian's chromium driven by playwright-core, with the flags for this closed network
 * (no background requests, no GPU, no sandbox in containers). The test setup installs
 * chromium (test/globalSetup.ts); a missing browser is an error, not a skip.
 */
export async function launchChromium(): Promise<Browser> {
  const c = ensureChromium();
  if (!c.path) throw new Error(`the dashboard tests need chromium: ${c.reason}`);
  return chromium.launch({
    executablePath: c.path,
    headless: true,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}
