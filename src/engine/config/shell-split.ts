// Splits a `run:` string into argv the way a POSIX shell would split words, without running a shell:
// whitespace separates words, '…' is literal, "…" allows \" \\ \$ escapes, a backslash outside quotes
// escapes the next character, and `${{ … }}` is kept whole even when it contains spaces.

export function shellSplit(command: string): string[] | { error: string } {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  const n = command.length;
  while (i < n) {
    const c = command[i]!;
    if (command.startsWith('${{', i) || command.startsWith('$${{', i)) {
      const start = i;
      const end = command.indexOf('}}', i);
      if (end < 0) return { error: `unterminated "\${{" in run command (expected "}}")` };
      word += command.slice(start, end + 2);
      inWord = true;
      i = end + 2;
    } else if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (c === "'") {
      const end = command.indexOf("'", i + 1);
      if (end < 0) return { error: 'unterminated single quote in run command' };
      word += command.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      i++;
      inWord = true;
      let closed = false;
      while (i < n) {
        const d = command[i]!;
        if (d === '"') {
          closed = true;
          i++;
          break;
        }
        if (d === '\\' && i + 1 < n && '"\\$`'.includes(command[i + 1]!)) {
          word += command[i + 1];
          i += 2;
        } else {
          word += d;
          i++;
        }
      }
      if (!closed) return { error: 'unterminated double quote in run command' };
    } else if (c === '\\') {
      if (i + 1 < n) word += command[i + 1];
      inWord = true;
      i += 2;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  if (words.length === 0) return { error: 'run command is empty' };
  return words;
}
