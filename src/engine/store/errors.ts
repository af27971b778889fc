// Errors of the store layer that carry a message meant for the user (the CLI prints them without a stack).

export class StoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StoreError';
  }
}

/** The workspace directory or its database does not exist (and the caller asked not to create it). */
export class WorkspaceMissingError extends StoreError {
  constructor(readonly workspace: string) {
    super(`no .sonic workspace at ${workspace} (run \`sonic run\` first)`);
    this.name = 'WorkspaceMissingError';
  }
}

/** `sonic query` was given something other than a read. */
export class ReadOnlyQueryError extends StoreError {
  constructor(message: string) {
    super(message);
    this.name = 'ReadOnlyQueryError';
  }
}
