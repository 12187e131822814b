/**
 * The dashboard's HTML shell. Everything it loads comes from this server (/assets/...):
 * uPlot from node_modules and sdfl's own script and style; the data arrive over the
 * server-sent event stream /events.
 */
export function dashboardPage(): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>sdfl live campaign</title>
<link rel="stylesheet" href="/assets/uPlot.min.css">
<link rel="stylesheet" href="/assets/dashboard.css">
</head>
<body data-state="connecting">
<header>
  <h1>sdfl live campaign</h1>
  <label>campaign <select id="campaign-picker"></select></label>
  <span id="connection" class="badge">connecting</span>
</header>
<main>
  <section id="summary" class="cards">
    <div class="card"><h2>Progress</h2><div class="bar"><div id="progress-bar"></div></div><p id="progress">-</p><p id="eta">-</p></div>
    <div class="card"><h2>Best so far</h2><p id="best" class="big">-</p><p id="best-condition" class="small">-</p></div>
    <div class="card"><h2>Model recommendation</h2><p id="recommendation" class="big">-</p><p id="recommendation-condition" class="small">-</p></div>
    <div class="card"><h2>Safe stop</h2>
      <form id="stop-form"><input id="stop-token" type="password" autocomplete="off" placeholder="token printed in the terminal" size="30">
      <button id="stop-button" type="submit">Stop campaign</button></form>
      <p id="stop-status" class="small">-</p></div>
  </section>
  <section class="charts">
    <figure><figcaption id="progress-caption">Measured value and best so far per experiment</figcaption><div id="chart-progress"></div></figure>
    <figure><figcaption>Predicted mean &plusmn; std (when chosen) against measured</figcaption><div id="chart-prediction"></div></figure>
    <figure id="spectra-figure" hidden><figcaption id="spectra-caption">Latest processed spectra</figcaption><div id="chart-spectra"></div></figure>
  </section>
  <section id="devices-section" hidden><h2>Devices</h2><table id="devices"></table><h2>Device log</h2><table id="device-log"></table></section>
  <section><h2>Experiments (newest first)</h2><table id="experiments"></table></section>
</main>
<footer id="footer" class="small">-</footer>
<script src="/assets/uPlot.iife.min.js"></script>
<script src="/assets/dashboard.js"></script>
</body>
</html>
`;
}
