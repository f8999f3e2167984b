/**
 * Snowflake Scripting blocks, read into a tree: DECLARE ... BEGIN ... EXCEPTION ... END.
 *
 * The block structure (declarations, statements, IF/CASE branches, exception handlers) is read
 * here; expressions and embedded SQL statements stay as text, with their offsets, for the
 * table engine to parse and run. Loops are read as a whole and marked unsupported, so a body
 * that uses them still reads (an account runs it) while the sandbox can name what it lacks.
 */
import { identifierValue, SqlLexError, tokenize, type Token } from "./lexer";

export class ScriptingSyntaxError extends Error {
  constructor(
    readonly reason: string,
    /** Offset in the block text. */
    readonly offset: number,
  ) {
    super(reason);
    this.name = "ScriptingSyntaxError";
  }
}

/** An expression or SQL text, as written, with its offset in the block text. */
export interface ScriptText {
  readonly text: string;
  readonly offset: number;
}

export type Declaration =
  | { readonly kind: "variable"; readonly name: string; readonly type?: string; readonly value?: ScriptText; readonly offset: number }
  | { readonly kind: "cursor"; readonly name: string; readonly query: ScriptText; readonly offset: number }
  | { readonly kind: "exception"; readonly name: string; readonly code?: number; readonly message?: string; readonly offset: number }
  | { readonly kind: "unsupported"; readonly what: string; readonly offset: number };

export interface Branch {
  readonly condition: ScriptText;
  readonly body: readonly ScriptStatement[];
}

export type ScriptStatement =
  | { readonly kind: "block"; readonly block: Block; readonly offset: number }
  | { readonly kind: "let"; readonly name: string; readonly type?: string; readonly value: ScriptText; readonly offset: number }
  | { readonly kind: "let_cursor"; readonly name: string; readonly query: ScriptText; readonly offset: number }
  | { readonly kind: "assign"; readonly name: string; readonly value: ScriptText; readonly offset: number }
  | { readonly kind: "if"; readonly branches: readonly Branch[]; readonly otherwise?: readonly ScriptStatement[]; readonly offset: number }
  | {
      readonly kind: "case";
      readonly subject?: ScriptText;
      readonly branches: readonly Branch[];
      readonly otherwise?: readonly ScriptStatement[];
      readonly offset: number;
    }
  | { readonly kind: "return"; readonly value?: ScriptText; readonly offset: number }
  | { readonly kind: "raise"; readonly name?: string; readonly offset: number }
  | { readonly kind: "open" | "close"; readonly cursor: string; readonly offset: number }
  | { readonly kind: "fetch"; readonly cursor: string; readonly into: readonly string[]; readonly offset: number }
  /** Any other statement; `into` names the variables of `SELECT ... INTO :v` or `CALL ... INTO :v`. */
  | { readonly kind: "sql"; readonly sql: ScriptText; readonly into: readonly string[]; readonly offset: number }
  | { readonly kind: "null"; readonly offset: number }
  | { readonly kind: "unsupported"; readonly what: string; readonly offset: number };

export interface Handler {
  /** `OTHER`, `STATEMENT_ERROR`, `EXPRESSION_ERROR` or declared exception names, upper-cased. */
  readonly names: readonly string[];
  readonly body: readonly ScriptStatement[];
}

export interface Block {
  readonly declarations: readonly Declaration[];
  readonly body: readonly ScriptStatement[];
  readonly handlers: readonly Handler[];
  readonly offset: number;
}

const LOOP_KINDS = ["FOR", "WHILE", "LOOP", "REPEAT"];
const CLOSER_WORDS = new Set(["IF", "CASE", "FOR", "WHILE", "LOOP", "REPEAT"]);

class ScriptingParser {
  private i = 0;
  private readonly tokens: Token[];

  constructor(private readonly text: string) {
    try {
      this.tokens = tokenize(text);
    } catch (e) {
      if (e instanceof SqlLexError) throw new ScriptingSyntaxError(e.message, e.offset);
      throw e;
    }
  }

  private peek(k = 0): Token {
    return this.tokens[Math.min(this.i + k, this.tokens.length - 1)];
  }

  private isWord(word: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === "word" && t.value.toUpperCase() === word;
  }

  private isPunct(symbol: string, k = 0): boolean {
    const t = this.peek(k);
    return t.kind === "punct" && t.value === symbol;
  }

  private fail(message: string, token: Token = this.peek()): never {
    const near = token.kind === "eof" ? "the end of the block" : JSON.stringify(this.text.slice(token.start, token.end));
    throw new ScriptingSyntaxError(`Snowflake Scripting: ${message} (near ${near})`, token.start);
  }

  private expectWord(word: string): void {
    if (!this.isWord(word)) this.fail(`expected ${word}`);
    this.i++;
  }

  private expectPunct(symbol: string): void {
    if (!this.isPunct(symbol)) this.fail(`expected '${symbol}'`);
    this.i++;
  }

  private name(what: string): string {
    const t = this.peek();
    if (t.kind !== "word" && t.kind !== "quoted") this.fail(`expected ${what}`);
    this.i++;
    return identifierValue(t);
  }

  private startsBlock(): boolean {
    if (this.isWord("DECLARE")) return true;
    if (!this.isWord("BEGIN")) return false;
    return !(this.isPunct(";", 1) || this.isWord("TRANSACTION", 1) || this.isWord("WORK", 1) || this.isWord("NAME", 1) || this.peek(1).kind === "eof");
  }

  private slice(from: number, to: number): ScriptText {
    if (to <= from) this.fail("expected an expression", this.tokens[from]);
    return { text: this.text.slice(this.tokens[from].start, this.tokens[to - 1].end), offset: this.tokens[from].start };
  }

  /**
   * Advances to the first token at depth zero (parentheses and CASE ... END) for which `stop`
   * holds, and returns its index. Fails at the end of the block.
   */
  private scanTo(stop: (t: Token) => boolean, what: string): number {
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === "eof") this.fail(`expected ${what}`);
      if (depth === 0 && stop(t)) return this.i;
      if (t.kind === "punct" && (t.value === "(" || t.value === "[")) depth++;
      else if (t.kind === "punct" && (t.value === ")" || t.value === "]")) depth--;
      else if (t.kind === "word" && t.value.toUpperCase() === "CASE") depth++;
      else if (t.kind === "word" && t.value.toUpperCase() === "END") depth--;
      if (depth < 0) this.fail(`expected ${what}`, t);
      this.i++;
    }
  }

  private isSemicolon = (t: Token) => t.kind === "punct" && t.value === ";";

  parseTop(): Block {
    const block = this.block();
    if (this.isPunct(";")) this.i++;
    if (this.peek().kind !== "eof") this.fail("unexpected text after the block's END");
    return block;
  }

  private block(): Block {
    const offset = this.peek().start;
    const declarations: Declaration[] = [];
    if (this.isWord("DECLARE")) {
      this.i++;
      while (!this.isWord("BEGIN")) {
        if (this.peek().kind === "eof") this.fail("expected BEGIN after the declarations");
        declarations.push(this.declaration());
        this.expectPunct(";");
      }
    }
    this.expectWord("BEGIN");
    const body = this.statements(["EXCEPTION", "END"]);
    const handlers: Handler[] = [];
    if (this.isWord("EXCEPTION")) {
      this.i++;
      if (!this.isWord("WHEN")) this.fail("expected WHEN after EXCEPTION");
      while (this.isWord("WHEN")) {
        this.i++;
        const names = [this.name("an exception name (OTHER, STATEMENT_ERROR, EXPRESSION_ERROR or a declared one)")];
        while (this.isWord("OR")) {
          this.i++;
          names.push(this.name("an exception name"));
        }
        this.expectWord("THEN");
        handlers.push({ names, body: this.statements(["WHEN", "END"]) });
      }
    }
    this.expectWord("END");
    return { declarations, body, handlers, offset };
  }

  private declaration(): Declaration {
    const offset = this.peek().start;
    const name = this.name("a variable, cursor or exception name");
    if (this.isWord("CURSOR")) {
      this.i++;
      this.expectWord("FOR");
      const start = this.i;
      return { kind: "cursor", name, query: this.slice(start, this.scanTo(this.isSemicolon, "';'")), offset };
    }
    if (this.isWord("RESULTSET")) {
      this.scanTo(this.isSemicolon, "';'");
      return { kind: "unsupported", what: "RESULTSET variables", offset };
    }
    if (this.isWord("EXCEPTION")) {
      this.i++;
      if (!this.isPunct("(")) return { kind: "exception", name, offset };
      this.i++;
      const negative = this.isPunct("-");
      if (negative) this.i++;
      const code = this.peek();
      if (code.kind !== "number") this.fail("expected the exception's number");
      this.i++;
      this.expectPunct(",");
      const message = this.peek();
      if (message.kind !== "string") this.fail("expected the exception's message as a string literal");
      this.i++;
      this.expectPunct(")");
      return { kind: "exception", name, code: (negative ? -1 : 1) * Number(code.value), message: message.value, offset };
    }
    const type = this.typeUntilValue();
    if (this.isPunct(";")) return { kind: "variable", name, ...(type === undefined ? {} : { type }), offset };
    this.assignmentOperator();
    const start = this.i;
    return { kind: "variable", name, ...(type === undefined ? {} : { type }), value: this.slice(start, this.scanTo(this.isSemicolon, "';'")), offset };
  }

  /** An optional data type before `:=`, DEFAULT or `;`. */
  private typeUntilValue(): string | undefined {
    const start = this.i;
    while (!this.isPunct(";") && !this.isWord("DEFAULT") && !(this.isPunct(":") && this.isPunct("=", 1)) && this.peek().kind !== "eof") this.i++;
    if (this.i === start) return undefined;
    return this.text.slice(this.tokens[start].start, this.tokens[this.i - 1].end).replace(/\s+/g, "").toUpperCase();
  }

  private assignmentOperator(): void {
    if (this.isWord("DEFAULT")) {
      this.i++;
      return;
    }
    if (this.isPunct(":") && this.isPunct("=", 1)) {
      this.i += 2;
      return;
    }
    this.fail("expected := or DEFAULT");
  }

  private statements(stops: readonly string[]): ScriptStatement[] {
    const list: ScriptStatement[] = [];
    for (;;) {
      const t = this.peek();
      if (t.kind === "eof") this.fail(`expected ${stops.join(" or ")}`);
      if (t.kind === "word" && stops.includes(t.value.toUpperCase())) return list;
      list.push(this.statement());
      this.expectPunct(";");
    }
  }

  private statement(): ScriptStatement {
    const t = this.peek();
    const offset = t.start;
    if (this.startsBlock()) return { kind: "block", block: this.block(), offset };
    const word = t.kind === "word" ? t.value.toUpperCase() : "";
    switch (word) {
      case "LET":
        return this.let(offset);
      case "IF":
        return this.ifStatement(offset);
      case "CASE":
        return this.caseStatement(offset);
      case "RETURN": {
        this.i++;
        if (this.isPunct(";")) return { kind: "return", offset };
        const start = this.i;
        return { kind: "return", value: this.slice(start, this.scanTo(this.isSemicolon, "';'")), offset };
      }
      case "RAISE": {
        this.i++;
        if (this.isPunct(";")) return { kind: "raise", offset };
        return { kind: "raise", name: this.name("an exception name"), offset };
      }
      case "OPEN":
      case "CLOSE": {
        this.i++;
        const cursor = this.name("a cursor name");
        if (word === "OPEN" && this.isWord("USING")) {
          this.scanTo(this.isSemicolon, "';'");
          return { kind: "unsupported", what: "OPEN ... USING", offset };
        }
        return { kind: word === "OPEN" ? "open" : "close", cursor, offset };
      }
      case "FETCH": {
        this.i++;
        const cursor = this.name("a cursor name");
        this.expectWord("INTO");
        return { kind: "fetch", cursor, into: this.variableList(false), offset };
      }
      case "NULL":
        if (this.isPunct(";", 1)) {
          this.i++;
          return { kind: "null", offset };
        }
        break;
      case "BREAK":
      case "EXIT":
      case "CONTINUE":
      case "ITERATE":
      case "LEAVE":
        this.scanTo(this.isSemicolon, "';'");
        return { kind: "unsupported", what: `${word} (loops)`, offset };
      default:
        if (LOOP_KINDS.includes(word)) return this.loop(word, offset);
    }
    if ((t.kind === "word" || t.kind === "quoted") && this.isPunct(":", 1) && this.isPunct("=", 2)) {
      const name = this.name("a variable name");
      this.i += 2;
      const start = this.i;
      return { kind: "assign", name, value: this.slice(start, this.scanTo(this.isSemicolon, "';'")), offset };
    }
    return this.sqlStatement(offset);
  }

  private let(offset: number): ScriptStatement {
    this.i++;
    const name = this.name("a variable name");
    if (this.isWord("CURSOR")) {
      this.i++;
      this.expectWord("FOR");
      const start = this.i;
      return { kind: "let_cursor", name, query: this.slice(start, this.scanTo(this.isSemicolon, "';'")), offset };
    }
    if (this.isWord("RESULTSET")) {
      this.scanTo(this.isSemicolon, "';'");
      return { kind: "unsupported", what: "RESULTSET variables", offset };
    }
    const type = this.typeUntilValue();
    this.assignmentOperator();
    const start = this.i;
    return { kind: "let", name, ...(type === undefined ? {} : { type }), value: this.slice(start, this.scanTo(this.isSemicolon, "';'")), offset };
  }

  /** `( condition )`: the text inside the parentheses. */
  private condition(): ScriptText {
    if (!this.isPunct("(")) this.fail("expected '(' around the condition");
    this.i++;
    const start = this.i;
    const end = this.scanTo((t) => t.kind === "punct" && t.value === ")", "')'");
    const text = this.slice(start, end);
    this.i++;
    return text;
  }

  private ifStatement(offset: number): ScriptStatement {
    this.i++;
    const branches: Branch[] = [];
    const condition = this.condition();
    this.expectWord("THEN");
    branches.push({ condition, body: this.statements(["ELSEIF", "ELSE", "END"]) });
    let otherwise: ScriptStatement[] | undefined;
    for (;;) {
      if (this.isWord("ELSEIF")) {
        this.i++;
        const next = this.condition();
        this.expectWord("THEN");
        branches.push({ condition: next, body: this.statements(["ELSEIF", "ELSE", "END"]) });
        continue;
      }
      if (this.isWord("ELSE")) {
        this.i++;
        otherwise = this.statements(["END"]);
      }
      break;
    }
    this.expectWord("END");
    this.expectWord("IF");
    return { kind: "if", branches, ...(otherwise === undefined ? {} : { otherwise }), offset };
  }

  private caseStatement(offset: number): ScriptStatement {
    this.i++;
    let subject: ScriptText | undefined;
    if (!this.isWord("WHEN")) {
      const start = this.i;
      subject = this.slice(start, this.scanTo((t) => t.kind === "word" && t.value.toUpperCase() === "WHEN", "WHEN"));
    }
    const branches: Branch[] = [];
    while (this.isWord("WHEN")) {
      this.i++;
      const start = this.i;
      const condition = this.slice(start, this.scanTo((t) => t.kind === "word" && t.value.toUpperCase() === "THEN", "THEN"));
      this.i++;
      branches.push({ condition, body: this.statements(["WHEN", "ELSE", "END"]) });
    }
    if (branches.length === 0) this.fail("expected WHEN");
    let otherwise: ScriptStatement[] | undefined;
    if (this.isWord("ELSE")) {
      this.i++;
      otherwise = this.statements(["END"]);
    }
    this.expectWord("END");
    if (this.isWord("CASE")) this.i++;
    return { kind: "case", ...(subject === undefined ? {} : { subject }), branches, ...(otherwise === undefined ? {} : { otherwise }), offset };
  }

  /** A loop is read to its matching END so the block still reads; running it is unsupported. */
  private loop(kind: string, offset: number): ScriptStatement {
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === "eof") this.fail(`expected END ${kind}`);
      const w = t.kind === "word" ? t.value.toUpperCase() : "";
      const afterEnd = this.i > 0 && this.tokens[this.i - 1].kind === "word" && this.tokens[this.i - 1].value.toUpperCase() === "END";
      if (w === "END") {
        depth--;
        this.i++;
        if (this.peek().kind === "word" && CLOSER_WORDS.has(this.peek().value.toUpperCase())) this.i++;
        if (depth <= 0) return { kind: "unsupported", what: `${kind} loops`, offset };
        continue;
      }
      if (!afterEnd && (w === "DO" || w === "LOOP" || w === "REPEAT" || w === "CASE" || (w === "BEGIN" && this.startsBlock()) || (w === "IF" && this.isPunct("(", 1)))) depth++;
      this.i++;
    }
  }

  /** `:a, :b` (SELECT/CALL ... INTO) or `a, b` (FETCH ... INTO). */
  private variableList(colons: boolean): string[] {
    const names: string[] = [];
    do {
      if (colons) this.expectPunct(":");
      else if (this.isPunct(":")) this.i++;
      names.push(this.name("a variable name"));
    } while (this.isPunct(",") && ++this.i);
    return names;
  }

  /** Any other statement, to its `;`; a depth-zero `INTO :v, ...` is taken out and kept apart. */
  private sqlStatement(offset: number): ScriptStatement {
    const start = this.i;
    let into: string[] = [];
    let intoStart = -1;
    let intoEnd = -1;
    let depth = 0;
    for (;;) {
      const t = this.peek();
      if (t.kind === "eof") this.fail("expected ';'");
      if (depth === 0 && t.kind === "punct" && t.value === ";") break;
      if (t.kind === "punct" && (t.value === "(" || t.value === "[")) depth++;
      else if (t.kind === "punct" && (t.value === ")" || t.value === "]")) depth--;
      else if (t.kind === "word" && t.value.toUpperCase() === "CASE") depth++;
      else if (t.kind === "word" && t.value.toUpperCase() === "END") depth--;
      if (depth === 0 && intoStart < 0 && t.kind === "word" && t.value.toUpperCase() === "INTO" && this.isPunct(":", 1)) {
        intoStart = this.i;
        this.i++;
        into = this.variableList(true);
        intoEnd = this.i;
        continue;
      }
      this.i++;
    }
    const end = this.i;
    if (end === start) this.fail("expected a statement");
    const first = this.tokens[start];
    const last = this.tokens[end - 1];
    let text = this.text.slice(first.start, last.end);
    if (intoStart >= 0) {
      const before = this.text.slice(first.start, this.tokens[intoStart].start);
      const after = intoEnd < end ? this.text.slice(this.tokens[intoEnd].start, last.end) : "";
      text = (before + " " + after).trim().replace(/\s+$/, "");
    }
    return { kind: "sql", sql: { text, offset: first.start }, into, offset };
  }
}

/** Reads a Snowflake Scripting block (the body of a LANGUAGE SQL procedure, or an anonymous block). */
export function parseScriptingBlock(text: string): Block {
  return new ScriptingParser(text).parseTop();
}

/** Every embedded SQL statement of a block, nested blocks and branches included, in order. */
export function embeddedStatements(block: Block): ScriptText[] {
  const found: ScriptText[] = [];
  const fromDeclarations = (declarations: readonly Declaration[]) => {
    for (const d of declarations) if (d.kind === "cursor") found.push(d.query);
  };
  const walk = (statements: readonly ScriptStatement[]) => {
    for (const s of statements) {
      switch (s.kind) {
        case "block":
          fromDeclarations(s.block.declarations);
          walk(s.block.body);
          for (const h of s.block.handlers) walk(h.body);
          break;
        case "if":
        case "case":
          for (const b of s.branches) walk(b.body);
          if (s.otherwise !== undefined) walk(s.otherwise);
          break;
        case "sql":
          found.push(s.sql);
          break;
        case "let_cursor":
          found.push(s.query);
          break;
        default:
          break;
      }
    }
  };
  fromDeclarations(block.declarations);
  walk(block.body);
  for (const h of block.handlers) walk(h.body);
  return found;
}
