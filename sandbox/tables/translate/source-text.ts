/**
 * What the syntax tree does not keep, recovered from the statement text: Snowflake names an
 * unaliased projection item after its text (`SELECT a+1 FROM t` has a column `A+1`), and quotes
 * a rejected call as written. The parser's token positions say where to look.
 */
import type { FunctionCall } from "./ast";

export class SourceText {
  private readonly lineStarts: number[] = [0];
  constructor(readonly text: string) {
    for (let i = 0; i < text.length; i++) if (text[i] === "\n") this.lineStarts.push(i + 1);
  }
  offset(location: { line: number; column: number }): number {
    return (this.lineStarts[location.line - 1] ?? 0) + location.column - 1;
  }
}

const PROJECTION_END = new Set([
  "FROM", "WHERE", "GROUP", "HAVING", "QUALIFY", "ORDER", "LIMIT", "OFFSET", "FETCH",
  "UNION", "EXCEPT", "MINUS", "INTERSECT", "WINDOW", "INTO",
]);

/**
 * If a string literal, quoted identifier, $$-string or comment starts at `i`, the index just
 * past it; otherwise -1.
 */
function skipQuoted(text: string, i: number): number {
  const c = text[i];
  if (c === "'") {
    for (i++; i < text.length; i++) {
      if (text[i] === "\\") i++;
      else if (text[i] === "'") {
        if (text[i + 1] === "'") i++;
        else return i + 1;
      }
    }
    return i;
  }
  if (c === '"') {
    for (i++; i < text.length; i++) {
      if (text[i] === '"') {
        if (text[i + 1] === '"') i++;
        else return i + 1;
      }
    }
    return i;
  }
  if (c === "$" && text[i + 1] === "$") {
    const end = text.indexOf("$$", i + 2);
    return end < 0 ? text.length : end + 2;
  }
  if ((c === "-" && text[i + 1] === "-") || (c === "/" && text[i + 1] === "/")) {
    const end = text.indexOf("\n", i);
    return end < 0 ? text.length : end + 1;
  }
  if (c === "/" && text[i + 1] === "*") {
    const end = text.indexOf("*/", i + 2);
    return end < 0 ? text.length : end + 2;
  }
  return -1;
}

/** The text of each top-level projection item of the SELECT whose keyword ends at `start`. */
export function projectionSegments(text: string, start: number): string[] {
  const segments: string[] = [];
  let depth = 0;
  let segStart = start;
  let i = start;
  let first = true;
  let previousWord = "";
  while (i < text.length) {
    const skipped = skipQuoted(text, i);
    if (skipped >= 0) {
      i = skipped;
      continue;
    }
    const c = text[i]!;
    if (c === "(" || c === "[") depth++;
    else if (c === ")" || c === "]") {
      if (depth === 0) break;
      depth--;
    } else if (c === ";" && depth === 0) break;
    else if (c === "," && depth === 0) {
      segments.push(text.slice(segStart, i));
      segStart = i + 1;
    } else if (/[A-Za-z_]/.test(c) && (i === 0 || !/[A-Za-z0-9_$.]/.test(text[i - 1]!))) {
      const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(text.slice(i))![0];
      const upper = word.toUpperCase();
      if (depth === 0 && first && (upper === "DISTINCT" || upper === "ALL")) {
        segStart = i + word.length;
      } else if (depth === 0 && PROJECTION_END.has(upper) && !(upper === "GROUP" && previousWord === "WITHIN")) break;
      previousWord = upper;
      first = false;
      i += word.length;
      continue;
    }
    if (!/\s/.test(c)) first = false;
    i++;
  }
  segments.push(text.slice(segStart, i));
  return segments;
}

/** The text with comments blanked out; literals and quoted identifiers kept. */
export function stripComments(text: string): string {
  let out = "";
  for (let i = 0; i < text.length; ) {
    const skipped = skipQuoted(text, i);
    if (skipped >= 0) {
      const c = text[i];
      if (c === "'" || c === '"' || c === "$") out += text.slice(i, skipped);
      else out += " ";
      i = skipped;
    } else out += text[i++];
  }
  return out;
}

/** Snowflake's derived column name: the expression text, upper-cased except quoted identifiers. */
export function derivedName(segment: string): string {
  const text = stripComments(segment).trim();
  let out = "";
  for (let i = 0; i < text.length; ) {
    if (text[i] === '"' || text[i] === "'") {
      const end = skipQuoted(text, i);
      const quoted = text.slice(i, end);
      out += text[i] === '"' ? quoted : quoted.toUpperCase();
      i = end;
    } else out += text[i++]!.toUpperCase();
  }
  return out;
}

/** Text of a function call starting at its name token, through the matching parenthesis. */
export function callText(source: SourceText, fn: FunctionCall): string | undefined {
  const span = fn.name[0]?.Identifier?.span;
  if (!span) return undefined;
  const text = source.text;
  let i = source.offset(span.start);
  const start = i;
  let depth = 0;
  while (i < text.length) {
    const skipped = skipQuoted(text, i);
    if (skipped >= 0) {
      i = skipped;
      continue;
    }
    if (text[i] === "(") depth++;
    else if (text[i] === ")") {
      depth--;
      if (depth === 0) return text.slice(start, i + 1);
    }
    i++;
  }
  return undefined;
}
