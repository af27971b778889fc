// Splits a `run:` string into argv the way a POSIX shell would split words, without running a shell:
// whitespace separates words, '…' is literal, "…" allows \" \\ \$ \` escapes, a backslash outside quotes
// escapes the next character, and `${{ … }}` is kept whole even when it contains spaces.

/** A word and, for each of its characters, the offset in the command it came from. */
export interface Word {
  text: string;
  offsets: number[];
}

export interface SplitError {
  error: string;
  index: number;
}

export function shellSplitWords(command: string): Word[] | SplitError {
  const words: Word[] = [];
  let word: Word | null = null;
  const add = (ch: string, at: number) => {
    word ??= { text: '', offsets: [] };
    word.text += ch;
    word.offsets.push(at);
  };
  let i = 0;
  const n = command.length;
  while (i < n) {
    const c = command[i]!;
    if (command.startsWith('${{', i) || command.startsWith('$${{', i)) {
      const end = command.indexOf('}}', i);
      if (end < 0) return { error: 'unterminated "${{" in run command (expected "}}")', index: i };
      for (; i < end + 2; i++) add(command[i]!, i);
    } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (word) words.push(word);
      word = null;
      i++;
    } else if (c === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) return { error: 'unterminated single quote in run command', index: i };
      word ??= { text: '', offsets: [] };
      for (let j = i + 1; j < end; j++) add(command[j]!, j);
      i = end + 1;
    } else if (c === '"') {
      const open = i;
      word ??= { text: '', offsets: [] };
      i++;
      let closed = false;
      while (i < n) {
        const d = command[i]!;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\\' && i + 1 < n && '"\\$`'.includes(command[i + 1]!)) {
          add(command[i + 1]!, i + 1);
          i += 2;
        } else {
          add(d, i);
          i++;
        }
      }
      if (!closed) return { error: 'unterminated double quote in run command', index: open };
    } else if (c === '\\') {
      if (i + 1 < n) add(command[i + 1]!, i + 1);
      else word ??= { text: '', offsets: [] };
      i += 2;
    } else {
      add(c, i);
      i++;
    }
  }
  if (word) words.push(word);
  if (words.length === 0) return { error: 'run command is empty', index: 0 };
  return words;
}

export function shellSplit(command: string): string[] | { error: string } {
  const r = shellSplitWords(command);
  return Array.isArray(r) ? r.map((w) => w.text) : { error: r.error };
}
