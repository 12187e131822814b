import { escapeHtml, figureHtml, htmlPage, type FigureSpec } from "./html.js";
import { experimentTableHtml, type ProblemTableLayout, type ReportExperiment } from "./experimentTable.js";
import type { ReportSection } from "./gpFitSection.js";

/** Everything the campaign report shows, as plain data (no store, no twin). */
export interface CampaignReportData {
  title: string;
  /** ISO time the report was made. */
  generatedAt: string;
  /** Campaign facts shown as a list (lab, strategy, seed, status, ...). */
  facts: Record<string, string>;
  experiments: ReportExperiment[];
  /** Figures in page order; a figure without svg/src shows its `missing` note. */
  figures: FigureSpec[];
  /** Extra remarks shown under the facts. */
  notes?: string[];
  /** Name of the measured objective (default "PLQY proxy"; a test function's value on a test lab). */
  objective?: string;
  /** The experiment table's columns and the objective's goal, for a problem that is not the paper's. */
  layout?: ProblemTableLayout;
  /** Further sections after the figures (e.g. the Gaussian-process fit), HTML already escaped. */
  sections?: ReportSection[];
}

/** The standard figures of a campaign report, in page order. */
export const REPORT_FIGURES = [
  {
    id: "parity",
    title: "Twin parity plot",
    caption: "The twin's predicted PLQY proxy (ensemble mean +- 1 std) against the measured one, per campaign phase (compare paper Fig. 5).",
  },
  { id: "shap", title: "SHAP summary of the PLQY proxy", caption: "Inputs from most to least important; colour = input value (paper Fig. 6A)." },
  {
    id: "surfaces",
    title: "Response surfaces of the predicted PLQY proxy",
    caption:
      "Top three inputs by SHAP. First column: the others held at the best measured condition (red cross); then held low, medium, high (10/50/90 % of range; paper Fig. 6B-D). White rings: the measured conditions, projected.",
  },
  { id: "surfaces-std", title: "Ensemble standard deviation on the response surfaces", caption: "The twin's uncertainty over the same grids." },
  { id: "best-so-far", title: "Best PLQY so far", caption: "Best measured PLQY proxy against experiment number (paper Fig. 7A)." },
  { id: "parameters", title: "Parameter evolution", caption: "Normalised inputs chosen at each experiment (paper Fig. 7B)." },
] as const;

export type ReportFigureId = (typeof REPORT_FIGURES)[number]["id"];

/**
 * The standard figure list from whatever SVGs are available: each id gets its SVG, or
 * the reason it is missing (shown visibly on the page), or a generic note.
 */
export function reportFigures(
  svgs: Partial<Record<ReportFigureId, string>>,
  missing: Partial<Record<ReportFigureId, string>> = {},
  o: { omit?: readonly ReportFigureId[]; titles?: Partial<Record<ReportFigureId, { title?: string; caption?: string }>> } = {},
): FigureSpec[] {
  return REPORT_FIGURES.filter((f) => !o.omit?.includes(f.id))
    .map((f) => ({ ...f, ...o.titles?.[f.id] }))
    .map((f) =>
      svgs[f.id]
        ? { id: f.id, title: f.title, caption: f.caption, svg: svgs[f.id] }
        : { id: f.id, title: f.title, caption: f.caption, missing: missing[f.id] ?? "No data for this figure." },
    );
}

/** One self-contained HTML page: SVGs inlined, no external file, style or script (only the inline render check). */
export function campaignReportHtml(d: CampaignReportData): string {
  const done = d.experiments.filter((e) => e.plqy !== undefined);
  const sign = d.layout?.goal === "minimize" ? -1 : 1;
  const best = done.reduce<ReportExperiment | undefined>((b, e) => (!b || sign * e.plqy! > sign * b.plqy! ? e : b), undefined);
  const objective = d.objective ?? "PLQY proxy";
  const facts = {
    ...d.facts,
    experiments: `${d.experiments.length} (${done.length} measured)`,
    ...(best
      ? {
          [`best ${objective}`]: `${d.layout ? String(Number(best.plqy!.toPrecision(6))) : best.plqy!.toFixed(4)} at experiment ${best.index + 1} (${best.phase})`,
        }
      : {}),
    generated: d.generatedAt,
  };
  const body = `<h1>${escapeHtml(d.title)}</h1>
<dl class="meta">${Object.entries(facts)
    .map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`)
    .join("")}</dl>
${(d.notes ?? []).map((n) => `<p class="note">${escapeHtml(n)}</p>`).join("\n")}
${d.figures.map((f) => `<h2>${escapeHtml(f.title)}</h2>\n${figureHtml(f)}`).join("\n")}
${(d.sections ?? []).map((s) => `<h2 id="${escapeHtml(s.id)}">${escapeHtml(s.title)}</h2>\n${s.html}`).join("\n")}
<h2>Every experiment</h2>
${experimentTableHtml(d.experiments, objective, d.layout)}`;
  return htmlPage(d.title, body);
}
