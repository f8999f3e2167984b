/**
 * floe's errors, shared by every layer: what floe reports to its user carries what is at fault
 * (a file with line and column, an argument, an object) and makes the CLI exit with code 1.
 *
 * Errors that belong to one layer stay there: the sandbox's Snowflake-shaped errors
 * (sandbox/types.ts), the facade's classified driver errors (snowflake/facade.ts, plain Errors
 * because Pulumi serializes them) and the lifecycle's answers (lifecycle/responses.ts, compiled
 * into the procedures).
 *
 * errors/ is the bottom layer of floe's import order (test/architecture/imports.test.ts). May
 * import: nothing outside itself.
 */
import * as path from "node:path";

/** An error in the user's input. The CLI prints its message (no stack) and exits with 1. */
export class FloeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FloeError";
  }
}

export interface SourceLocation {
  /** Absolute path of the file. */
  readonly file: string;
  /** 1-based. */
  readonly line: number;
  /** 1-based. */
  readonly column: number;
}

export interface SourceDiagnostic extends SourceLocation {
  readonly message: string;
  /** The text of the offending line, without its newline. */
  readonly sourceLine: string;
}

/** Source lines longer than this are shown as a window around the column. */
const SHOWN_LINE_LENGTH = 160;

/** Renders `file:line:col - error: message`, the source line and a caret under the column. */
export function formatDiagnostic(d: SourceDiagnostic, cwd: string = process.cwd()): string {
  const shown = path.isAbsolute(d.file) ? path.relative(cwd, d.file) || d.file : d.file;
  const gutter = String(d.line);
  const pad = " ".repeat(gutter.length);
  let line = d.sourceLine;
  let column = d.column;
  if (line.length > SHOWN_LINE_LENGTH) {
    // A minified or generated line: show the part around the column, not 40,000 characters.
    const half = SHOWN_LINE_LENGTH / 2;
    const from = Math.max(0, column - 1 - half);
    const to = Math.min(line.length, from + SHOWN_LINE_LENGTH);
    line = (from > 0 ? "…" : "") + line.slice(from, to) + (to < line.length ? "…" : "");
    column = column - from + (from > 0 ? 1 : 0);
  }
  const caretPad = line.slice(0, Math.max(0, column - 1)).replace(/[^\t]/g, " ");
  return `${shown}:${d.line}:${d.column} - error: ${d.message}\n  ${gutter} | ${line}\n  ${pad} | ${caretPad}^`;
}

/** One or more diagnostics in the user's source files. */
export class SourceError extends FloeError {
  readonly diagnostics: readonly SourceDiagnostic[];
  constructor(diagnostics: readonly SourceDiagnostic[]) {
    super(diagnostics.map((d) => formatDiagnostic(d)).join("\n\n"));
    this.name = "SourceError";
    this.diagnostics = diagnostics;
  }
}

/** Line and column (both from 1) of an offset in a text; the one place floe counts them. */
export function positionAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** The line and column of an offset in a text, with the line's text. */
export function locate(file: string, text: string, offset: number, message: string): SourceDiagnostic {
  const { line, column } = positionAt(text, offset);
  const lineStart = offset - column + 1;
  const lineEnd = text.indexOf("\n", lineStart);
  const sourceLine = text.slice(lineStart, lineEnd < 0 ? text.length : lineEnd).replace(/\r$/, "");
  return { file, line, column, message, sourceLine };
}

/** An error at an offset of a text, which the caller turns into its own file, line and column. */
export class OffsetError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    // The subclass's own name (SqlReadError, the lexer's SqlLexError), as its messages show it.
    this.name = new.target.name;
    this.offset = offset;
  }
}

/**
 * The error of the statement readers (sql/): a statement that starts like a known form but does
 * not follow its documented grammar. `offset` points into the statement text, so callers can
 * name the file, line and column in their own source.
 */
export class SqlReadError extends OffsetError {}
