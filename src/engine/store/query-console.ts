// `sonic query`: user SQL on its own read-only, query_only connection, so no statement can write even when
// it slips past the statement check (which gives the clear message).
import Database from 'better-sqlite3';
import { ReadOnlyQueryError } from './errors.js';
import { isWritingPragma } from './sql-statement-kind.js';

export interface QueryResult {
  columns: string[]; // known even when no row comes back
  rows: Record<string, unknown>[];
}

export class QueryConsole {
  private db: Database.Database | undefined;

  constructor(
    private readonly dbPath: string,
    private readonly busyTimeoutMs: number,
  ) {}

  run(sql: string, params: unknown[] = []): QueryResult {
    const db = this.connection();
    let stmt: Database.Statement;
    try {
      stmt = db.prepare(sql);
    } catch (e) {
      throw new ReadOnlyQueryError(`query: ${(e as Error).message}`);
    }
    if (!stmt.reader || isWritingPragma(sql)) {
      throw new ReadOnlyQueryError('query: only reads are allowed (SELECT, WITH … SELECT, read-only PRAGMA); this statement would modify the database');
    }
    try {
      const rows = stmt.all(...params) as Record<string, unknown>[];
      return { columns: stmt.columns().map((c) => c.name), rows };
    } catch (e) {
      throw new ReadOnlyQueryError(`query: ${(e as Error).message}`);
    }
  }

  close(): void {
    this.db?.close();
    this.db = undefined;
  }

  /** Opened on first use: most store users never query. */
  private connection(): Database.Database {
    if (this.db === undefined) {
      const db = new Database(this.dbPath, { readonly: true, fileMustExist: true });
      db.pragma(`busy_timeout = ${this.busyTimeoutMs}`);
      db.pragma('query_only = ON');
      this.db = db;
    }
    return this.db;
  }
}
