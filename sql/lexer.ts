/**
 * A lexer for Snowflake SQL text, shared by the renderers' statement checker, the plan (which
 * reads grants back out of SQL files) and the sandbox (which splits scripts and reads catalog
 * statements). It knows Snowflake's quoting: 'strings' with backslash escapes and doubled
 * quotes, $$dollar-quoted$$ bodies, "quoted identifiers", and the three comment styles.
 */
import { OffsetError } from "../errors";

export type TokenKind =
  | "word" // keyword or unquoted identifier (may contain $)
  | "quoted" // "quoted identifier", value without quotes
  | "string" // 'string literal', value unescaped
  | "dollar" // $$dollar-quoted text$$, value without delimiters
  | "number"
  | "punct"
  | "eof";

export interface Token {
  readonly kind: TokenKind;
  /** Words: the text as written; quoted/string/dollar: the unquoted value; punct: the symbol. */
  readonly value: string;
  /** Offset of the first character in the source. */
  readonly start: number;
  /** Offset after the last character. */
  readonly end: number;
}

export interface Position {
  readonly line: number;
  readonly column: number;
}

export class SqlLexError extends OffsetError {}

const PUNCT_2 = new Set(["::", "<>", "!=", "<=", ">=", "||", "=>", "->"]);
const PUNCT_1 = new Set(["(", ")", ",", ";", ".", "*", "+", "-", "/", "%", "?", "[", "]", "{", "}", "@", "~", "=", "<", ">", ":", "|", "^", "&"]);

function isWordStart(ch: string): boolean {
  return /[A-Za-z_\u0080-\uffff]/.test(ch);
}

function isWordPart(ch: string): boolean {
  return /[A-Za-z0-9_$\u0080-\uffff]/.test(ch);
}

/** Line and column (1-based) of an offset: errors/ counts them for every layer. */
export { positionAt } from "../errors";

function readString(text: string, start: number): { value: string; end: number } {
  let value = "";
  let i = start + 1;
  while (i < text.length) {
    const ch = text[i];
    if (ch === "\\") {
      const next = text[i + 1];
      if (next === undefined) break;
      const escapes: Record<string, string> = { n: "\n", t: "\t", r: "\r", b: "\b", f: "\f", "0": "\0", "\\": "\\", "'": "'", '"': '"' };
      value += next in escapes ? escapes[next] : next;
      i += 2;
      continue;
    }
    if (ch === "'") {
      if (text[i + 1] === "'") {
        value += "'";
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    value += ch;
    i++;
  }
  throw new SqlLexError("unterminated string literal", start);
}

/** Splits SQL text into tokens, skipping whitespace and comments. */
export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (/\s/.test(ch)) {
      i++;
      continue;
    }
    if ((ch === "-" && text[i + 1] === "-") || (ch === "/" && text[i + 1] === "/")) {
      const newline = text.indexOf("\n", i);
      i = newline < 0 ? text.length : newline + 1;
      continue;
    }
    if (ch === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      if (close < 0) throw new SqlLexError("unterminated /* comment", i);
      i = close + 2;
      continue;
    }
    if (ch === "'") {
      const { value, end } = readString(text, i);
      tokens.push({ kind: "string", value, start: i, end });
      i = end;
      continue;
    }
    if (ch === "$" && text[i + 1] === "$") {
      const close = text.indexOf("$$", i + 2);
      if (close < 0) throw new SqlLexError("unterminated $$ block", i);
      tokens.push({ kind: "dollar", value: text.slice(i + 2, close), start: i, end: close + 2 });
      i = close + 2;
      continue;
    }
    if (ch === '"') {
      let value = "";
      let j = i + 1;
      for (;;) {
        if (j >= text.length) throw new SqlLexError("unterminated quoted identifier", i);
        if (text[j] === '"') {
          if (text[j + 1] === '"') {
            value += '"';
            j += 2;
            continue;
          }
          break;
        }
        value += text[j];
        j++;
      }
      tokens.push({ kind: "quoted", value, start: i, end: j + 1 });
      i = j + 1;
      continue;
    }
    if (/[0-9]/.test(ch) || (ch === "." && /[0-9]/.test(text[i + 1] ?? ""))) {
      const match = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(text.slice(i));
      const len = match === null ? 1 : match[0].length;
      tokens.push({ kind: "number", value: text.slice(i, i + len), start: i, end: i + len });
      i += len;
      continue;
    }
    // PUT/GET name local files as file:///path, which must not read as a `//` comment.
    const fileUrl = /^file:\/\/[^\s;]*/i.exec(text.slice(i, i + 4096));
    if (fileUrl !== null && (i === 0 || !isWordPart(text[i - 1]))) {
      tokens.push({ kind: "word", value: fileUrl[0], start: i, end: i + fileUrl[0].length });
      i += fileUrl[0].length;
      continue;
    }
    if (isWordStart(ch)) {
      let j = i + 1;
      while (j < text.length && isWordPart(text[j])) j++;
      tokens.push({ kind: "word", value: text.slice(i, j), start: i, end: j });
      i = j;
      continue;
    }
    const two = text.slice(i, i + 2);
    if (PUNCT_2.has(two)) {
      tokens.push({ kind: "punct", value: two, start: i, end: i + 2 });
      i += 2;
    } else if (PUNCT_1.has(ch) || ch === "$") {
      tokens.push({ kind: "punct", value: ch, start: i, end: i + 1 });
      i++;
    } else {
      throw new SqlLexError(`unexpected character ${JSON.stringify(ch)}`, i);
    }
  }
  tokens.push({ kind: "eof", value: "", start: text.length, end: text.length });
  return tokens;
}

export interface StatementText {
  /** The statement without its terminating semicolon, trimmed. */
  readonly text: string;
  /** Offset of the statement's first character in the script. */
  readonly start: number;
  readonly tokens: readonly Token[];
}

function wordIs(t: Token | undefined, ...words: string[]): boolean {
  return t !== undefined && t.kind === "word" && words.includes(t.value.toUpperCase());
}

/** BEGIN opens a Snowflake Scripting block unless it starts a transaction (BEGIN [WORK|TRANSACTION] [NAME n]). */
function opensBlock(tokens: readonly Token[], i: number): boolean {
  if (wordIs(tokens[i], "DECLARE")) return true;
  if (!wordIs(tokens[i], "BEGIN")) return false;
  const next = tokens[i + 1];
  return !(next === undefined || next.kind === "eof" || (next.kind === "punct" && next.value === ";") || wordIs(next, "WORK", "TRANSACTION", "NAME"));
}

/**
 * Given a token that starts a block (DECLARE or BEGIN), returns the index of the block's last
 * token (the END that closes it, or the keyword after it: END IF, END LOOP...). Semicolons
 * inside the block do not end the statement: that is how Snowflake reads a body written
 * without $$ in a file run by EXECUTE IMMEDIATE FROM.
 */
function blockEnd(tokens: readonly Token[], start: number): number {
  let depth = 0;
  let opened = false;
  for (let i = start; i < tokens.length; i++) {
    const t = tokens[i];
    if (t.kind === "eof") throw new SqlLexError("unterminated block: BEGIN without its END", tokens[start].start);
    const afterEnd = i > 0 && wordIs(tokens[i - 1], "END");
    if (wordIs(t, "END")) {
      depth--;
      let last = i;
      if (wordIs(tokens[i + 1], "IF", "CASE", "FOR", "WHILE", "LOOP", "REPEAT")) last = i + 1;
      if (opened && depth === 0) return last;
      i = last;
      continue;
    }
    if (afterEnd) continue;
    const opener =
      (wordIs(t, "BEGIN") && opensBlock(tokens, i)) ||
      wordIs(t, "CASE", "DO", "LOOP", "REPEAT") ||
      (wordIs(t, "IF") && tokens[i + 1]?.kind === "punct" && tokens[i + 1].value === "(");
    if (opener) {
      depth++;
      if (wordIs(t, "BEGIN")) opened = true;
    }
  }
  throw new SqlLexError("unterminated block: BEGIN without its END", tokens[start].start);
}

/**
 * True when the statement so far is `CREATE ... {PROCEDURE|FUNCTION|TASK} ...` and `AS` is
 * followed by a block: the routine's body is Snowflake Scripting written without delimiters.
 */
function routineBodyStarts(statement: readonly Token[], tokens: readonly Token[], i: number): boolean {
  if (!wordIs(tokens[i], "AS") || !opensBlock(tokens, i + 1)) return false;
  return wordIs(statement[0], "CREATE") && statement.some((t) => wordIs(t, "PROCEDURE", "FUNCTION", "TASK"));
}

/**
 * Splits a script into statements at top-level semicolons. Empty statements are dropped.
 * Snowflake Scripting blocks (anonymous, or a procedure body after AS without $$) are kept
 * whole, semicolons inside them included.
 */
export function splitStatements(script: string): StatementText[] {
  const tokens = tokenize(script);
  const statements: StatementText[] = [];
  let current: Token[] = [];
  const flush = (endOffset: number) => {
    if (current.length === 0) return;
    const start = current[0].start;
    const text = script.slice(start, endOffset).trim();
    const rebased = current.map((t) => ({ ...t, start: t.start - start, end: t.end - start }));
    rebased.push({ kind: "eof", value: "", start: text.length, end: text.length });
    statements.push({ text, start, tokens: rebased });
    current = [];
  };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (token.kind === "eof") {
      flush(current.length > 0 ? current[current.length - 1].end : token.start);
      break;
    }
    if (token.kind === "punct" && token.value === ";") {
      flush(current.length > 0 ? current[current.length - 1].end : token.start);
      continue;
    }
    const blockStart = current.length === 0 && opensBlock(tokens, i) ? i : routineBodyStarts(current, tokens, i) ? i + 1 : -1;
    if (blockStart >= 0) {
      const last = blockEnd(tokens, blockStart);
      for (let k = i; k <= last; k++) current.push(tokens[k]);
      i = last;
      continue;
    }
    current.push(token);
  }
  return statements;
}

/** Snowflake's reading of an identifier token: unquoted words are upper-cased, quoted ones kept. */
export function identifierValue(token: Token): string {
  return token.kind === "quoted" ? token.value : token.value.toUpperCase();
}
