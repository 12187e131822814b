import { connect } from "node:net";
import { SdflError, UsageError } from "../../core/errors.js";

/** Where the queue's Redis is, from `--queue redis://HOST:PORT[/DB]`. */
export interface RedisTarget {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  /** The URL with any password hidden, for messages and results.json. */
  display: string;
}

/** Parse `redis://[USER:PASSWORD@]HOST[:PORT][/DB]`; a malformed URL is a {@link UsageError}. */
export function parseRedisUrl(text: string, flag = "--queue"): RedisTarget {
  const hint = "write it as redis://HOST:PORT or redis://HOST:PORT/DB, e.g. redis://127.0.0.1:6379/0";
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new UsageError(`${flag} ${text}: not a URL`, hint);
  }
  if (u.protocol !== "redis:") throw new UsageError(`${flag} ${text}: the scheme must be redis://, got ${u.protocol}//`, hint);
  if (!u.hostname) throw new UsageError(`${flag} ${text}: no host`, hint);
  const port = u.port === "" ? 6379 : Number(u.port);
  const dbText = u.pathname.replace(/^\//, "");
  const db = dbText === "" ? 0 : Number(dbText);
  if (!Number.isInteger(db) || db < 0 || db > 15)
    throw new UsageError(`${flag} ${text}: the database number must be an integer from 0 to 15, got "${dbText}"`, hint);
  const host = u.hostname.replace(/^\[|\]$/g, "");
  const password = u.password ? decodeURIComponent(u.password) : undefined;
  const username = u.username ? decodeURIComponent(u.username) : undefined;
  const display = `redis://${username ? username + (password ? ":***" : "") + "@" : password ? ":***@" : ""}${u.host}/${db}`;
  return { host, port, db, username, password, display };
}

/** Connection options for BullMQ (which creates its ioredis clients from them). */
export function connectionOptions(t: RedisTarget): {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  maxRetriesPerRequest: null;
} {
  return {
    host: t.host,
    port: t.port,
    db: t.db,
    ...(t.username ? { username: t.username } : {}),
    ...(t.password ? { password: t.password } : {}),
    // Required by BullMQ's blocking commands: never give up a command while Redis reconnects.
    maxRetriesPerRequest: null,
  };
}

/**
 * Check that Redis answers at `t` (a PING over TCP) within `timeoutMs`, so a wrong
 * address fails at once with a message instead of a client retrying forever.
 */
export function checkRedisReachable(t: RedisTarget, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const fail = (why: string) => {
      socket.destroy();
      reject(new SdflError(`cannot reach Redis at ${t.display}: ${why}`, "start redis-server there (see docs/distributed.md) or fix the --queue address"));
    };
    const socket = connect({ host: t.host, port: t.port });
    socket.setTimeout(timeoutMs, () => fail(`no answer within ${timeoutMs / 1000} s`));
    socket.once("error", (e: NodeJS.ErrnoException) => fail(e.code ?? e.message));
    socket.once("connect", () => socket.write("PING\r\n"));
    socket.once("data", (d) => {
      const reply = d.toString("utf8");
      socket.end();
      // +PONG, or -NOAUTH when a password is needed (the clients send it): either way Redis is there.
      if (reply.startsWith("+PONG") || reply.startsWith("-NOAUTH") || reply.startsWith("-ERR")) resolve();
      else fail(`it answered "${reply.trim().slice(0, 60)}", which is not Redis`);
    });
  });
}
