// The report's stylesheet (inline in every page): readable type, wide tables that scroll, figures in a grid.
export const PAGE_CSS = `
:root { --fg: #1d232b; --muted: #5b6672; --line: #dfe3e8; --accent: #2f6db5; --bg: #ffffff; --soft: #f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; color: var(--fg); background: var(--bg); font: 15px/1.5 system-ui, -apple-system, "Segoe UI", "DejaVu Sans", sans-serif; }
header, main, footer { max-width: 1200px; margin: 0 auto; padding: 0 28px; }
header { padding-top: 28px; padding-bottom: 8px; border-bottom: 1px solid var(--line); }
h1 { font-size: 28px; margin: 0 0 4px; }
h2 { font-size: 21px; margin: 36px 0 12px; padding-bottom: 4px; border-bottom: 2px solid var(--line); }
h3 { font-size: 16px; margin: 22px 0 8px; }
.subtitle { color: var(--muted); margin: 0 0 14px; max-width: 90ch; }
.facts { display: grid; grid-template-columns: repeat(auto-fill, minmax(220px, 1fr)); gap: 8px 18px; margin: 12px 0 16px; }
.facts div { background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 6px 10px; }
.facts dt { font-size: 12px; color: var(--muted); text-transform: uppercase; letter-spacing: .04em; }
.facts dd { margin: 0; font-weight: 600; word-break: break-word; }
nav.toc { display: flex; flex-wrap: wrap; gap: 6px 16px; margin: 8px 0 6px; font-size: 14px; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
.table-wrap { overflow-x: auto; margin: 8px 0 6px; border: 1px solid var(--line); border-radius: 6px; }
table { border-collapse: collapse; font-size: 13.5px; font-variant-numeric: tabular-nums; width: max-content; min-width: 100%; }
th, td { padding: 5px 10px; border-bottom: 1px solid var(--line); white-space: nowrap; }
th { background: var(--soft); text-align: left; font-weight: 600; position: sticky; top: 0; }
td.num, th.num { text-align: right; }
tr.groups th { border-bottom: none; padding-bottom: 0; }
tr.groups th.group { text-align: center; border-bottom: 2px solid #b9c6d6; text-transform: capitalize; }
thead tr + tr th { top: 29px; }
tr.reported td { color: var(--muted); font-style: italic; background: #fbfbfc; }
tr.group-start td { border-top: 2px solid var(--line); }
.tag { display: inline-block; font-size: 11px; padding: 0 6px; border-radius: 8px; background: #e8eef7; color: #2a4a75; font-style: normal; }
.ci { font-size: 11px; color: #667; white-space: nowrap; }
tr.reported .tag { background: #eee; color: #666; }
.notes { color: var(--muted); font-size: 13px; margin: 4px 0 16px; padding-left: 18px; }
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(420px, 1fr)); gap: 18px; align-items: start; }
.figures > * { min-width: 0; }
main, section { min-width: 0; }
figure { margin: 0; background: var(--soft); border: 1px solid var(--line); border-radius: 6px; padding: 10px; }
figure.wide { grid-column: 1 / -1; }
figure img { max-width: 100%; height: auto; display: block; margin: 0 auto; image-rendering: auto; }
figcaption { font-size: 13px; color: var(--muted); margin-top: 6px; }
ul.findings li { margin: 4px 0; }
.same { color: #2c7a3f; font-weight: 600; }
.opposite { color: #b3261e; font-weight: 600; }
details { margin: 14px 0; }
summary { cursor: pointer; font-weight: 600; margin-bottom: 8px; }
footer { color: var(--muted); font-size: 12px; padding-top: 24px; padding-bottom: 32px; }
code { background: var(--soft); padding: 0 4px; border-radius: 3px; font-size: 90%; }
`;
