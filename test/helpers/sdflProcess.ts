import { spawn, type ChildProcess } from "node:child_process";
import { join, resolve } from "node:path";

const ROOT = resolve(import.meta.dirname, "../..");
/** The compiled `sdfl` command (npm test compiles first). */
export const SDFL_BIN = join(ROOT, "bin", "sdfl.js");

/** A long-running `sdfl` process (a worker, a controller) whose stderr a test can wait on. */
export interface LiveProcess {
  child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves when stderr matches `re` (rejects after `timeoutMs` or when the process exits first). */
  waitFor(re: RegExp, timeoutMs?: number): Promise<void>;
  /** Resolves with the exit code (null when killed by a signal). */
  exited: Promise<number | null>;
}

/** Start `sdfl args...` in the background. */
export function startSdfl(args: string[], o: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): LiveProcess {
  const child = spawn(process.execPath, [SDFL_BIN, ...args], { cwd: o.cwd ?? ROOT, env: o.env ?? process.env, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  const listeners = new Set<() => void>();
  child.stdout!.setEncoding("utf8").on("data", (d: string) => (out += d));
  child.stderr!.setEncoding("utf8").on("data", (d: string) => {
    err += d;
    for (const l of listeners) l();
  });
  const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor: (re, timeoutMs = 60_000) =>
      new Promise<void>((res, rej) => {
        const check = () => {
          if (re.test(err)) {
            cleanup();
            res();
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          rej(new Error(`timed out waiting for ${re} in stderr:\n${err.slice(-2000)}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        void exited.then(() => {
          if (!re.test(err)) {
            cleanup();
            rej(new Error(`process exited before ${re} appeared in stderr:\n${err.slice(-2000)}`));
          }
        });
        check();
      }),
  };
}

/** Stop a live process: SIGTERM, then SIGKILL if it is still there after `graceMs`. */
export async function stopProcess(p: LiveProcess, graceMs = 10_000): Promise<void> {
  if (p.child.exitCode !== null || p.child.signalCode !== null) return;
  p.child.kill("SIGTERM");
  const t = setTimeout(() => p.child.kill("SIGKILL"), graceMs);
  await p.exited;
  clearTimeout(t);
}
