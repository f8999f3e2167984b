/**
 * The parser gate: every statement floe renders must parse. Statements go to a Snowflake-dialect
 * SQL parser (sqlparser-rs compiled to WASM); the shapes it does not know (CREATE PROCEDURE
 * headers, CREATE APPLICATION ROLE, versioned schemas, GRANT ... TO APPLICATION ROLE on
 * procedures, EXECUTE IMMEDIATE FROM) go to floe's own strict statement reader instead.
 * JavaScript procedure bodies must compile.
 */
import { init, parse } from "@guanmingchiu/sqlparser-ts";
import { splitStatements, positionAt } from "../sql/lexer";
import { readStatement } from "../sql/statements";
import { SqlReadError } from "../sql/cursor";
import { checkBodyCompiles } from "./compile/body";
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
 * Checks one statement. A statement of a kind floe's reader knows must satisfy that reader
 * (it is stricter than the general parser about, e.g., procedure signatures in grants); every
 * other statement must satisfy the general parser.
 */
export function checkStatement(text: string): { checker: "sqlparser" | "floe" } | { error: string } {
  let known: ReturnType<typeof readStatement>;
  try {
    known = readStatement(text);
    if (known?.kind === "create_procedure" && known.language === "JAVASCRIPT") checkBodyCompiles(known.body, known.name.join("."));
  } catch (e) {
    return { error: e instanceof SqlReadError ? e.message : (e as Error).message };
  }
  try {
    parse(text, "snowflake");
    return { checker: "sqlparser" };
  } catch (e) {
    if (known !== null) return { checker: "floe" };
    return { error: (e as Error).message };
  }
}

/** Checks every statement of every SQL file of a bundle. Call loadSqlParser() first. */
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
  }
  return { checked, problems };
}
