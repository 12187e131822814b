import type { Command } from "../command.js";

/** The `sdfl sim` subcommands. */
export const simCommands: Command[] = [];
