// HTML text and attribute escaping, and a guard that keeps report pages self-contained.

export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/**
 * A relative path inside the report's directory, checked: a report must open from disk with no network, so
 * URLs (anything with a scheme), absolute paths and paths leaving the directory are refused.
 */
export function localHref(path: string): string {
  if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('/') || path.startsWith('\\') || path.split(/[\\/]/).includes('..')) {
    throw new Error(`report link ${JSON.stringify(path)}: must be a relative path inside the report directory`);
  }
  return path.split('/').map(encodeURIComponent).join('/');
}
