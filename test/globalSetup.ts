import { installChromiumOnce } from "./report/headlessBrowser.js";
import { installSocatOnce } from "./hil/socat.js";
import { installRedisOnce } from "./helpers/redis.js";

/** Test setup, run once before any test file: installs what the tests need (chromium for the report checks, socat for the serial-port tests, redis-server for the bench queue). */
export default async function setup(): Promise<void> {
  await installChromiumOnce();
  await installSocatOnce();
  await installRedisOnce();
}
