import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { Hono } from "hono";
import { streamSSE } from "hono/streaming";
import { serve } from "@hono/node-server";
import { packageRoot } from "../../core/packageRoot.js";
import { UsageError } from "../../core/errors.js";
import { StoreFeed } from "./storeFeed.js";
import { dashboardPage } from "./page.js";

/** Options of {@link startDashboard}. */
export interface DashboardOptions {
  /** The campaign store (SQLite file) to follow; it must exist. */
  store: string;
  /** TCP port; 0 picks a free one (default 8765). */
  port?: number;
  /** Address to listen on (default 127.0.0.1: only this computer can connect). */
  host?: string;
  /** How often the store is polled for changes, ms (default 250). */
  pollMs?: number;
  /**
   * When the server runs inside a campaign: the safe stop (the same as Ctrl-C) and the
   * id of that campaign. Without it the page shows the Stop button disabled.
   */
  stop?: { campaignId: number; request: () => void };
  /** Token the Stop request must carry (default: 24 random bytes, hex). */
  token?: string;
}

/** A running dashboard server. */
export interface Dashboard {
  url: string;
  port: number;
  host: string;
  /** The secret the Stop button asks for; print it where only the operator sees it. */
  token: string;
  close(): Promise<void>;
}

const LOOPBACK = new Set(["127.0.0.1", "localhost", "::1"]);

/**
 * Serve the live dashboard of a campaign store: the page, its scripts and styles (all
 * from sdfl's own files and node_modules, nothing from the internet), a server-sent event
 * stream per page that pushes a new snapshot whenever the store changes, and the Stop
 * request, refused (403) without the right token.
 */
export async function startDashboard(o: DashboardOptions): Promise<Dashboard> {
  const feed = new StoreFeed(o.store);
  const token = o.token ?? randomBytes(24).toString("hex");
  const host = o.host ?? "127.0.0.1";
  const listeners = new Set<() => void>();
  let closing = false;
  const stopInfo = () => ({ canStop: o.stop !== undefined, ...(o.stop ? { stoppable: o.stop.campaignId } : {}) });
  const assets = assetFiles();

  const app = new Hono();
  // A page on another site must not drive this server through the browser (DNS rebinding):
  // when listening on loopback, only loopback host names are answered.
  app.use("*", async (c, next) => {
    if (LOOPBACK.has(host)) {
      const h = (c.req.header("host") ?? "").replace(/:\d+$/, "").replace(/^\[|\]$/g, "");
      if (!LOOPBACK.has(h)) return c.text("this dashboard answers only on 127.0.0.1/localhost\n", 403);
    }
    await next();
  });
  app.get("/", (c) => c.html(dashboardPage()));
  app.get("/assets/:name", (c) => {
    const a = assets[c.req.param("name")];
    if (!a) return c.text("not found\n", 404);
    return c.body(readFileSync(a.file), 200, { "content-type": a.type, "cache-control": "no-cache" });
  });
  app.get("/api/snapshot", (c) => {
    const id = campaignParam(c.req.query("campaign"));
    if (id === null) return c.json({ error: "campaign must be a positive integer" }, 400);
    return c.json(feed.snapshot(id, stopInfo()));
  });
  app.get("/events", (c) => {
    const id = campaignParam(c.req.query("campaign"));
    if (id === null) return c.json({ error: "campaign must be a positive integer" }, 400);
    return streamSSE(c, async (stream) => {
      let dirty = true;
      let wake: (() => void) | undefined;
      const listener = () => {
        dirty = true;
        wake?.();
      };
      listeners.add(listener);
      stream.onAbort(() => {
        listeners.delete(listener);
        wake?.();
      });
      try {
        while (!stream.aborted && !stream.closed && !closing) {
          if (dirty) {
            dirty = false;
            // retry: the browser reconnects within a second after a server restart.
            await stream.writeSSE({ event: "snapshot", data: JSON.stringify(feed.snapshot(id, stopInfo())), retry: 1000 });
          }
          await new Promise<void>((resolve) => {
            const t = setTimeout(resolve, 15_000);
            wake = () => {
              clearTimeout(t);
              resolve();
            };
          });
          if (!dirty && !stream.aborted && !closing) await stream.write(": keep-alive\n\n");
        }
      } finally {
        listeners.delete(listener);
      }
    });
  });
  app.post("/api/stop", async (c) => {
    const given = c.req.header("x-sdfl-token") ?? "";
    if (!given || !sameSecret(given, token))
      return c.json({ error: "wrong or missing token: copy the token printed in the terminal that started the campaign" }, 403);
    if (!o.stop) return c.json({ error: "this server only watches the store; stop the campaign in its terminal (Ctrl-C), or start it with --dashboard" }, 409);
    o.stop.request();
    return c.json({ stopping: o.stop.campaignId });
  });

  const poll = setInterval(() => {
    try {
      if (feed.changed()) for (const l of listeners) l();
    } catch {
      // the store is being written: try again at the next tick
    }
  }, o.pollMs ?? 250);
  poll.unref();

  const server = await new Promise<Server>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: o.port ?? 8765, hostname: host }, () => resolve(s as Server)) as Server;
    s.once("error", (e: NodeJS.ErrnoException) =>
      reject(
        e.code === "EADDRINUSE"
          ? new UsageError(`port ${o.port} on ${host} is in use`, "pick another with --port N (0 picks a free one)")
          : new UsageError(`cannot listen on ${host}:${o.port}: ${e.message}`, "check --host and --port"),
      ),
    );
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(":") ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/`,
    port,
    host,
    token,
    async close() {
      closing = true;
      clearInterval(poll);
      for (const l of listeners) l();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      feed.close();
    },
  };
}

function campaignParam(v: string | undefined): number | undefined | null {
  if (v === undefined || v === "") return undefined;
  const n = Number(v);
  return Number.isInteger(n) && n > 0 ? n : null;
}

/** Constant-time comparison of two secrets of any length. */
function sameSecret(a: string, b: string): boolean {
  const h = (s: string) => createHash("sha256").update(s).digest();
  return timingSafeEqual(h(a), h(b));
}

/** The files the page loads, by the name it asks for: sdfl's own script and style, uPlot from node_modules. */
function assetFiles(): Record<string, { file: string; type: string }> {
  const require = createRequire(import.meta.url);
  const uplot = dirname(require.resolve("uplot"));
  const own = join(packageRoot(), "src", "report", "dashboard", "assets");
  return {
    "uPlot.iife.min.js": { file: join(uplot, "uPlot.iife.min.js"), type: "text/javascript; charset=utf-8" },
    "uPlot.min.css": { file: join(uplot, "uPlot.min.css"), type: "text/css; charset=utf-8" },
    "dashboard.js": { file: join(own, "dashboard.js"), type: "text/javascript; charset=utf-8" },
    "dashboard.css": { file: join(own, "dashboard.css"), type: "text/css; charset=utf-8" },
  };
}
