import { installChromiumOnce } from "./report/headlessBrowser.js";
import { installSocatOnce } from "./hil/socat.js";

/** Test setup, run once before any test file: installs what the tests need (chromium for the report checks, socat for the serial-port tests). */
export default async function setup(): Promise<void> {
  await installChromiumOnce();
  await installSocatOnce();
}
