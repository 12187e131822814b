/**
 * Command line of the benchmarks that read `sdfl bench` output folders (bo-goals,
 * bo-recommendation-replay): `--quick`, `--NAME VALUE` flags, and every other argument a
 * folder.
 */
export function folderArgs(argv: readonly string[]): { quick: boolean; flags: Map<string, string>; dirs: string[] } {
  const flags = new Map<string, string>();
  const dirs: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--quick") flags.set("quick", "1");
    else if (argv[i].startsWith("--")) flags.set(argv[i].slice(2), argv[++i]);
    else dirs.push(argv[i]);
  }
  return { quick: flags.has("quick"), flags, dirs };
}
