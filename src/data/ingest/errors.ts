// A user-facing ingest problem (missing dataset root, unreadable labels file, bad option): the message says
// what was expected; stages print it without a stack trace.
export class IngestError extends Error {}
