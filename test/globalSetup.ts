import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { installChromiumOnce } from "./report/headlessBrowser.js";
import { installSocatOnce } from "./hil/socat.js";
import { installRedisOnce } from "./helpers/redis.js";

/**
 * Test setup, run once before any test file: installs what the tests need (chromium for the
 * report checks, socat for the serial-port tests, redis-server for the bench queue), and
 * gives the run one temporary root (TMPDIR, inherited by the test workers and every process
 * they start) that the returned teardown removes, so a run leaves no stores, spectra or
 * twins behind in the system's temporary folder.
 */
export default async function setup(): Promise<() => void> {
  await installChromiumOnce();
  await installSocatOnce();
  await installRedisOnce();
  const root = mkdtempSync(join(tmpdir(), "sdfl-test-"));
  process.env.TMPDIR = root;
  return () => rmSync(root, { recursive: true, force: true });
}
