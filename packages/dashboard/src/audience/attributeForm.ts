/** Options typed one per line: trimmed, blanks and repeats dropped (the server refuses repeats). */
export function parseOptions(text: string): string[] {
  const seen = new Set<string>();
  for (const line of text.split(/\r?\n/)) {
    const option = line.trim();
    if (option !== '') seen.add(option);
  }
  return [...seen];
}

/** The list after adding `added` to `current`: the current order kept, only new ones appended. */
export function withOptions(current: readonly string[], added: readonly string[]): string[] {
  return [...current, ...added.filter((o) => !current.includes(o))];
}
