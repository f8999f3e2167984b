/**
 * The parser gate: every statement floe renders must parse. Statements of a documented form
 * floe's grammar knows (sql/grammar/forms.ts: procedures, application roles, versioned schemas,
 * grants, EXECUTE IMMEDIATE FROM, tables and views...) must follow that form's clause set and
 * order; every statement must also satisfy a Snowflake-dialect SQL parser (sqlparser-rs
 * compiled to WASM) unless it is a shape that parser lacks. JavaScript bodies must compile.
 */
import { init, parse } from "@guanmingchiu/sqlparser-ts";
import { splitStatements, positionAt } from "../sql/lexer";
import { readStatement } from "../sql/statements";
import { SqlReadError } from "../errors";
import { embeddedStatements, parseScriptingBlock } from "../sql/scripting";
import { checkBodyCompiles } from "./compile/body";
import { setupRuleProblems } from "./setup-rules";
import type { Bundle } from "./render";

export interface StatementCheck {
  readonly file: string;
  readonly line: number;
  readonly text: string;
  /** Which checker accepted it. */
  readonly checker: "sqlparser" | "floe";
}

export interface SqlProblem {
  readonly file: string;
  readonly line: number;
  readonly message: string;
}

let ready: Promise<void> | undefined;

/** Loads the parser's WASM module once per process. */
export function loadSqlParser(): Promise<void> {
  ready ??= init();
  return ready;
}

/**
 * Checks one statement. A statement of a form floe's grammar knows must follow that form (it
 * is stricter than the general parser: clause order, procedure signatures in grants); every
 * other statement must satisfy the general parser. Bodies are checked too: JavaScript must
 * compile, and a Snowflake Scripting block's embedded statements must follow the grammar.
 */
export function checkStatement(text: string): { checker: "sqlparser" | "floe" } | { error: string } {
  let known: ReturnType<typeof readStatement>;
  try {
    known = readStatement(text);
    if (known?.kind === "create_procedure" && known.language === "JAVASCRIPT") checkBodyCompiles(known.body, known.name.join("."));
    if (known?.kind === "create_procedure" && known.language === "SQL") checkScriptingStatements(known.body, known.bodyOffset, text);
    if (known?.kind === "block") checkScriptingStatements(known.body, 0, text);
  } catch (e) {
    return { error: e instanceof SqlReadError ? e.message : (e as Error).message };
  }
  if (known?.kind === "block") return { checker: "floe" };
  try {
    parse(text, "snowflake");
    return { checker: "sqlparser" };
  } catch (e) {
    if (known !== null) return { checker: "floe" };
    return { error: (e as Error).message };
  }
}

/** The catalog statements inside a scripting body must follow their documented forms. */
function checkScriptingStatements(body: string, bodyOffset: number, text: string): void {
  for (const embedded of embeddedStatements(parseScriptingBlock(body))) {
    try {
      readStatement(embedded.text);
    } catch (e) {
      if (!(e instanceof SqlReadError)) throw e;
      const at = positionAt(text, bodyOffset + embedded.offset);
      throw new SqlReadError(`in the procedure body at line ${at.line}: ${e.message}`, bodyOffset + embedded.offset);
    }
  }
}

/**
 * Checks every statement of every SQL file of a bundle: the grammar and the general parser,
 * and the setup-script rules (no USE, no caller's-rights procedures). Call loadSqlParser() first.
 */
export function checkBundleSql(bundle: Bundle): { checked: StatementCheck[]; problems: SqlProblem[] } {
  const checked: StatementCheck[] = [];
  const problems: SqlProblem[] = [];
  for (const [file, content] of bundle) {
    if (!file.endsWith(".sql")) continue;
    for (const statement of splitStatements(content)) {
      const line = positionAt(content, statement.start).line;
      const result = checkStatement(statement.text);
      if ("error" in result) problems.push({ file, line, message: result.error });
      else checked.push({ file, line, text: statement.text, checker: result.checker });
    }
    for (const problem of setupRuleProblems(content)) problems.push({ file, ...problem });
  }
  return { checked, problems };
}
