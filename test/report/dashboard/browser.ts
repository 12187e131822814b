import { chromium, type Browser } from "playwright-core";
import { CHROMIUM_FLAGS, ensureChromium } from "../headlessBrowser.js";

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
    args: [...CHROMIUM_FLAGS, "--disable-dev-shm-usage"],
  });
}
