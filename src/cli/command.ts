import { parseArgs } from "node:util";
import { UsageError } from "../core/errors.js";

/** One option of a subcommand, as data: drives parsing and the --help text. */
export interface OptionSpec {
  type: "string" | "boolean";
  /** Placeholder shown in help, e.g. "DIR". */
  arg?: string;
  description: string;
  default?: string | boolean;
  multiple?: boolean;
  short?: string;
}

export type ParsedOptions = Record<string, string | boolean | string[] | undefined>;

/** Where a command writes: stdout for results, stderr for progress. */
export interface CommandIO {
  out(text: string): void;
  err(text: string): void;
  /** Progress line on stderr (suppressed by --quiet). */
  progress(text: string): void;
  cwd: string;
  env: NodeJS.ProcessEnv;
}

/** A subcommand: name path (e.g. ["twin", "train"]), help and the code that runs it. */
export interface Command {
  path: string[];
  summary: string;
  /** Positional arguments for the usage line, e.g. "DIR". */
  args?: string;
  /** Longer help text shown after the usage line. */
  details?: string;
  options: Record<string, OptionSpec>;
  /** Returns the process exit code (0 success, 1 failure). */
  run(opts: ParsedOptions, io: CommandIO, positionals: string[]): Promise<number>;
}

/** Options every subcommand accepts. */
const COMMON_OPTIONS: Record<string, OptionSpec> = {
  help: { type: "boolean", short: "h", description: "show this help" },
  json: { type: "boolean", description: "print one machine-readable JSON object on stdout" },
  quiet: { type: "boolean", description: "no progress output on stderr" },
};

/** Flags that were renamed: refused with a usage error that names the new flag. */
const RENAMED_FLAGS: Record<string, string> = {
  policy: "--strategy NAME (e.g. --strategy enn-ei)",
  strategies: "--strategy NAME[,NAME...] (e.g. --strategy gp-ei,random)",
};

const GIVEN = new WeakMap<ParsedOptions, ReadonlySet<string>>();

/** The options given on the command line (not filled in from defaults). */
export function givenOptions(opts: ParsedOptions): ReadonlySet<string> {
  return GIVEN.get(opts) ?? new Set(Object.keys(opts).filter((k) => opts[k] !== undefined));
}

/** Parse argv for a command; unknown or malformed options are a {@link UsageError}. */
export function parseCommandArgs(cmd: Command, argv: string[]): { opts: ParsedOptions; positionals: string[] } {
  for (const a of argv) {
    if (a === "--") break;
    const m = /^--([^=]+)/.exec(a);
    if (m && RENAMED_FLAGS[m[1]] && !cmd.options[m[1]]) {
      throw new UsageError(
        `sdfl ${cmd.path.join(" ")}: --${m[1]} was renamed; use ${RENAMED_FLAGS[m[1]]}`,
        `run \`sdfl ${cmd.path.join(" ")} --help\` for the options`,
      );
    }
  }
  const options: Record<string, { type: "string" | "boolean"; short?: string; multiple?: boolean }> = {};
  for (const [name, spec] of Object.entries({ ...COMMON_OPTIONS, ...cmd.options })) {
    options[name] = { type: spec.type, ...(spec.short ? { short: spec.short } : {}), ...(spec.multiple ? { multiple: true } : {}) };
  }
  try {
    const { values, positionals } = parseArgs({ args: argv, options, strict: true, allowPositionals: true });
    const opts: ParsedOptions = { ...values } as ParsedOptions;
    GIVEN.set(opts, new Set(Object.keys(values)));
    for (const [name, spec] of Object.entries(cmd.options)) if (opts[name] === undefined && spec.default !== undefined) opts[name] = spec.default;
    return { opts, positionals };
  } catch (e) {
    const msg = (e as Error).message.replace(/\. To specify a positional argument.*$/s, "");
    throw new UsageError(`sdfl ${cmd.path.join(" ")}: ${msg}`, `run \`sdfl ${cmd.path.join(" ")} --help\` for the options`);
  }
}

/** The --help text of a command. */
export function commandHelp(cmd: Command): string {
  const all = { ...cmd.options, ...COMMON_OPTIONS };
  const lines = [`usage: sdfl ${cmd.path.join(" ")}${cmd.args ? ` ${cmd.args}` : ""} [options]`, "", cmd.summary];
  if (cmd.details) lines.push("", cmd.details.trim());
  lines.push("", "options:");
  const rows = Object.entries(all).map(([name, s]) => {
    const flag = `${s.short ? `-${s.short}, ` : ""}--${name}${s.type === "string" ? ` ${s.arg ?? "VALUE"}` : ""}`;
    const def = s.default !== undefined && s.type === "string" ? ` (default ${s.default})` : "";
    return [flag, s.description + def];
  });
  const w = Math.max(...rows.map((r) => r[0].length));
  for (const [f, d] of rows) lines.push(`  ${f.padEnd(w)}  ${d}`);
  return lines.join("\n") + "\n";
}

/** Read a string option; throw a UsageError naming the flag when it is required and absent. */
export function stringOpt(opts: ParsedOptions, name: string, cmd: string): string {
  const v = opts[name];
  if (typeof v !== "string" || v === "") throw new UsageError(`sdfl ${cmd}: --${name} is required`, `run \`sdfl ${cmd} --help\``);
  return v;
}

/** Parse an integer option within [min, max]; a UsageError names the flag and range. */
export function intOpt(opts: ParsedOptions, name: string, cmd: string, fallback: number, min = -Infinity, max = Infinity): number {
  const v = opts[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== "string" || !Number.isInteger(n) || n < min || n > max) {
    throw new UsageError(`sdfl ${cmd}: --${name} must be an integer from ${min} to ${max}, got "${v}"`);
  }
  return n;
}

/** Parse a number option within [min, max]. */
export function numberOpt(opts: ParsedOptions, name: string, cmd: string, fallback: number, min = -Infinity, max = Infinity): number {
  const v = opts[name];
  if (v === undefined) return fallback;
  const n = Number(v);
  if (typeof v !== "string" || !Number.isFinite(n) || n < min || n > max) {
    throw new UsageError(`sdfl ${cmd}: --${name} must be a number from ${min} to ${max}, got "${v}"`);
  }
  return n;
}
