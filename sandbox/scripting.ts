/**
 * Runs Snowflake Scripting (LANGUAGE SQL procedures and anonymous blocks) in the sandbox.
 *
 * The block structure comes from sql/scripting.ts; every expression and every embedded
 * statement runs through the same statement executor as a JavaScript procedure's
 * `snowflake.execute`, so tables, CALLs of other procedures, privileges and the statement log
 * behave alike. An expression is evaluated as `SELECT <expr> FROM (SELECT <variables>)`, so a
 * variable is a column of that one-row table (`status:status` reads a VARIANT variable's
 * field); in embedded statements `:name` binds a variable, as Snowflake documents.
 *
 * Covered: DECLARE (variables, cursors, exceptions), LET, `:=`, IF/ELSEIF/ELSE, CASE,
 * RETURN, RAISE, OPEN/FETCH/CLOSE, SELECT ... INTO, CALL ... INTO, nested blocks, EXCEPTION
 * WHEN ... THEN with SQLCODE/SQLERRM/SQLSTATE, SQLROWCOUNT/SQLFOUND/SQLNOTFOUND. Loops and
 * RESULTSETs are refused as unsupported when reached.
 */
import { identifierValue, positionAt, tokenize, type Token } from "../sql/lexer";
import { parseScriptingBlock, type Block, type Declaration, type ScriptStatement, type ScriptText } from "../sql/scripting";
import { SnowflakeError, UnsupportedError, type BindValue, type QueryResult } from "./types";

export interface ScriptingHost {
  /** Runs one statement as a statement of the procedure; throws SnowflakeError. */
  execute(sqlText: string, binds: readonly BindValue[]): QueryResult;
}

interface Value {
  readonly value: unknown;
  /** True when the value is a VARIANT (declared so, or read from a semi-structured column). */
  readonly variant: boolean;
  /**
   * The declared type's kind, when the variable has one: a value assigned to it takes that
   * kind, as Snowflake casts a VARIANT assigned to a NUMBER variable.
   */
  readonly declared?: "variant" | "scalar";
}

function declaredKind(type: string | undefined): "variant" | "scalar" | undefined {
  if (type === undefined) return undefined;
  return SEMI_STRUCTURED.has(type.replace(/\(.*$/, "").toUpperCase()) ? "variant" : "scalar";
}

/** A value stored into a variable: it keeps the variable's declared kind. */
function typed(value: Value, declared: "variant" | "scalar" | undefined): Value {
  if (declared === undefined) return { value: value.value, variant: value.variant };
  return { value: value.value, variant: declared === "variant", declared };
}

interface Cursor {
  readonly query: ScriptText;
  rows?: readonly (readonly unknown[])[];
  columns?: QueryResult["columns"];
  next: number;
}

interface DeclaredException {
  readonly code: number;
  readonly message: string;
}

class Scope {
  readonly variables = new Map<string, Value>();
  readonly cursors = new Map<string, Cursor>();
  readonly exceptions = new Map<string, DeclaredException>();
  constructor(readonly parent?: Scope) {}

  find<T>(pick: (s: Scope) => Map<string, T>, name: string): { scope: Scope; value: T } | undefined {
    const found = pick(this).get(name);
    if (found !== undefined) return { scope: this, value: found };
    return this.parent?.find(pick, name);
  }

  /** Every variable in sight, an inner declaration hiding an outer one of the same name. */
  visibleVariables(): Map<string, Value> {
    const all = this.parent?.visibleVariables() ?? new Map<string, Value>();
    for (const [k, v] of this.variables) all.set(k, v);
    return all;
  }
}

/** An exception travelling through the block: a failed statement or expression, or a RAISE. */
class ScriptException extends Error {
  constructor(
    /** STATEMENT_ERROR, EXPRESSION_ERROR, or the declared exception's name. */
    readonly type: string,
    readonly code: string,
    readonly sqlState: string,
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

class ReturnSignal {
  constructor(readonly value: unknown) {}
}

const SEMI_STRUCTURED = new Set(["VARIANT", "OBJECT", "ARRAY"]);

/** Words after which `:name` is a bind, not a path into the preceding value. */
const BIND_AFTER = new Set(
  (
    "SELECT WHERE AND OR NOT THEN ELSE WHEN IN VALUES SET BY ON RETURN IS LIKE ILIKE CASE FROM INTO USING AS HAVING " +
    "BETWEEN DISTINCT ALL ANY SOME EXISTS ELSEIF IF WITH"
  ).split(" "),
);

function isOperandEnd(t: Token | undefined): boolean {
  if (t === undefined) return false;
  if (t.kind === "word") return !BIND_AFTER.has(t.value.toUpperCase());
  if (t.kind === "punct") return t.value === ")" || t.value === "]";
  return t.kind === "quoted" || t.kind === "number" || t.kind === "string";
}

function quoteAlias(name: string): string {
  return /^[A-Z_][A-Z0-9_$]*$/.test(name) ? name : '"' + name.replace(/"/g, '""') + '"';
}

class Interpreter {
  constructor(
    private readonly host: ScriptingHost,
    private readonly source: string,
    private readonly globals: Scope,
  ) {}

  // --- values in and out of SQL ------------------------------------------------------------

  /** The SQL that stands for a variable's value, with its binds. */
  private placeholder(v: Value, binds: BindValue[]): string {
    const value = v.value;
    if (v.variant || (value !== null && typeof value === "object" && !(value instanceof Date))) {
      binds.push(value === null || value === undefined ? null : JSON.stringify(value));
      return "PARSE_JSON(?)";
    }
    if (value === null || value === undefined) return "NULL";
    binds.push(value as BindValue);
    return "?";
  }

  /**
   * Rewrites `:name` binds of visible variables. In an expression they become the bare name
   * (a column of the variables' table); in a statement, a `?` with the value bound.
   */
  private rewrite(text: string, scope: Scope, mode: "expression" | "statement"): { sql: string; binds: BindValue[]; used: Set<string> } {
    const tokens = tokenize(text);
    const visible = scope.visibleVariables();
    const binds: BindValue[] = [];
    const used = new Set<string>();
    let sql = "";
    let last = 0;
    for (let i = 0; i < tokens.length - 1; i++) {
      const t = tokens[i];
      const next = tokens[i + 1];
      if (t.kind === "punct" && t.value === ":" && (next.kind === "word" || next.kind === "quoted") && !isOperandEnd(tokens[i - 1])) {
        const name = identifierValue(next);
        const variable = visible.get(name);
        if (variable === undefined) continue;
        sql += text.slice(last, t.start);
        if (mode === "expression") {
          sql += quoteAlias(name);
          used.add(name);
        } else {
          sql += this.placeholder(variable, binds);
        }
        last = next.end;
        i++;
        continue;
      }
      if (mode === "expression" && (t.kind === "word" || t.kind === "quoted")) {
        const prev = tokens[i - 1];
        const afterDot = prev !== undefined && prev.kind === "punct" && (prev.value === "." || prev.value === ":");
        const isCall = next.kind === "punct" && next.value === "(";
        if (!afterDot && !isCall && visible.has(identifierValue(t))) used.add(identifierValue(t));
      }
    }
    sql += text.slice(last);
    return { sql, binds, used };
  }

  private evaluate(expression: ScriptText, scope: Scope): Value {
    const { sql, used } = this.rewrite(expression.text, scope, "expression");
    const visible = scope.visibleVariables();
    const binds: BindValue[] = [];
    let select = `SELECT ${sql} AS V`;
    if (used.size > 0) {
      const columns = [...used].map((name) => `${this.placeholder(visible.get(name)!, binds)} AS ${quoteAlias(name)}`);
      select += ` FROM (SELECT ${columns.join(", ")}) AS SCRIPT_VARIABLES`;
    }
    let result: QueryResult;
    try {
      result = this.host.execute(select, binds);
    } catch (e) {
      throw this.failure("EXPRESSION_ERROR", e, expression.offset);
    }
    const value = result.rows[0]?.[0] ?? null;
    return { value, variant: SEMI_STRUCTURED.has(result.columns[0]?.type ?? "") };
  }

  private isTrue(expression: ScriptText, scope: Scope): boolean {
    return this.evaluate(expression, scope).value === true;
  }

  private run(sqlText: ScriptText, scope: Scope): QueryResult {
    const { sql, binds } = this.rewrite(sqlText.text, scope, "statement");
    let result: QueryResult;
    try {
      result = this.host.execute(sql, binds);
    } catch (e) {
      throw this.failure("STATEMENT_ERROR", e, sqlText.offset);
    }
    const affected = result.rowsAffected;
    const count = affected ?? result.rows.length;
    this.globals.variables.set("SQLROWCOUNT", { value: affected ?? null, variant: false });
    this.globals.variables.set("SQLFOUND", { value: count > 0, variant: false });
    this.globals.variables.set("SQLNOTFOUND", { value: count === 0, variant: false });
    return result;
  }

  private failure(type: string, e: unknown, offset: number): ScriptException {
    if (e instanceof ScriptException) return e;
    if (e instanceof UnsupportedError) throw e;
    if (e instanceof SnowflakeError) return new ScriptException(type, e.code, e.sqlState, e.message, offset);
    return new ScriptException(type, "100132", "P0000", e instanceof Error ? e.message : String(e), offset);
  }

  private assign(scope: Scope, name: string, value: Value): void {
    const found = scope.find((s) => s.variables, name);
    if (found === undefined) throw new ScriptException("STATEMENT_ERROR", "002003", "42601", `Snowflake Scripting: variable '${name}' is not declared.`, 0);
    found.scope.variables.set(name, typed(value, found.value.declared));
  }

  private assignRow(scope: Scope, names: readonly string[], result: QueryResult | undefined, row: number): void {
    names.forEach((name, i) => {
      const column = result?.columns[i];
      const value = result === undefined || row >= result.rows.length ? null : (result.rows[row][i] ?? null);
      this.assign(scope, name, { value, variant: SEMI_STRUCTURED.has(column?.type ?? "") });
    });
  }

  // --- blocks and statements -----------------------------------------------------------------

  block(block: Block, parent: Scope): void {
    const scope = new Scope(parent);
    for (const d of block.declarations) this.declare(d, scope);
    try {
      this.statements(block.body, scope);
    } catch (e) {
      if (!(e instanceof ScriptException) || block.handlers.length === 0) throw e;
      const handler = block.handlers.find((h) => h.names.includes("OTHER") || h.names.includes(e.type));
      if (handler === undefined) throw e;
      const handlerScope = new Scope(scope);
      handlerScope.variables.set("SQLCODE", { value: Number(e.code), variant: false });
      handlerScope.variables.set("SQLERRM", { value: e.message, variant: false });
      handlerScope.variables.set("SQLSTATE", { value: e.sqlState, variant: false });
      this.statements(handler.body, handlerScope);
    }
  }

  private declare(d: Declaration, scope: Scope): void {
    switch (d.kind) {
      case "variable": {
        const declared = declaredKind(d.type);
        const value = d.value === undefined ? { value: null, variant: declared === "variant" } : this.evaluate(d.value, scope);
        scope.variables.set(d.name, typed(value, declared));
        return;
      }
      case "cursor":
        scope.cursors.set(d.name, { query: d.query, next: 0 });
        return;
      case "exception":
        scope.exceptions.set(d.name, { code: d.code ?? -20000, message: d.message ?? "" });
        return;
      case "unsupported":
        throw new UnsupportedError(`${d.what} in Snowflake Scripting`);
    }
  }

  private statements(list: readonly ScriptStatement[], scope: Scope): void {
    for (const s of list) this.statement(s, scope);
  }

  private statement(s: ScriptStatement, scope: Scope): void {
    switch (s.kind) {
      case "block":
        this.block(s.block, scope);
        return;
      case "let":
        scope.variables.set(s.name, typed(this.evaluate(s.value, scope), declaredKind(s.type)));
        return;
      case "let_cursor":
        scope.cursors.set(s.name, { query: s.query, next: 0 });
        return;
      case "assign":
        this.assign(scope, s.name, this.evaluate(s.value, scope));
        return;
      case "if": {
        for (const branch of s.branches) {
          if (this.isTrue(branch.condition, scope)) {
            this.statements(branch.body, scope);
            return;
          }
        }
        if (s.otherwise !== undefined) this.statements(s.otherwise, scope);
        return;
      }
      case "case": {
        for (const branch of s.branches) {
          const condition = s.subject === undefined ? branch.condition : { text: `(${s.subject.text}) = (${branch.condition.text})`, offset: branch.condition.offset };
          if (this.isTrue(condition, scope)) {
            this.statements(branch.body, scope);
            return;
          }
        }
        if (s.otherwise !== undefined) this.statements(s.otherwise, scope);
        else throw new ScriptException("STATEMENT_ERROR", "000002", "20000", "Snowflake Scripting: no WHEN of the CASE matched and it has no ELSE.", s.offset);
        return;
      }
      case "return":
        throw new ReturnSignal(s.value === undefined ? null : this.evaluate(s.value, scope).value);
      case "raise": {
        if (s.name === undefined) throw new ScriptException("STATEMENT_ERROR", "000002", "P0001", "RAISE without an exception outside a handler.", s.offset);
        const declared = scope.find((x) => x.exceptions, s.name);
        if (declared === undefined) throw new ScriptException("STATEMENT_ERROR", "002003", "42601", `Snowflake Scripting: exception '${s.name}' is not declared.`, s.offset);
        throw new ScriptException(s.name, String(declared.value.code), "P0001", declared.value.message, s.offset);
      }
      case "open": {
        const cursor = this.cursor(scope, s.cursor, s.offset);
        const result = this.run(cursor.query, scope);
        cursor.rows = result.rows;
        cursor.columns = result.columns;
        cursor.next = 0;
        return;
      }
      case "fetch": {
        const cursor = this.cursor(scope, s.cursor, s.offset);
        if (cursor.rows === undefined) throw new ScriptException("STATEMENT_ERROR", "002003", "24000", `Cursor '${s.cursor}' is not open.`, s.offset);
        this.assignRow(scope, s.into, { columns: cursor.columns ?? [], rows: cursor.rows }, cursor.next);
        cursor.next++;
        return;
      }
      case "close":
        this.cursor(scope, s.cursor, s.offset).rows = undefined;
        return;
      case "sql": {
        const result = this.run(s.sql, scope);
        if (s.into.length > 0) this.assignRow(scope, s.into, result, 0);
        return;
      }
      case "null":
        return;
      case "unsupported":
        throw new UnsupportedError(`${s.what} in Snowflake Scripting`);
    }
  }

  private cursor(scope: Scope, name: string, offset: number): Cursor {
    const found = scope.find((s) => s.cursors, name);
    if (found === undefined) throw new ScriptException("STATEMENT_ERROR", "002003", "42601", `Snowflake Scripting: cursor '${name}' is not declared.`, offset);
    return found.value;
  }

  /** Runs the block; an exception no handler caught fails the call, quoting its type and place. */
  runTop(block: Block): unknown {
    try {
      this.block(block, this.globals);
      return null;
    } catch (e) {
      if (e instanceof ReturnSignal) return e.value;
      if (e instanceof ScriptException) {
        const at = positionAt(this.source, e.offset);
        throw new SnowflakeError(e.code, e.sqlState, `Uncaught exception of type '${e.type}' on line ${at.line} at position ${at.column - 1} : ${e.message}`);
      }
      throw e;
    }
  }
}

export interface ScriptArgument {
  readonly name: string;
  readonly type: string;
  readonly value: unknown;
}

/** Runs a LANGUAGE SQL procedure's body with its arguments as variables; returns what it returns. */
export function runScriptingProcedure(body: string, args: readonly ScriptArgument[], host: ScriptingHost): unknown {
  const globals = new Scope();
  for (const arg of args) {
    const declared = declaredKind(arg.type);
    globals.variables.set(arg.name.toUpperCase(), typed({ value: arg.value ?? null, variant: declared === "variant" }, declared));
  }
  return new Interpreter(host, body, globals).runTop(parseScriptingBlock(body));
}

/** Runs an anonymous block. */
export function runAnonymousBlock(body: string, host: ScriptingHost): unknown {
  return new Interpreter(host, body, new Scope()).runTop(parseScriptingBlock(body));
}
