// Pure: putting any text into GitHub-flavoured markdown without it breaking out of where it is put.

/** At most `max` characters, with a note of how many were left out. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  // Never cut a surrogate pair in half.
  const end = /[\uD800-\uDBFF]/.test(text[max - 1] ?? '') ? max - 1 : max;
  return `${text.slice(0, end)}\n… (${text.length - end} more characters)`;
}

/** A fenced code block whose fence is longer than any run of backticks inside, so the text cannot close it. */
export function fenced(text: string, language = ''): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}${language}\n${text}\n${fence}`;
}

/** An inline code span that holds any text, backticks included (CommonMark: a longer delimiter, padded). */
export function inlineCode(text: string): string {
  const single = text.replace(/[\r\n\u2028\u2029]+/g, ' ');
  const longest = Math.max(0, ...(single.match(/`+/g) ?? []).map((run) => run.length));
  if (longest === 0) return `\`${single}\``;
  const delimiter = '`'.repeat(longest + 1);
  return `${delimiter} ${single} ${delimiter}`;
}

/**
 * Markdown for one table cell: on one line, and a `|` cannot end the cell. GitHub splits table rows
 * on `|` before it reads code spans, so the pipe is escaped inside code spans too.
 */
export function tableCell(markdown: string): string {
  return markdown.replace(/[\r\n\u2028\u2029]+/g, ' ').replace(/\|/g, '\\|');
}

/** One table row of markdown cells. */
export function tableRow(cells: readonly string[]): string {
  return `| ${cells.map(tableCell).join(' | ')} |`;
}
