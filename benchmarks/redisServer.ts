import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer, connect } from "node:net";

/** Debian's redis-server, or $SDFL_REDIS_SERVER. */
export function redisServerPath(): string | undefined {
  return [process.env.SDFL_REDIS_SERVER, "/usr/bin/redis-server", "/usr/local/bin/redis-server"].find((p): p is string => !!p && existsSync(p));
}

/** A free TCP port on the loopback interface (the OS picks one). */
export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

function pingOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = connect({ host: "127.0.0.1", port });
    c.once("error", () => resolve(false));
    c.once("connect", () => c.write("PING\r\n"));
    c.once("data", (d) => {
      c.end();
      resolve(d.toString().startsWith("+PONG"));
    });
  });
}

/** A throwaway Redis on 127.0.0.1 (no persistence), for tests and benchmarks. */
export interface LocalRedis {
  port: number;
  /** redis://127.0.0.1:PORT/db */
  url(db?: number): string;
  stop(): Promise<void>;
}

/**
 * Start redis-server on a free loopback port, without persistence, and wait until it
 * answers PING. Throws with the reason when there is no redis-server or it does not start.
 */
export async function startLocalRedis(timeoutMs = 10_000): Promise<LocalRedis> {
  const bin = redisServerPath();
  if (!bin) throw new Error("redis-server is not installed (Debian: apt-get install -y redis-server)");
  const port = await freeLoopbackPort();
  const child: ChildProcess = spawn(bin, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  let log = "";
  child.stdout!.on("data", (d: Buffer) => (log += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (log += d.toString()));
  const t0 = Date.now();
  while (!(await pingOnce(port))) {
    if (child.exitCode !== null || Date.now() - t0 > timeoutMs) {
      child.kill("SIGKILL");
      throw new Error(`redis-server did not start on port ${port}: ${log.slice(-500)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    url: (db = 0) => `redis://127.0.0.1:${port}/${db}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once("exit", () => resolve());
        child.kill("SIGTERM");
      }),
  };
}

/** One section of Redis's INFO (e.g. "cpu") from 127.0.0.1:port, as its text. */
export function redisInfo(port: number, section: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const c = connect({ host: "127.0.0.1", port });
    let buf = "";
    c.once("error", reject);
    c.once("connect", () => c.write(`INFO ${section}\r\n`));
    c.setEncoding("utf8").on("data", (d: string) => {
      buf += d;
      const m = /^\$(\d+)\r\n/.exec(buf);
      if (m && Buffer.byteLength(buf) >= m[0].length + Number(m[1])) {
        c.end();
        resolve(buf.slice(m[0].length));
      }
    });
  });
}
