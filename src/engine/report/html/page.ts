// The shell of a static HTML page: inline stylesheet, a header, a table of contents and sections. No
// scripts, fonts or styles from the network: the page opens from disk (and `sonic ui` serves the same).
import { escapeHtml, localHref } from './escape.js';
import { PAGE_CSS } from './page-css.js';

export interface PageSection {
  id: string; // anchor, [a-z0-9-]
  title: string;
  html: string; // trusted markup built with the helpers of this directory
}

export interface Page {
  title: string;
  subtitle?: string; // plain text under the title
  /** Key facts shown as a grid under the title (e.g. commit, profile, backend). Values are plain text. */
  facts?: ReadonlyArray<{ label: string; value: string }>;
  sections: readonly PageSection[];
  footer?: string; // plain text
}

export function renderPage(page: Page): string {
  for (const s of page.sections) if (!/^[a-z0-9-]+$/.test(s.id)) throw new Error(`section id ${JSON.stringify(s.id)}: use a-z, 0-9 and -`);
  const facts = page.facts?.length
    ? `<dl class="facts">${page.facts.map((f) => `<div><dt>${escapeHtml(f.label)}</dt><dd>${escapeHtml(f.value)}</dd></div>`).join('')}</dl>`
    : '';
  const toc = page.sections.length > 1 ? `<nav class="toc">${page.sections.map((s) => `<a href="#${s.id}">${escapeHtml(s.title)}</a>`).join('')}</nav>` : '';
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(page.title)}</title>`,
    `<style>${PAGE_CSS}</style>`,
    '</head>',
    '<body>',
    '<header>',
    `<h1>${escapeHtml(page.title)}</h1>`,
    page.subtitle ? `<p class="subtitle">${escapeHtml(page.subtitle)}</p>` : '',
    facts,
    toc,
    '</header>',
    '<main>',
    ...page.sections.map((s) => `<section id="${s.id}">\n<h2>${escapeHtml(s.title)}</h2>\n${s.html}\n</section>`),
    '</main>',
    page.footer ? `<footer>${escapeHtml(page.footer)}</footer>` : '',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** A picture (a relative file in the report directory) with its caption. */
export function figureHtml(src: string, caption: string, options: { alt?: string; wide?: boolean } = {}): string {
  const href = localHref(src);
  return `<figure${options.wide ? ' class="wide"' : ''}><a href="${href}"><img src="${href}" alt="${escapeHtml(options.alt ?? caption)}" loading="lazy"></a><figcaption>${escapeHtml(caption)}</figcaption></figure>`;
}

export function paragraphHtml(text: string, className?: string): string {
  return `<p${className ? ` class="${className}"` : ''}>${escapeHtml(text)}</p>`;
}

export function listHtml(items: readonly string[], className?: string): string {
  return `<ul${className ? ` class="${className}"` : ''}>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
}

export function linkHtml(href: string, text: string): string {
  return `<a href="${localHref(href)}">${escapeHtml(text)}</a>`;
}
