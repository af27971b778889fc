// What the store's query and record modules share: the connection, a prepared-statement cache and the
// workspace path mapping.
import type Database from 'better-sqlite3';
import { WorkspacePaths } from './row-mappers.js';

export interface StoreContext {
  readonly db: Database.Database;
  readonly paths: WorkspacePaths;
  /** A prepared statement, compiled once per SQL text: compiling costs more than running, and the runner repeats a few hundred. */
  prepare(sql: string): Database.Statement;
}

export function storeContext(db: Database.Database, workspace: string): StoreContext {
  const statements = new Map<string, Database.Statement>();
  return {
    db,
    paths: new WorkspacePaths(workspace),
    prepare(sql: string): Database.Statement {
      let stmt = statements.get(sql);
      if (stmt === undefined) {
        stmt = db.prepare(sql);
        statements.set(sql, stmt);
      }
      return stmt;
    },
  };
}
