// Markup for `sonic ui` built with a tagged template that escapes every interpolated value, so text from the
// store (stage ids, params, log lines, error messages) can never become markup. Only Html values (built
// with `html` itself or `trusted`) pass through as they are.
import { escapeHtml } from '../html/escape.js';

export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

export const escapeText = escapeHtml;

function part(v: unknown): string {
  if (v instanceof Html) return v.text;
  if (Array.isArray(v)) return v.map(part).join('');
  if (v === null || v === undefined || v === false) return '';
  return escapeText(String(v));
}

export function html(strings: TemplateStringsArray, ...values: unknown[]): Html {
  let out = strings[0]!;
  for (let i = 0; i < values.length; i++) out += part(values[i]) + strings[i + 1]!;
  return new Html(out);
}

/** Markup made elsewhere that is known to be safe (an SVG rendered by vega or by the DAG renderer). */
export function trusted(markup: string): Html {
  return new Html(markup);
}

/** A query string from pairs, each name and value URL-encoded. */
export function query(pairs: ReadonlyArray<[string, string | number]>): string {
  return pairs.length === 0 ? '' : `?${pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`).join('&')}`;
}
