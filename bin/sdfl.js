#!/usr/bin/env node
// The `sdfl` command. The TypeScript sources are compiled to dist/ by `npm ci` (prepare).
import { main } from "../dist/src/cli/main.js";

let settled = false;
// Node exits with code 0 when nothing is left to wait for, even if a command is still
// waiting on a promise that can never settle (a user strategy or lab that never answers):
// that must be a failure, never a silent success.
process.on("beforeExit", () => {
  if (settled) return;
  settled = true;
  process.stderr.write("error: sdfl stopped: a step never finished (a promise of a strategy or lab that never settles); nothing more can happen\n");
  process.exitCode = 1;
});

main(process.argv.slice(2)).then(
  (code) => {
    settled = true;
    process.exitCode = code;
  },
  (e) => {
    settled = true;
    console.error(`internal error: ${e?.message ?? e}`);
    process.exitCode = 1;
  },
);
