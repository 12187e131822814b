import { escapeHtml } from "./html.js";

/** One experiment row of a report, plain data (physical units). */
export interface ReportExperiment {
  /** 0-based position in the campaign. */
  index: number;
  phase: string;
  source: string;
  status: string;
  /** Input name -> value (degC, uL/min). */
  condition: Record<string, number>;
  /** PFO carrier flow, uL/min. */
  pfo: number;
  abs300?: number;
  pla?: number;
  /** The measured objective (the PLQY proxy on the reactor; the problem's objective otherwise). */
  plqy?: number;
  /** Set points and measured outcomes by name (any problem). */
  values?: Record<string, number>;
  /** What the strategy's model predicted when it chose the point (objective units), as the store holds it. */
  predicted?: { mean: number; std?: number; acquisition?: number };
  error?: string;
}

const INPUT_HEADERS = [
  ["T", "degC"],
  ["CuI", "uL/min"],
  ["ZnI2", "uL/min"],
  ["CsOA", "uL/min"],
  ["ODE", "uL/min"],
] as const;

/** Columns of the experiment table of a problem that is not the paper's: its own names and units, in order. */
export interface ProblemTableLayout {
  inputs: readonly { name: string; unit: string }[];
  /** Set points and outcomes, shown from `ReportExperiment.values`. */
  values: readonly { name: string; unit: string }[];
  goal: "maximize" | "minimize";
}

/** One column of the experiment table: its header and how a row fills it (already formatted text). */
interface Column {
  header: string;
  cell: (e: ReportExperiment) => string;
}

const fixed = (v: number | undefined, digits: number): string => (v === undefined || !Number.isFinite(v) ? "" : v.toFixed(digits));
const sixDigits = (v: number | undefined): string => (v === undefined || !Number.isFinite(v) ? "" : String(Number(v.toPrecision(6))));
const withUnit = (c: { name: string; unit: string }): string => (c.unit ? `${c.name} (${c.unit})` : c.name);

/**
 * HTML table of every experiment; the running best objective is marked with a star.
 * `objective` names the measured value ("PLQY proxy", or a test function's value); with a
 * `layout` (a problem that is not the paper's) the columns are that problem's and the best is
 * the largest, or the smallest for a minimize problem.
 */
export function experimentTableHtml(experiments: readonly ReportExperiment[], objective = "PLQY proxy", layout?: ProblemTableLayout): string {
  const num = layout ? sixDigits : fixed;
  const own: Column[] = layout
    ? [
        ...layout.inputs.map((c) => ({ header: withUnit(c), cell: (e: ReportExperiment) => num(e.condition[c.name], 0) })),
        ...layout.values.map((c) => ({ header: withUnit(c), cell: (e: ReportExperiment) => num(e.values?.[c.name], 0) })),
      ]
    : [
        ...INPUT_HEADERS.map(([n, u]) => ({ header: `${n} (${u})`, cell: (e: ReportExperiment) => num(e.condition[n], 2) })),
        { header: "PFO (uL/min)", cell: (e) => num(e.pfo, 2) },
        { header: "Abs300nm", cell: (e) => num(e.abs300, 4) },
        { header: "PLA (counts x nm)", cell: (e) => (e.pla === undefined ? "" : Math.round(e.pla).toString()) },
      ];
  const columns: Column[] = [
    { header: "predicted mean", cell: (e) => num(e.predicted?.mean, 4) },
    { header: "predicted std", cell: (e) => num(e.predicted?.std, 4) },
    { header: "acquisition value", cell: (e) => num(e.predicted?.acquisition, 4) },
  ];
  const sign = layout?.goal === "minimize" ? -1 : 1;
  let best = -Infinity;
  const rows = experiments.map((e) => {
    const improved = e.plqy !== undefined && sign * e.plqy > best;
    if (improved) best = sign * e.plqy!;
    return (
      `<tr><td>${e.index + 1}</td><td class="text">${escapeHtml(e.phase)}</td><td class="text">${escapeHtml(e.source)}</td><td class="text">${escapeHtml(e.status)}</td>` +
      [...own, ...columns].map((c) => `<td>${c.cell(e)}</td>`).join("") +
      `<td>${num(e.plqy, 4)}${improved ? " &#9733;" : ""}</td><td class="text">${escapeHtml(e.error ?? "")}</td></tr>`
    );
  });
  const head = ["#", "phase", "source", "status", ...[...own, ...columns].map((c) => c.header), objective, "error"];
  const which = layout ? ` (${layout.goal === "minimize" ? "smallest" : "largest"})` : "";
  return `<table class="experiments"><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr></thead><tbody>
${rows.join("\n")}
</tbody></table>
<p class="note">&#9733; a new best ${escapeHtml(objective)}${which} at that experiment. Predicted mean, std and acquisition value: what the strategy's model said when it chose the point (empty for initial-design points and strategies without a model).</p>`;
}
