import { intOpt, type Command } from "../command.js";
import { abs } from "../campaignSetup.js";

/** Dashboard flags shared by `sdfl serve` and `sdfl campaign --dashboard`. */
export const DASHBOARD_OPTIONS = {
  port: { type: "string", arg: "N", default: "8765", description: "dashboard TCP port (0 picks a free one)" },
  host: {
    type: "string",
    arg: "ADDR",
    default: "127.0.0.1",
    description: "dashboard address; the default lets only this computer connect (0.0.0.0 opens it to the network)",
  },
} as const;

const serve: Command = {
  path: ["serve"],
  summary: "live dashboard of a campaign store in the browser (follows running campaigns)",
  details: `
Serves a web page that follows the campaigns of --store as they run, pushed from the
server (no reload): progress and ETA, best so far, the model's recommendation, the
parameters chosen, predicted mean +- std against measured, processed spectra and, for
hardware campaigns, device states and log. Everything it loads is served by sdfl.
The campaign runs in another terminal; to stop it from the page, start it with
\`sdfl campaign --dashboard\` instead (its terminal prints the stop token). Ctrl-C ends
the server. See docs/dashboard.md.`,
  options: {
    store: { type: "string", arg: "FILE", default: "campaign.sqlite", description: "SQLite campaign store to follow (must exist)" },
    ...DASHBOARD_OPTIONS,
  },
  async run(opts, io) {
    const port = intOpt(opts, "port", "serve", 8765, 0, 65535);
    const { startDashboard } = await import("../../report/dashboard/server.js");
    const dash = await startDashboard({ store: abs(io.cwd, String(opts.store)), port, host: String(opts.host) });
    if (opts.json) io.out(JSON.stringify({ url: dash.url, store: abs(io.cwd, String(opts.store)) }) + "\n");
    else io.out(`dashboard of ${abs(io.cwd, String(opts.store))}: ${dash.url}\n(Ctrl-C ends the server)\n`);
    await new Promise<void>((resolve) => {
      const done = () => {
        process.removeListener("SIGINT", done);
        process.removeListener("SIGTERM", done);
        resolve();
      };
      process.once("SIGINT", done);
      process.once("SIGTERM", done);
    });
    await dash.close();
    return 0;
  },
};

/** The `sdfl serve` command. */
export const serveCommands: Command[] = [serve];
