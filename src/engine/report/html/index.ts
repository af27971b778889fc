// Static HTML report pieces: the page shell, tables, figures, escaping. Used by report stages and `sonic ui`.
export { escapeHtml, localHref } from './escape.js';
export { figureHtml, linkHtml, listHtml, paragraphHtml, renderPage, type Page, type PageSection } from './page.js';
export { renderHtmlTable, type HtmlTableOptions } from './table.js';
export { PAGE_CSS } from './page-css.js';
