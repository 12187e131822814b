#!/usr/bin/env node
// The `sdfl` command. The TypeScript sources are compiled to dist/ by `npm ci` (prepare).
import { main } from "../dist/src/cli/main.js";

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(`internal error: ${e?.message ?? e}`);
    process.exitCode = 1;
  },
);
