import { describe, expect, it } from "vitest";
import { campaignReportHtml, reportFigures } from "../../src/report/campaignReport.js";
import { inlineSvg, escapeHtml } from "../../src/report/html.js";

const svg = (id: string) =>
  `<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><defs><linearGradient id="${id}"></linearGradient></defs><rect fill="url(#${id})" width="5" height="5"/></svg>`;

describe("campaign report page (plain data)", () => {
  const html = campaignReportHtml({
    title: "test <report>",
    generatedAt: "2026-11-25T00:00:00Z",
    facts: { lab: "sim:chem3" },
    experiments: [
      {
        index: 0,
        phase: "init",
        source: "dataset",
        status: "done",
        condition: { T: 150, CuI: 100, ZnI2: 90, CsOA: 50, ODE: 250 },
        pfo: 245,
        abs300: 0.8,
        pla: 20000,
        plqy: 0.1,
      },
      {
        index: 1,
        phase: "optimizer",
        source: "lab",
        status: "done",
        condition: { T: 160, CuI: 110, ZnI2: 90, CsOA: 30, ODE: 250 },
        pfo: 240,
        abs300: 0.7,
        pla: 30000,
        plqy: 0.2,
      },
      {
        index: 2,
        phase: "optimizer",
        source: "lab",
        status: "failed",
        condition: { T: 170, CuI: 110, ZnI2: 90, CsOA: 30, ODE: 250 },
        pfo: 240,
        error: "pump <stalled>",
      },
    ],
    figures: reportFigures({ shap: svg("bar"), "best-so-far": svg("bar") }, { parity: "accuracy module not available" }),
  });

  it("inlines every available SVG with ids made unique per figure", () => {
    expect(html).toContain('id="shap-bar"');
    expect(html).toContain("url(#best-so-far-bar)");
    expect(html).not.toContain("<?xml");
    expect(html).not.toMatch(/<img|<link|src=/);
  });
  it("shows a visible note for each missing figure", () => {
    expect(html).toMatch(/data-figure="parity" data-missing="true"[^]*Twin parity plot: not available\. accuracy module not available/);
    for (const id of ["surfaces", "surfaces-std", "parameters"]) expect(html).toContain(`data-figure="${id}" data-missing="true"`);
  });
  it("tabulates every experiment, escapes text and marks the best", () => {
    expect(html.match(/<tr><td>\d+<\/td>/g)).toHaveLength(3);
    expect(html).toContain("pump &lt;stalled&gt;");
    expect(html).toContain("test &lt;report&gt;");
    expect(html).toMatch(/0\.2000 &#9733;/);
    expect(html).toContain("0.2000 at experiment 2 (optimizer)");
  });
  it("inlineSvg prefixes ids and references, and escapeHtml covers quotes", () => {
    expect(inlineSvg(svg("g"), "f")).toBe(
      `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><defs><linearGradient id="f-g"></linearGradient></defs><rect fill="url(#f-g)" width="5" height="5"/></svg>`,
    );
    expect(escapeHtml(`a"b'c`)).toBe("a&quot;b&#39;c");
  });
});
