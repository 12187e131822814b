/** Escape text for HTML element content and attribute values. */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
}

/**
 * Prepare an SVG document for inlining into HTML: drop the XML prolog and make every
 * id unique to the figure (ids, url(#...) and href="#..." references get `prefix-`),
 * so several figures with equal gradient or clip-path ids do not collide.
 */
export function inlineSvg(svg: string, prefix: string): string {
  const body = svg
    .replace(/<\?xml[^>]*\?>\s*/g, "")
    .replace(/<!DOCTYPE[^>]*>\s*/gi, "")
    .trim();
  return body
    .replace(/\bid="([^"]+)"/g, (_, id: string) => `id="${prefix}-${id}"`)
    .replace(/url\(#([^)]+)\)/g, (_, id: string) => `url(#${prefix}-${id})`)
    .replace(/\b(xlink:href|href)="#([^"]+)"/g, (_, attr: string, id: string) => `${attr}="#${prefix}-${id}"`);
}

/**
 * A small script placed first in every page sdfl writes. It records script errors and,
 * once the page has loaded, checks that every <figure> shows a rendered <svg> (non-empty
 * bounding box) or a loaded <img> (non-zero natural size). The result is written to
 * <html data-render-status="ok" data-figures="N"> (or "error" with data-render-errors),
 * which a headless browser check reads from the dumped DOM.
 */
export const RENDER_CHECK_SCRIPT = `<script>
(function () {
  var errors = [];
  window.addEventListener("error", function (e) { errors.push("script error: " + (e.message || (e.target && (e.target.src || e.target.outerHTML)) || "unknown")); }, true);
  function check() {
    var figs = document.querySelectorAll("figure[data-figure]");
    var ok = 0;
    figs.forEach(function (f) {
      var name = f.getAttribute("data-figure");
      var svg = f.querySelector("svg"), img = f.querySelector("img");
      if (f.hasAttribute("data-missing")) return;
      if (svg) { var b = svg.getBBox(); if (b.width > 0 && b.height > 0) ok++; else errors.push(name + ": svg has an empty bounding box"); }
      else if (img) { if (img.complete && img.naturalWidth > 0) ok++; else errors.push(name + ": image did not load (" + img.getAttribute("src") + ")"); }
      else errors.push(name + ": no svg or img");
    });
    var root = document.documentElement;
    root.setAttribute("data-figures", String(ok));
    root.setAttribute("data-missing-figures", String(document.querySelectorAll("figure[data-missing]").length));
    root.setAttribute("data-render-status", errors.length ? "error" : "ok");
    if (errors.length) root.setAttribute("data-render-errors", errors.join(" | "));
  }
  window.addEventListener("load", function () { setTimeout(check, 0); });
})();
</script>`;

const STYLE = `<style>
body { font-family: system-ui, sans-serif; margin: 24px auto; max-width: 1180px; color: #222; padding: 0 16px; }
h1 { font-size: 1.5em; } h2 { font-size: 1.2em; margin-top: 2em; border-bottom: 1px solid #ddd; }
figure { margin: 1em 0; } figure svg, figure img { max-width: 100%; height: auto; border: 1px solid #eee; }
figcaption { color: #555; font-size: 0.9em; margin-top: 4px; }
.missing { border: 2px dashed #c77; background: #fff6f6; padding: 12px; color: #933; }
table { border-collapse: collapse; font-size: 0.85em; } th, td { border: 1px solid #ddd; padding: 3px 6px; text-align: right; }
th { background: #f4f4f4; position: sticky; top: 0; } td.text { text-align: left; }
dl.meta { display: grid; grid-template-columns: max-content auto; gap: 2px 16px; } dl.meta dt { font-weight: bold; } dl.meta dd { margin: 0; }
.note { color: #555; font-size: 0.9em; }
</style>`;

/** A complete HTML page: UTF-8, the render check first, styles, then `body`. */
export function htmlPage(title: string, body: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(title)}</title>
${RENDER_CHECK_SCRIPT}
${STYLE}
</head>
<body>
${body}
</body>
</html>
`;
}

/** One figure of a page, as plain data. */
export interface FigureSpec {
  /** Short unique name, used for ids and by the render check. */
  id: string;
  title: string;
  caption?: string;
  /** An SVG document to inline. */
  svg?: string;
  /** Or an image file to reference (relative URL). */
  src?: string;
  /** When neither is available: why, shown visibly in place of the figure. */
  missing?: string;
}

/** A <figure> for a {@link FigureSpec}: inlined SVG, <img>, or a visible "not available" note. */
export function figureHtml(f: FigureSpec): string {
  const cap = `<figcaption><strong>${escapeHtml(f.title)}.</strong> ${escapeHtml(f.caption ?? "")}</figcaption>`;
  if (f.svg) return `<figure data-figure="${escapeHtml(f.id)}" id="fig-${escapeHtml(f.id)}">\n${inlineSvg(f.svg, f.id)}\n${cap}</figure>`;
  if (f.src)
    return `<figure data-figure="${escapeHtml(f.id)}" id="fig-${escapeHtml(f.id)}"><img src="${escapeHtml(f.src)}" alt="${escapeHtml(f.title)}">${cap}</figure>`;
  return `<figure data-figure="${escapeHtml(f.id)}" data-missing="true" id="fig-${escapeHtml(f.id)}"><div class="missing">${escapeHtml(f.title)}: not available. ${escapeHtml(f.missing ?? "")}</div></figure>`;
}
