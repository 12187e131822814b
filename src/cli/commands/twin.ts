import type { Command } from "../command.js";

/** The `sdfl twin` subcommands. */
export const twinCommands: Command[] = [];
