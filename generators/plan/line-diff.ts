/**
 * Unified line diffs (jsdiff), reduced to what a plan shows: hunks with three lines of context,
 * no file headers (the plan names the procedure or file), and the counts of added and removed
 * lines for the summary.
 */
import { structuredPatch } from "diff";

export interface LineDiff {
  /** `@@ -a,b +c,d @@` hunks with their lines, joined by "\n". */
  readonly unified: string;
  readonly added: number;
  readonly removed: number;
}

export const CONTEXT_LINES = 3;

/** The diff from `before` to `after`; an absent side is the empty text (an added or removed thing). */
export function lineDiff(before: string, after: string, context = CONTEXT_LINES): LineDiff {
  // jsdiff compares lines with their line endings; end both texts alike so a missing final
  // newline on one side does not count as a change of the last line.
  const end = (text: string) => (text === "" || text.endsWith("\n") ? text : text + "\n");
  const patch = structuredPatch("before", "after", end(before), end(after), undefined, undefined, { context });
  const lines: string[] = [];
  let added = 0;
  let removed = 0;
  for (const hunk of patch.hunks) {
    lines.push(`@@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`);
    for (const line of hunk.lines) {
      if (line.startsWith("\\")) continue;
      if (line.startsWith("+")) added++;
      else if (line.startsWith("-")) removed++;
      lines.push(line);
    }
  }
  return { unified: lines.join("\n"), added, removed };
}
