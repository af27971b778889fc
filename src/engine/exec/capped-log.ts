// A stage's log file with a size cap: output past the cap is dropped (the stage keeps running) and one
// line at the end says how much was left out.
import { closeSync, openSync, writeSync } from 'node:fs';

/** Default cap of a stage log: 64 MiB. */
export const DEFAULT_LOG_LIMIT_BYTES = 64 * 1024 * 1024;

export class CappedLog {
  private readonly fd: number;
  private written = 0;
  private dropped = 0;

  constructor(
    path: string,
    private readonly limitBytes: number,
  ) {
    this.fd = openSync(path, 'a');
  }

  write(chunk: Buffer): void {
    const room = this.limitBytes - this.written;
    if (room > 0) {
      const part = chunk.length <= room ? chunk : chunk.subarray(0, room);
      writeSync(this.fd, part);
      this.written += part.length;
    }
    this.dropped += Math.max(0, chunk.length - Math.max(0, room));
  }

  close(): void {
    if (this.dropped > 0) {
      writeSync(this.fd, `\n[sonic: log cut at ${this.limitBytes} bytes; ${this.dropped} more bytes of stage output were discarded]\n`);
    }
    closeSync(this.fd);
  }
}
