import type { Command } from "./command.js";
import { twinCommands } from "./commands/twin.js";
import { simCommands } from "./commands/sim.js";
import { campaignCommands } from "./commands/campaign.js";
import { benchCommands } from "./commands/bench.js";
import { reportCommands } from "./commands/report.js";
import { explainCommands } from "./commands/explain.js";
import { serveCommands } from "./commands/serve.js";

/** Every subcommand of `sdfl`. Each group lives in its own file under commands/. */
export function allCommands(): Command[] {
  return [...twinCommands, ...explainCommands, ...simCommands, ...campaignCommands, ...benchCommands, ...reportCommands, ...serveCommands];
}
