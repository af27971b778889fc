// Compares the paper tables of two SonicToy runs (the published copies, e.g. results/sonictoy and a bench
// workspace's results/sonictoy): a summary per table, every cell that moved outside the old run's 95 %
// bootstrap interval, then one JSON line.
//   node dist/bench/main-job/compare-tables.js <old results dir> <new results dir> [--strict]
// --strict: exit 1 when a cell is outside its interval or missing from the new run.
import { existsSync } from 'node:fs';
import { compareResults, type CellComparison } from './table-intervals.js';

function fmt(c: CellComparison): string {
  const now = c.new === null ? 'missing' : String(c.new);
  return `  ${c.table} · ${c.row} · ${c.column}: ${now} (before ${c.old.value} [${c.old.low}, ${c.old.high}])`;
}

function main(argv: string[]): number {
  const args = argv.filter((a) => a !== '--strict');
  if (args.length !== 2) {
    console.error('usage: node dist/bench/main-job/compare-tables.js <old results dir> <new results dir> [--strict]');
    return 2;
  }
  const [oldDir, newDir] = args as [string, string];
  for (const dir of [oldDir, newDir]) {
    if (!existsSync(dir)) {
      console.error(`${dir}: no such directory`);
      return 2;
    }
  }
  const cells = compareResults(oldDir, newDir);
  const tables = [...new Set(cells.map((c) => c.table))];
  for (const t of tables) {
    const mine = cells.filter((c) => c.table === t);
    const inside = mine.filter((c) => c.inside).length;
    const same = mine.filter((c) => c.new === c.old.value).length;
    console.log(`${t}: ${inside}/${mine.length} cells inside the old 95 % interval (${same} unchanged)`);
  }
  const outside = cells.filter((c) => !c.inside);
  if (outside.length > 0) {
    console.log('outside the old interval:');
    outside.forEach((c) => console.log(fmt(c)));
  }
  const summary = {
    cells: cells.length,
    inside: cells.length - outside.length,
    unchanged: cells.filter((c) => c.new === c.old.value).length,
    outside: outside.map((c) => ({ table: c.table, row: c.row, column: c.column, old: c.old, new: c.new })),
  };
  console.log(JSON.stringify(summary));
  return argv.includes('--strict') && outside.length > 0 ? 1 : 0;
}

process.exitCode = main(process.argv.slice(2));
