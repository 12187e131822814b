import { installChromiumOnce } from "./report/headlessBrowser.js";

/** Test setup, run once before any test file: installs what the tests need (chromium for the report checks). */
export default async function setup(): Promise<void> {
  await installChromiumOnce();
}
