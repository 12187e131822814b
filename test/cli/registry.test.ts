import { describe, expect, it } from "vitest";
import { allCommands, COMMAND_INDEX } from "../../src/cli/registry.js";

// `sdfl --help` lists commands from the index without loading their modules; the index
// must say exactly what the modules define.
describe("command index", () => {
  it("lists every command with the summary its module gives, and each entry loads its command", async () => {
    const all = await allCommands();
    expect(COMMAND_INDEX.map((c) => [c.path.join(" "), c.summary])).toEqual(all.map((c) => [c.path.join(" "), c.summary]));
    for (const e of COMMAND_INDEX) expect((await e.load()).path).toEqual(e.path);
  });
});
