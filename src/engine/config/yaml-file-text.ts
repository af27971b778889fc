// The text of a YAML file the user gives: refused when larger than the limit (checked before reading, so
// a 50 MB file costs nothing) or when it is not valid UTF-8 (Node would silently replace bad bytes with
// U+FFFD; the message gives the first bad byte's line and column instead).
import { isUtf8 } from 'node:buffer';
import { closeSync, fstatSync, openSync, readFileSync } from 'node:fs';
import { formatBytes, limitEnv, type YamlLimits } from './input-limits.js';

/** A problem with a whole file (line 0) or at a position in it. */
export interface TextProblem {
  line: number;
  col: number;
  message: string;
  kind: 'file';
}

export type FileText = { text: string; problem?: undefined } | { text?: undefined; problem: TextProblem };

/** Reads `file` as UTF-8 within the size limit. Throws only for I/O errors (missing, unreadable). */
export function readYamlFileText(file: string, limits: Pick<YamlLimits, 'maxFileBytes'>): FileText {
  const fd = openSync(file, 'r');
  let bytes: Buffer;
  try {
    const size = fstatSync(fd).size;
    if (size > limits.maxFileBytes) {
      const message = `the file is ${formatBytes(size)}; a YAML file may have at most ${formatBytes(limits.maxFileBytes)} (${limitEnv('maxFileBytes')} raises the limit)`;
      return { problem: { line: 0, col: 0, message, kind: 'file' } };
    }
    bytes = readFileSync(fd);
  } finally {
    closeSync(fd);
  }
  if (bytes.length > limits.maxFileBytes) {
    // grew while being read
    return { problem: { line: 0, col: 0, message: `the file is larger than ${formatBytes(limits.maxFileBytes)} (${limitEnv('maxFileBytes')} raises the limit)`, kind: 'file' } };
  }
  if (isUtf8(bytes)) return { text: bytes.toString('utf8') };
  return { problem: invalidUtf8Problem(bytes) };
}

/** Where the first byte that is not UTF-8 is, as line and column (in characters) of the valid text before it. */
function invalidUtf8Problem(bytes: Buffer): TextProblem {
  const offset = firstInvalidUtf8Offset(bytes);
  const before = bytes.subarray(0, offset).toString('utf8');
  const lineStart = before.lastIndexOf('\n') + 1;
  const line = before.split('\n').length;
  const col = before.length - lineStart + 1;
  const byte = bytes[offset]!.toString(16).toUpperCase().padStart(2, '0');
  return { line, col, message: `invalid UTF-8 (byte 0x${byte} at byte offset ${offset}); save the file as UTF-8`, kind: 'file' };
}

/**
 * Byte offset of the first invalid sequence. Decoding replaces each invalid sequence with U+FFFD, so walking
 * the decoded text while counting bytes finds the first U+FFFD that the file did not spell as EF BF BD.
 */
function firstInvalidUtf8Offset(bytes: Buffer): number {
  let offset = 0;
  for (const ch of bytes.toString('utf8')) {
    const cp = ch.codePointAt(0)!;
    if (cp === 0xfffd && !(bytes[offset] === 0xef && bytes[offset + 1] === 0xbf && bytes[offset + 2] === 0xbd)) return offset;
    offset += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
  }
  return offset; // not reached for invalid input
}
