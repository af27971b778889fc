// "Did you mean" suggestions for misspelt names.

/** Edits (insert, delete, substitute, swap two neighbours) between a and b: "stauts" is 1 from "status". */
function editDistance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/** Candidates within a small edit distance of `name`, closest first (at most 3). */
export function closeNames(name: string, candidates: Iterable<string>): string[] {
  const limit = Math.max(2, Math.floor(name.length / 3));
  const lower = name.toLowerCase();
  return [...new Set(candidates)]
    .map((c) => ({ c, d: editDistance(lower, c.toLowerCase()) }))
    .filter(({ d }) => d <= limit)
    .sort((x, y) => x.d - y.d || x.c.localeCompare(y.c))
    .slice(0, 3)
    .map(({ c }) => c);
}

function quoteList(names: string[]): string {
  return names.map((n) => `"${n}"`).join(', ');
}

/**
 * ` (did you mean "x"?)` when something is close, else `; expected one of: "a", "b"` (or `; none defined`).
 */
export function suggestion(name: string, candidates: Iterable<string>, what = 'expected one of'): string {
  const all = [...new Set(candidates)];
  const close = closeNames(name, all);
  if (close.length === 1) return ` (did you mean "${close[0]}"?)`;
  if (close.length > 1) return ` (did you mean one of ${quoteList(close)}?)`;
  if (all.length === 0) return '; none defined';
  const shown = all.length > 12 ? [...all.slice(0, 12)] : all;
  return `; ${what}: ${quoteList(shown)}${all.length > shown.length ? `, … (${all.length} in all)` : ''}`;
}
