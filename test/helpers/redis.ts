import { existsSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { redisServerPath, startLocalRedis, type LocalRedis } from "../../benchmarks/redisServer.js";
import { installDebianPackageOnce } from "./debianPackage.js";

/** Where the test setup records why redis-server could not be installed. */
export const REDIS_ATTEMPT_MARKER = join(tmpdir(), "sdfl-redis-install-attempt.txt");

/** Test setup: `apt-get install -y redis-server` when it is missing (once per machine). */
export function installRedisOnce(): Promise<void> {
  return installDebianPackageOnce("redis-server", () => !!redisServerPath(), REDIS_ATTEMPT_MARKER);
}

/** A real redis-server on a free loopback port; the error says why when there is none. */
export async function startTestRedis(): Promise<LocalRedis> {
  if (!redisServerPath() && existsSync(REDIS_ATTEMPT_MARKER))
    throw new Error(`redis-server is missing; the test setup's apt-get install failed: ${readFileSync(REDIS_ATTEMPT_MARKER, "utf8").slice(0, 300)}`);
  return startLocalRedis();
}
