import { SdflError, UsageError } from "../core/errors.js";
import { commandHelp, parseCommandArgs, type Command, type CommandIO } from "./command.js";
import { allCommands, COMMAND_INDEX, type CommandEntry } from "./registry.js";
import { VERSION } from "../core/version.js";

/** Top-level help: every subcommand with its one-line summary. */
function mainHelp(commands: readonly Pick<Command, "path" | "summary">[]): string {
  const rows = commands.map((c) => [c.path.join(" "), c.summary]);
  const w = Math.max(...rows.map((r) => r[0].length));
  return [
    "sdfl: simulate, optimize and run a self-driving droplet-flow lab (Cs3Cu2I5 nanocrystals)",
    "",
    "usage: sdfl <command> [options]      sdfl <command> --help for its options",
    "",
    "commands:",
    ...rows.map(([p, s]) => `  ${p.padEnd(w)}  ${s}`),
    "",
    "data: --data DIR, else $SDFL_DATA, else the shipped data/sdfl-2025",
    "      (published data: DOI 10.5281/zenodo.15283084). --data chem3 picks a chemistry.",
    "exit codes: 0 success, 1 failure, 2 usage error",
    "",
  ].join("\n");
}

/** Run the CLI with argv (without node and script); returns the exit code. */
export async function main(argv: string[], io: CommandIO = defaultIO()): Promise<number> {
  // Only the index (names and summaries) is loaded here; a command's module loads when it runs.
  let commands: readonly Pick<Command, "path" | "summary">[] = COMMAND_INDEX;
  if (argv[0] !== undefined && !argv[0].startsWith("-") && !COMMAND_INDEX.some((c) => c.path[0] === argv[0]) && argv[0] !== "help")
    commands = await allCommands();
  if (argv.length === 0 || argv[0] === "--help" || argv[0] === "-h" || argv[0] === "help") {
    io.out(mainHelp(commands));
    return argv.length === 0 ? 2 : 0;
  }
  if (argv[0] === "--version") {
    io.out(VERSION + "\n");
    return 0;
  }
  // Longest matching command path.
  let found: Pick<Command, "path" | "summary"> | undefined;
  for (const c of commands) {
    if (c.path.every((p, i) => argv[i] === p) && (!found || c.path.length > found.path.length)) found = c;
  }
  if (!found) {
    const group = commands.filter((c) => c.path[0] === argv[0]);
    if (group.length > 0 && (argv.length === 1 || argv[1]?.startsWith("-"))) {
      io.out(mainHelp(group));
      return argv.includes("--help") || argv.includes("-h") ? 0 : 2;
    }
    io.err(
      `sdfl: unknown command "${argv
        .filter((a) => !a.startsWith("-"))
        .slice(0, 2)
        .join(" ")}"\n  hint: run \`sdfl --help\` for the list of commands\n`,
    );
    return 2;
  }
  const rest = argv.slice(found.path.length);
  try {
    const cmd: Command = "load" in found ? await (found as CommandEntry).load() : (found as Command);
    if (rest.includes("--help") || rest.includes("-h")) {
      io.out(commandHelp(cmd));
      return 0;
    }
    const { opts, positionals } = parseCommandArgs(cmd, rest);
    if (opts.quiet) io = { ...io, progress: () => {} };
    return await cmd.run(opts, io, positionals);
  } catch (e) {
    return reportError(e, io);
  }
}

/** Print an error the way a user should see it; returns the exit code. */
function reportError(e: unknown, io: CommandIO): number {
  if (e instanceof UsageError) {
    io.err(`error: ${e.describe()}\n`);
    return 2;
  }
  if (e instanceof SdflError) {
    io.err(`error: ${e.describe()}\n`);
    return 1;
  }
  const err = e as Error;
  io.err(
    `internal error (a bug in sdfl, please report it): ${err?.message ?? String(e)}\n${process.env.SDFL_DEBUG ? (err?.stack ?? "") : "  (set SDFL_DEBUG=1 for the stack trace)"}\n`,
  );
  return 1;
}

/**
 * A writer to a process stream that survives the reader going away: after EPIPE (a
 * closed pipe, `| head -3`) or any other stream error, further text is dropped, so a
 * closed terminal or pipe never stops a campaign (its results go to files and the store).
 */
function safeWriter(stream: NodeJS.WriteStream): (text: string) => void {
  let closed = false;
  stream.on("error", () => {
    closed = true;
  });
  return (text) => {
    if (closed || stream.destroyed) return;
    try {
      stream.write(text);
    } catch {
      closed = true;
    }
  };
}

let processIO: CommandIO | undefined;

/** IO bound to the process streams (one set of stream error handlers per process). */
function defaultIO(): CommandIO {
  if (processIO) return processIO;
  const out = safeWriter(process.stdout);
  const err = safeWriter(process.stderr);
  return (processIO = {
    out,
    err,
    progress: (t) => err(t.endsWith("\n") ? t : t + "\n"),
    cwd: process.cwd(),
    env: process.env,
  });
}
