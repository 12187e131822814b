import type { Command } from "../command.js";

/** The `sdfl report` subcommands. */
export const reportCommands: Command[] = [];
