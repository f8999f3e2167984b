/**
 * A cursor over the tokens of one statement, with the small vocabulary the statement readers
 * need. Errors name the offending token and its line:column in the statement.
 */
import { identifierValue, positionAt, type Token } from "./lexer";

export class SqlReadError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.name = "SqlReadError";
    this.offset = offset;
  }
}

export class TokenCursor {
  private index = 0;
  constructor(
    readonly text: string,
    readonly tokens: readonly Token[],
  ) {}

  get position(): number {
    return this.index;
  }

  set position(value: number) {
    this.index = value;
  }

  peek(offset = 0): Token {
    return this.tokens[Math.min(this.index + offset, this.tokens.length - 1)];
  }

  next(): Token {
    const token = this.peek();
    if (token.kind !== "eof") this.index++;
    return token;
  }

  atEnd(): boolean {
    return this.peek().kind === "eof";
  }

  /** True when the next tokens are these keywords (case-insensitive), without consuming. */
  isKeywords(...words: string[]): boolean {
    return words.every((w, i) => {
      const t = this.peek(i);
      return t.kind === "word" && t.value.toUpperCase() === w;
    });
  }

  /** Consumes the keywords if they come next. */
  acceptKeywords(...words: string[]): boolean {
    if (!this.isKeywords(...words)) return false;
    this.index += words.length;
    return true;
  }

  expectKeywords(...words: string[]): void {
    for (const word of words) {
      if (!this.acceptKeywords(word)) this.fail(`expected ${word}`);
    }
  }

  isPunct(symbol: string): boolean {
    const t = this.peek();
    return t.kind === "punct" && t.value === symbol;
  }

  acceptPunct(symbol: string): boolean {
    if (!this.isPunct(symbol)) return false;
    this.index++;
    return true;
  }

  expectPunct(symbol: string): void {
    if (!this.acceptPunct(symbol)) this.fail(`expected '${symbol}'`);
  }

  /** One identifier part: a word or a "quoted" identifier, as Snowflake reads it. */
  identifier(what = "a name"): string {
    const t = this.peek();
    if (t.kind !== "word" && t.kind !== "quoted") this.fail(`expected ${what}`);
    this.index++;
    return identifierValue(t);
  }

  /** A dotted name: `A`, `A.B`, `"a".B.C`. */
  name(what = "a name"): string[] {
    const parts = [this.identifier(what)];
    while (this.isPunct(".")) {
      this.index++;
      parts.push(this.identifier(what));
    }
    return parts;
  }

  string(what = "a string literal"): string {
    const t = this.peek();
    if (t.kind !== "string") this.fail(`expected ${what}`);
    this.index++;
    return t.value;
  }

  /** The source text from token `from` (inclusive) to the current position (exclusive). */
  sliceFrom(from: number): string {
    if (from >= this.index) return "";
    return this.text.slice(this.tokens[from].start, this.tokens[this.index - 1].end);
  }

  /** Consumes tokens up to (not including) the matching close of an already-consumed '('. */
  skipBalanced(): void {
    let depth = 1;
    for (;;) {
      const t = this.peek();
      if (t.kind === "eof") this.fail("unbalanced parentheses");
      if (t.kind === "punct" && (t.value === "(" || t.value === "[")) depth++;
      if (t.kind === "punct" && (t.value === ")" || t.value === "]")) {
        depth--;
        if (depth === 0) return;
      }
      this.index++;
    }
  }

  expectEnd(): void {
    if (!this.atEnd()) this.fail("unexpected text");
  }

  fail(message: string): never {
    const t = this.peek();
    const pos = positionAt(this.text, t.start);
    const near = t.kind === "eof" ? "end of statement" : JSON.stringify(this.text.slice(t.start, t.end));
    throw new SqlReadError(`${message} at line ${pos.line}, column ${pos.column} (near ${near})`, t.start);
  }
}
