// The shell of every `sonic ui` page: an inline stylesheet, a top bar, breadcrumbs. No scripts at all (the
// server's Content-Security-Policy forbids them), no fonts or styles from the network.
import { html, trusted, type Html } from './html.js';

const CSS = `
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"DejaVu Sans",sans-serif;color:#1d232a;background:#f6f7f9}
a{color:#1f5fa8;text-decoration:none}a:hover{text-decoration:underline}
.top{background:#1d2733;color:#e8edf2;padding:10px 24px;display:flex;gap:18px;align-items:baseline}
.top a{color:#fff;font-weight:600}.top .ws{color:#9fb0c2;font-size:12px;margin-left:auto;font-family:ui-monospace,monospace}
main{padding:18px 24px 40px;max-width:1400px}
h1{font-size:20px;margin:4px 0 2px}h2{font-size:16px;margin:26px 0 8px;padding-bottom:4px;border-bottom:1px solid #dde2e8}
h3{font-size:14px;margin:16px 0 6px}
.crumbs{font-size:12px;color:#5b6672;margin-bottom:6px}.crumbs a{color:#5b6672}
.sub{color:#5b6672;margin:0 0 10px}
dl.facts{display:grid;grid-template-columns:repeat(auto-fill,minmax(220px,1fr));gap:6px 18px;margin:10px 0 4px;background:#fff;border:1px solid #dde2e8;border-radius:6px;padding:10px 14px}
dl.facts div{min-width:0}dl.facts dt{font-size:11px;text-transform:uppercase;letter-spacing:.04em;color:#6b7682}
dl.facts dd{margin:0;overflow-wrap:anywhere;font-family:ui-monospace,monospace;font-size:12.5px}
.table-wrap{overflow-x:auto;background:#fff;border:1px solid #dde2e8;border-radius:6px}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{padding:5px 10px;border-bottom:1px solid #edf0f3;text-align:left;vertical-align:top}
th{background:#f0f3f6;font-weight:600;white-space:nowrap;position:sticky;top:0}
tr:last-child td{border-bottom:0}tbody tr:hover{background:#f8fafc}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
td.mono{font-family:ui-monospace,monospace;font-size:12px}
td.reason{color:#4a5560;max-width:520px}
.changed td{background:#fff8e6}
.badge{display:inline-block;padding:0 7px;border-radius:9px;font-size:12px;font-weight:600;color:#fff;white-space:nowrap}
.s-succeeded{background:#4c9a5b}.s-cached{background:#8a96a3}.s-failed{background:#d1495b}.s-interrupted{background:#d9962b}
.s-running{background:#3d7ea6}.s-skipped{background:#b9c0c7}.s-pending{background:#c9ced3;color:#333}
pre.log{background:#121820;color:#d9e1e8;padding:12px 14px;border-radius:6px;overflow:auto;max-height:560px;font-size:12px;line-height:1.4;white-space:pre-wrap;overflow-wrap:anywhere}
pre.error{background:#fdecee;color:#8a1c2b;padding:10px 12px;border-radius:6px;white-space:pre-wrap}
.plots{display:flex;flex-wrap:wrap;gap:14px}
.plot{background:#fff;border:1px solid #dde2e8;border-radius:6px;padding:6px;max-width:100%;overflow-x:auto}
.plot svg{display:block;max-width:100%;height:auto}
.gallery{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:14px;align-items:start}
figure{margin:0;background:#fff;border:1px solid #dde2e8;border-radius:6px;padding:8px}
figure img{display:block;width:auto;height:auto;max-width:100%;max-height:560px;margin:0 auto}
figure img.pixels{width:128px;image-rendering:pixelated}
.dim{color:#8a949e}
figcaption{font-size:12px;color:#4a5560;margin-top:6px;overflow-wrap:anywhere}
form.compare{margin:10px 0}
button{font:inherit;padding:5px 14px;border-radius:5px;border:1px solid #1f5fa8;background:#1f5fa8;color:#fff;cursor:pointer}
.note{color:#5b6672;font-size:12.5px}
.empty{color:#6b7682;font-style:italic}
.dag{background:#fff;border:1px solid #dde2e8;border-radius:6px;padding:10px;overflow:auto}
.dag svg{display:block}
.legend{display:flex;gap:10px;flex-wrap:wrap;margin:6px 0;font-size:12px}
`;

export interface PageOptions {
  title: string;
  crumbs?: ReadonlyArray<[label: string, href: string]>;
  subtitle?: string;
  workspace: string;
  body: Html;
  /** Reload the page every N seconds (a run or stage still running). */
  refreshSeconds?: number;
}

export function page(o: PageOptions): string {
  const crumbs = o.crumbs?.length
    ? html`<div class="crumbs">${o.crumbs.map(([label, href], i) => html`${i > 0 ? ' / ' : ''}<a href="${href}">${label}</a>`)}</div>`
    : '';
  return `<!DOCTYPE html>\n${html`<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${o.refreshSeconds !== undefined ? html`<meta http-equiv="refresh" content="${o.refreshSeconds}">` : ''}<link rel="icon" href="data:,"><title>${o.title} · sonic ui</title><style>${trusted(CSS)}</style></head>
<body><div class="top"><a href="/">sonic ui</a><a href="/">runs</a><span class="ws">${o.workspace}</span></div>
<main>${crumbs}<h1>${o.title}</h1>${o.subtitle !== undefined ? html`<p class="sub">${o.subtitle}</p>` : ''}
${o.body}</main></body></html>`}\n`;
}

export function badge(state: string): Html {
  return html`<span class="badge s-${/^[a-z]+$/.test(state) ? state : 'pending'}">${state}</span>`;
}

export function facts(items: ReadonlyArray<[label: string, value: string | number | Html]>): Html {
  return html`<dl class="facts">${items.map(([l, v]) => html`<div><dt>${l}</dt><dd>${v}</dd></div>`)}</dl>`;
}
