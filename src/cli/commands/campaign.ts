import type { Command } from "../command.js";

/** The `sdfl campaign` subcommands. */
export const campaignCommands: Command[] = [];
