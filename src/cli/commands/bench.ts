import type { Command } from "../command.js";

/** The `sdfl bench` subcommands. */
export const benchCommands: Command[] = [];
