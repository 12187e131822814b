import { escapeHtml, figureHtml, htmlPage, type FigureSpec } from "./html.js";

/** What the `sdfl twin explain` index page shows. */
export interface ExplainPageData {
  twin: string;
  data: string;
  definition: string;
  method: string;
  ranking: string[];
  meanAbs: Record<string, number>;
  direction: Record<string, number>;
  /** Figures, in page order (file references or inlined SVG). */
  figures: FigureSpec[];
  /** Other files written beside the page (shap.json, ...). */
  files: string[];
  /** Name of the explained target in headings (default "PLQY proxy"; "PLQY" in the table). */
  target?: string;
}

/** The index.html of an explanation folder. */
export function explainPageHtml(d: ExplainPageData): string {
  const rows = d.ranking
    .map((name, i) => {
      const dir = d.direction[name] > 0 ? "rises with the input" : d.direction[name] < 0 ? "falls as the input rises" : "no clear direction";
      return `<tr><td>${i + 1}</td><td class="text">${escapeHtml(name)}</td><td>${d.meanAbs[name].toPrecision(3)}</td><td class="text">${dir}</td></tr>`;
    })
    .join("\n");
  const body = `<h1>Twin explanation</h1>
<dl class="meta"><dt>twin</dt><dd>${escapeHtml(d.twin)}</dd><dt>data</dt><dd>${escapeHtml(d.data)}</dd>
<dt>target</dt><dd>${escapeHtml(d.definition)}</dd><dt>method</dt><dd>${escapeHtml(d.method)}</dd></dl>
<h2>Importance of the inputs for the ${escapeHtml(d.target ?? "PLQY proxy")}</h2>
<table><thead><tr><th>rank</th><th>input</th><th>mean |SHAP|</th><th>effect on ${escapeHtml(d.target ?? "PLQY")}</th></tr></thead><tbody>
${rows}
</tbody></table>
${d.figures.map(figureHtml).join("\n")}
<p class="note">Files: ${d.files.map((f) => `<a href="${escapeHtml(f)}">${escapeHtml(f)}</a>`).join(", ")}</p>`;
  return htmlPage("sdfl twin explain", body);
}
