import { describe, expect, it } from "vitest";
import { main } from "../../src/cli/main.js";
import type { CommandIO } from "../../src/cli/command.js";

function capture(): CommandIO & { stdout: string; stderr: string } {
  const io = {
    stdout: "",
    stderr: "",
    out(t: string) {
      io.stdout += t;
    },
    err(t: string) {
      io.stderr += t;
    },
    progress(t: string) {
      io.stderr += t;
    },
    cwd: process.cwd(),
    env: process.env,
  };
  return io;
}

describe("sdfl command line", () => {
  it("--help lists commands and exits 0", async () => {
    const io = capture();
    expect(await main(["--help"], io)).toBe(0);
    expect(io.stdout).toMatch(/usage: sdfl <command>/);
  });
  it("an unknown command is a usage error (exit 2) without a stack trace", async () => {
    const io = capture();
    expect(await main(["frobnicate"], io)).toBe(2);
    expect(io.stderr).toMatch(/unknown command "frobnicate"/);
    expect(io.stderr).not.toMatch(/at .*\.js:\d+/);
  });
});
