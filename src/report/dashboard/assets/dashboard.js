// sdfl live dashboard (browser side). Follows the server-sent event stream /events and
// redraws from each snapshot (see src/report/dashboard/snapshot.ts for its shape); the
// browser's EventSource reconnects by itself after a server restart.
"use strict";

const PALETTE = {
  measured: "#2b6cb0",
  best: "#c05621",
  mean: "#6b46c1",
  band: "rgba(107, 70, 193, 0.18)",
  spectra: ["#2b6cb0", "#c05621", "#2f855a", "#6b46c1"],
};
const $ = (id) => document.getElementById(id);
const charts = {};
let source;
let campaignId = new URLSearchParams(location.search).get("campaign") || "";
let lastSnapshot;

function fmt(v, digits = 4) {
  return typeof v === "number" && Number.isFinite(v) ? v.toFixed(digits) : "-";
}

function fmtDuration(s) {
  if (typeof s !== "number" || !Number.isFinite(s)) return "-";
  if (s < 10) return `${s.toFixed(1)} s`;
  if (s < 90) return `${Math.round(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

function fmtCondition(c) {
  // A campaign on its own problem carries its units; the paper's reactor: degC and uL/min.
  const units = lastSnapshot?.campaign?.units;
  const unit = (k) => (units ? (units[k] ? ` ${units[k]}` : "") : k === "T" ? " \u00b0C" : " \u00b5L/min");
  return Object.entries(c || {})
    .map(([k, v]) => `${k} ${units ? fmtSig(v) : fmt(v, k === "T" ? 1 : 2)}${unit(k)}`)
    .join(", ");
}

/** A value of any problem's input: 5 significant digits. */
function fmtSig(v) {
  return typeof v === "number" && Number.isFinite(v) ? String(Number(v.toPrecision(5))) : "-";
}

function connect() {
  if (source) source.close();
  document.body.dataset.state = "connecting";
  source = new EventSource(`/events${campaignId ? `?campaign=${encodeURIComponent(campaignId)}` : ""}`);
  source.addEventListener("snapshot", (ev) => {
    document.body.dataset.state = "live";
    $("connection").textContent = "live";
    render(JSON.parse(ev.data));
  });
  source.onerror = () => {
    document.body.dataset.state = "reconnecting";
    $("connection").textContent = "reconnecting\u2026";
  };
}

function render(s) {
  lastSnapshot = s;
  renderPicker(s);
  const c = s.campaign;
  document.body.dataset.campaign = c ? String(c.id) : "";
  document.body.dataset.done = c ? String(c.done) : "0";
  document.body.dataset.status = c ? c.status : "";
  $("footer").textContent = `store ${s.store} \u00b7 updated ${new Date(s.at).toLocaleTimeString()}`;
  if (!c) {
    $("progress").textContent = "no campaign in this store yet";
    return;
  }
  $("progress").textContent =
    `${c.done} of ${c.total} experiments done${c.failed ? `, ${c.failed} failed` : ""} \u00b7 ${c.status}${c.running !== undefined ? ` \u00b7 running #${c.running + 1}` : ""}`;
  $("progress-bar").style.width = `${c.total ? Math.min(100, (100 * c.done) / c.total) : 0}%`;
  $("eta").textContent = c.stale
    ? `no new measurement since ${new Date(c.lastMeasuredAt).toLocaleString()}: stopped or crashed? \`sdfl campaign --resume\` continues it`
    : c.status === "running"
      ? `ETA ${fmtDuration(c.etaSeconds)}${c.secondsPerExperiment ? ` (${fmtDuration(c.secondsPerExperiment)} per experiment)` : ""}`
      : `campaign ${c.status}`;
  $("best").textContent = c.best ? `${c.objective} ${fmt(c.best.value)}` : "-";
  $("best-condition").textContent = c.best ? `experiment ${c.best.index + 1}: ${fmtCondition(c.best.condition)}` : "no measurement yet";
  const r = c.recommendation;
  $("recommendation").textContent = r ? `${fmt(r.mean)}${r.std !== undefined ? ` \u00b1 ${fmt(r.std)}` : ""}` : "-";
  $("recommendation-condition").textContent = r
    ? `${fmtCondition(r.condition)} (${r.source}${r.index >= 0 ? `, as of experiment ${r.index + 1}` : ""})`
    : "no model prediction stored yet";
  const stopOk = s.canStop && s.stoppable === c.id && c.status === "running";
  $("stop-button").disabled = !stopOk;
  if (!s.canStop) $("stop-status").textContent = "this server only watches the store: stop in the campaign's terminal (Ctrl-C)";
  $("progress-caption").textContent =
    `Measured ${c.objective}, best so far, and the model's recommendation then (its predicted ${c.objective}, dashed) per experiment`;
  renderCharts(c);
  renderExperiments(c);
  renderDevices(c);
}

function renderPicker(s) {
  const sel = $("campaign-picker");
  const want = s.campaigns.map((k) => `${k.id}:${k.status}:${k.done}`).join("|");
  if (sel.dataset.key === want) return;
  sel.dataset.key = want;
  sel.replaceChildren(
    ...s.campaigns.map((k) => {
      const o = document.createElement("option");
      o.value = String(k.id);
      o.textContent = `#${k.id} ${k.lab} \u00b7 ${k.strategy} \u00b7 ${k.done}/${k.total} \u00b7 ${k.status}`;
      return o;
    }),
  );
  if (s.campaign) sel.value = String(s.campaign.id);
}

function chart(key, el, opts, data) {
  const width = Math.max(320, el.clientWidth || 460);
  if (!charts[key] || charts[key].key !== opts.key) {
    if (charts[key]) charts[key].plot.destroy();
    el.replaceChildren();
    charts[key] = { key: opts.key, plot: new uPlot({ width, height: 260, ...opts.spec }, data, el) };
  } else charts[key].plot.setData(data);
}

function renderCharts(c) {
  const done = c.experiments.filter((e) => typeof e.measured === "number");
  const x = done.map((e) => e.index + 1);
  const best = new Map(c.bestSoFar.map((b) => [b.index, b.value]));
  // The initial design's order (e.g. the published LHS sorted by T) is no progress: the
  // best-so-far line starts at the last initial experiment, at the best of the whole design.
  const init = done.filter((e) => e.phase === "init");
  for (const e of init.slice(0, -1)) best.delete(e.index);
  const axis = { stroke: "#52606d", grid: { stroke: "#e4e7eb" } };
  // Experiment numbers are whole numbers: no 61.25 ticks.
  const xAxis = { ...axis, label: "experiment", incrs: [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000] };
  chart(
    "progress",
    $("chart-progress"),
    {
      key: `p${c.id}`,
      spec: {
        scales: { x: { time: false } },
        axes: [xAxis, { ...axis, label: c.objective }],
        series: [
          { label: "experiment" },
          { label: "measured", stroke: PALETTE.measured, width: 0, points: { show: true, size: 5, fill: PALETTE.measured } },
          {
            label: "best so far (after the initial design)",
            stroke: PALETTE.best,
            width: 2,
            points: { show: false },
            paths: uPlot.paths.stepped({ align: 1 }),
          },
          {
            label: "recommendation (predicted)",
            stroke: PALETTE.mean,
            width: 1.5,
            dash: [6, 4],
            spanGaps: true,
            points: { show: false },
            paths: uPlot.paths.stepped({ align: 1 }),
          },
        ],
      },
    },
    [x, done.map((e) => e.measured), done.map((e) => best.get(e.index) ?? null), done.map((e) => e.recommendation?.mean ?? null)],
  );
  const withPred = c.experiments.filter((e) => e.predicted);
  const px = withPred.map((e) => e.index + 1);
  const mean = withPred.map((e) => e.predicted.mean);
  const std = withPred.map((e) => e.predicted.std ?? 0);
  chart(
    "prediction",
    $("chart-prediction"),
    {
      key: `q${c.id}`,
      spec: {
        scales: { x: { time: false } },
        axes: [xAxis, { ...axis, label: c.objective }],
        bands: [{ series: [3, 4], fill: PALETTE.band }],
        series: [
          { label: "experiment" },
          { label: "predicted mean", stroke: PALETTE.mean, width: 0, points: { show: true, size: 6, fill: PALETTE.mean } },
          { label: "measured", stroke: PALETTE.measured, width: 0, points: { show: true, size: 5, fill: PALETTE.measured } },
          { label: "mean + std", stroke: PALETTE.band, width: 1, points: { show: false } },
          { label: "mean - std", stroke: PALETTE.band, width: 1, points: { show: false } },
        ],
      },
    },
    [px, mean, withPred.map((e) => (typeof e.measured === "number" ? e.measured : null)), mean.map((m, i) => m + std[i]), mean.map((m, i) => m - std[i])],
  );
  $("spectra-figure").hidden = c.spectra.length === 0;
  if (c.spectra.length) {
    // One chart per kind of spectrum (absorbance, PL), each with the newest experiments' curves.
    const labels = [...new Set(c.spectra.map((s) => s.label))];
    $("spectra-caption").textContent = `Latest processed spectra (experiments ${[...new Set(c.spectra.map((s) => s.index + 1))].join(", ")})`;
    const box = $("chart-spectra");
    if (box.dataset.labels !== labels.join("|")) {
      box.dataset.labels = labels.join("|");
      box.replaceChildren(...labels.map(() => document.createElement("div")));
      for (const k of Object.keys(charts)) if (k.startsWith("spectra:")) delete charts[k];
    }
    labels.forEach((label, li) => {
      const same = c.spectra.filter((s) => s.label === label && s.x.length === c.spectra.find((t) => t.label === label).x.length);
      chart(
        `spectra:${label}`,
        box.children[li],
        {
          key: `s${c.id}:${label}:${same.map((s) => s.index).join(",")}`,
          spec: {
            height: 200,
            scales: { x: { time: false } },
            axes: [
              { ...axis, label: "wavelength (nm)" },
              { ...axis, label },
            ],
            series: [
              { label: "nm" },
              ...same.map((s, i) => ({ label: `#${s.index + 1}`, stroke: PALETTE.spectra[i % 4], width: 1.5, points: { show: false } })),
            ],
          },
        },
        [same[0].x, ...same.map((s) => s.y)],
      );
    });
  }
}

function cell(text, cls) {
  const td = document.createElement("td");
  td.textContent = text;
  if (cls) td.className = cls;
  return td;
}

function header(names) {
  const tr = document.createElement("tr");
  for (const n of names) {
    const th = document.createElement("th");
    th.textContent = n;
    tr.append(th);
  }
  return tr;
}

function renderExperiments(c) {
  const rows = [
    header([
      "#",
      "phase",
      "status",
      ...c.inputs,
      "predicted",
      "\u00b1 std",
      "acquisition",
      `measured ${c.objective}`,
      "model's recommendation then (predicted)",
    ]),
  ];
  for (const e of [...c.experiments].reverse().slice(0, 200)) {
    const tr = document.createElement("tr");
    tr.dataset.index = String(e.index);
    if (e.status === "failed") tr.className = "failed";
    if (c.best && c.best.index === e.index) tr.className = "best";
    tr.append(cell(String(e.index + 1)), cell(e.phase, "text"), cell(e.status, "text"));
    for (const k of c.inputs) tr.append(cell(c.units ? fmtSig(e.condition[k]) : fmt(e.condition[k], k === "T" ? 1 : 2)));
    tr.append(
      cell(fmt(e.predicted?.mean)),
      cell(fmt(e.predicted?.std)),
      cell(fmt(e.predicted?.acquisition)),
      cell(e.error ? e.error : fmt(e.measured), e.error ? "text" : ""),
      recommendationCell(e.recommendation),
    );
    rows.push(tr);
  }
  $("experiments").replaceChildren(...rows);
}

/** The recommendation stored with a proposal: predicted mean +- std, its condition on hover and below. */
function recommendationCell(r) {
  const td = cell(r ? `${fmt(r.mean)}${r.std !== undefined ? ` \u00b1 ${fmt(r.std)}` : ""}` : "", "text recommendation");
  if (r) {
    td.title = `${fmtCondition(r.condition)}${r.observations !== undefined ? ` (model of ${r.observations} observations)` : ""}`;
    const small = document.createElement("div");
    small.className = "small";
    small.textContent = fmtCondition(r.condition);
    td.append(small);
  }
  return td;
}

function genericTable(el, rows) {
  const cols = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const out = [header(cols)];
  for (const r of rows) {
    const tr = document.createElement("tr");
    for (const k of cols) {
      const v = r[k];
      tr.append(
        cell(typeof v === "number" ? String(Math.round(v * 1000) / 1000) : typeof v === "object" && v !== null ? JSON.stringify(v) : String(v ?? ""), "text"),
      );
    }
    out.push(tr);
  }
  el.replaceChildren(...out);
}

function renderDevices(c) {
  const has = Array.isArray(c.devices) || Array.isArray(c.deviceLog);
  $("devices-section").hidden = !has;
  if (!has) return;
  genericTable($("devices"), c.devices || []);
  genericTable($("device-log"), c.deviceLog || []);
}

$("campaign-picker").addEventListener("change", (ev) => {
  campaignId = ev.target.value;
  history.replaceState(null, "", `?campaign=${encodeURIComponent(campaignId)}`);
  connect();
});

$("stop-form").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  const token = $("stop-token").value.trim();
  $("stop-status").textContent = "asking the campaign to stop\u2026";
  try {
    const r = await fetch("/api/stop", { method: "POST", headers: { "x-sdfl-token": token } });
    const body = await r.json().catch(() => ({}));
    $("stop-status").textContent = r.ok
      ? `stop requested for campaign ${body.stopping}: the running experiment is left for --resume, devices go to their safe state`
      : `refused: ${body.error || r.status}`;
    document.body.dataset.stop = r.ok ? "requested" : "refused";
  } catch (e) {
    $("stop-status").textContent = `no answer from the server (${e.message})`;
  }
});

window.addEventListener("resize", () => lastSnapshot && lastSnapshot.campaign && renderCharts(lastSnapshot.campaign));
connect();
