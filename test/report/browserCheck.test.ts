import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { figureHtml, htmlPage } from "../../src/report/html.js";
import { ensureChromium, renderInChromium } from "./headlessBrowser.js";

let chromium: { path?: string; reason?: string } = {};
beforeAll(() => {
  chromium = ensureChromium();
  if (!chromium.path) console.warn(`browser check skipped: ${chromium.reason}`);
}, 300_000);

describe("the render check in a real headless browser", () => {
  it("fails a page whose image does not load or whose script throws", async (ctx) => {
    if (!chromium.path) ctx.skip(chromium.reason);
    const dir = mkdtempSync(join(tmpdir(), "sdfl-render-"));
    const file = join(dir, "bad.html");
    writeFileSync(file, htmlPage("bad", figureHtml({ id: "gone", title: "gone", src: "missing.svg" }) + "<script>undefinedFunction()</script>"));
    const r = await renderInChromium(chromium.path!, file);
    expect(r.status).toBe("error");
    expect(r.errors).toMatch(/gone: image did not load/);
    expect(r.errors).toMatch(/undefinedFunction/);
  });
});
