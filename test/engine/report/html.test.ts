// The static HTML page shell: escaping, self-contained links, tables with column groups.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { escapeHtml, figureHtml, localHref, renderHtmlTable, renderPage } from '../../../src/engine/report/html/index.js';

test('renderPage: a complete page with its sections, a table of contents, escaped text and no network reference', () => {
  const html = renderPage({
    title: 'World <results>',
    subtitle: 'a & b',
    facts: [{ label: 'Commit', value: 'abc"def' }],
    sections: [
      { id: 'one', title: 'One', html: '<p>first</p>' },
      { id: 'two', title: 'Two', html: figureHtml('pictures/a b.png', 'a <grid>') },
    ],
  });
  assert.match(html, /^<!DOCTYPE html>/);
  assert.match(html, /<title>World &lt;results&gt;<\/title>/);
  assert.match(html, /<dd>abc&quot;def<\/dd>/);
  assert.match(html, /<a href="#one">One<\/a><a href="#two">Two<\/a>/);
  assert.match(html, /<section id="two">/);
  assert.match(html, /<img src="pictures\/a%20b.png" alt="a &lt;grid&gt;"/);
  assert.doesNotMatch(html, /:\/\//, 'a report page refers to nothing over the network');
  assert.throws(() => renderPage({ title: 't', sections: [{ id: 'Bad Id', title: 'x', html: '' }] }), /section id/);
});

test('localHref refuses URLs, absolute paths and paths that leave the directory', () => {
  assert.equal(localHref('plots/curve.svg'), 'plots/curve.svg');
  for (const bad of ['https://example.org/x.png', 'data:image/png;base64,AA', '/etc/passwd', '../other/x.png', 'a/../../b']) {
    assert.throws(() => localHref(bad), /relative path inside the report directory/, bad);
  }
  assert.equal(escapeHtml(`<a href='x'>&</a>`), '&lt;a href=&#39;x&#39;&gt;&amp;&lt;/a&gt;');
});

test('renderHtmlTable: header, right-aligned numbers, row classes, custom cells, column groups checked', () => {
  const table = { title: 'T', columns: [{ key: 'm', label: 'method' }, { key: 'v', label: 'AIC' }], rows: [{ m: 'full', v: 0.5 }, { m: 'x<y', v: null }] };
  const html = renderHtmlTable(table, { rowClass: (_r, i) => (i === 1 ? 'reported' : undefined), columnGroups: [{ label: '', span: 1 }, { label: 'hits', span: 1 }] });
  assert.match(html, /<h3>T<\/h3>/);
  assert.match(html, /<tr class="groups"><th colspan="1"><\/th><th colspan="1" class="group">hits<\/th><\/tr>/);
  assert.match(html, /<th class="num">AIC<\/th>/);
  assert.match(html, /<tr><td>full<\/td><td class="num">0.5<\/td><\/tr>/);
  assert.match(html, /<tr class="reported"><td>x&lt;y<\/td><td class="num">—<\/td><\/tr>/);
  assert.throws(() => renderHtmlTable(table, { columnGroups: [{ label: 'a', span: 3 }] }), /span 3 columns, the table has 2/);
});
