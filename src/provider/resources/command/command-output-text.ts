/** What of a command's output explains a failure: its tail. */
const TAIL_LINES = 20;

/** The last lines of a stream, without the trailing blank lines a command usually ends with. */
export function tail(text: string, lines = TAIL_LINES): string {
  const all = text.replace(/\s+$/, '').split(/\r?\n/);
  const kept = all.slice(-lines);
  return (all.length > lines ? [`[... ${all.length - lines} earlier lines ...]`, ...kept] : kept).join('\n');
}
