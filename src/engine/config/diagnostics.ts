// User-facing problems in pipeline files: collection, ordering, formatting and the error that carries them.
import { isAbsolute, relative } from 'node:path';
import type { Diagnostic } from './pipeline-model.js';

/** A path shown to the user: relative to the working directory when the file lies inside it. */
export function displayPath(file: string, cwd: string = process.cwd()): string {
  if (!isAbsolute(file)) return file;
  const rel = relative(cwd, file);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : file;
}

/** `file:line:col` (or just `file` for problems without a position, line 0). */
export function formatPosition(p: { file: string; line: number; col: number }): string {
  return p.line > 0 ? `${displayPath(p.file)}:${p.line}:${p.col}` : displayPath(p.file);
}

export function formatDiagnostics(diagnostics: Diagnostic[]): string {
  return diagnostics.map((d) => `${formatPosition(d)}: ${d.message}`).join('\n');
}

export class PipelineConfigError extends Error {
  readonly diagnostics: Diagnostic[];
  constructor(diagnostics: Diagnostic[]) {
    super(formatDiagnostics(diagnostics));
    this.name = 'PipelineConfigError';
    this.diagnostics = diagnostics;
  }
}

/**
 * Collects diagnostics from every phase of loading. Files are ordered by the order they were first seen
 * (the top-level pipeline first), then by line and column; exact duplicates are dropped (a matrix stage
 * repeats the same mistake in every instance).
 */
export class DiagnosticBag {
  private readonly items: Diagnostic[] = [];
  private readonly fileOrder = new Map<string, number>();

  noteFile(file: string): void {
    if (!this.fileOrder.has(file)) this.fileOrder.set(file, this.fileOrder.size);
  }

  add(d: Diagnostic): void {
    this.noteFile(d.file);
    this.items.push(d);
  }

  error(pos: { file: string; line: number; col: number }, message: string): void {
    this.add({ file: pos.file, line: pos.line, col: pos.col, message });
  }

  get size(): number {
    return this.items.length;
  }

  sorted(): Diagnostic[] {
    const seen = new Set<string>();
    const unique = this.items.filter((d) => {
      const key = `${d.file}\0${d.line}\0${d.col}\0${d.message}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
    return unique.sort(
      (a, b) =>
        (this.fileOrder.get(a.file) ?? 0) - (this.fileOrder.get(b.file) ?? 0) ||
        a.line - b.line ||
        a.col - b.col,
    );
  }
}
