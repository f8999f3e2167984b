/**
 * Parsing one table statement with `@guanmingchiu/sqlparser-ts` (Snowflake dialect), whose WASM
 * module loads once per process. Trees are cached by statement text: procedures run the same
 * statements in loops, and the translator never changes a tree.
 */
import { init, parse } from "@guanmingchiu/sqlparser-ts";
import { SnowflakeError, syntaxError } from "../../types";
import type { Statement } from "./ast";
import { stripComments } from "./source-text";

let parserReady: Promise<void> | undefined;
let parserLoaded = false;

/** Loads the parser's WASM module; must complete before {@link parseStatement}. */
export function initParser(): Promise<void> {
  parserReady ??= init().then(() => {
    parserLoaded = true;
  });
  return parserReady;
}

const astCache = new Map<string, Statement>();
const AST_CACHE_SIZE = 256;

/** Parses exactly one statement, or fails with Snowflake's error for what it got. */
export function parseStatement(sqlText: string): Statement {
  if (!parserLoaded) throw new Error("floe sandbox: initParser() has not completed");
  const cached = astCache.get(sqlText);
  if (cached !== undefined) return cached;
  if (sqlText.trim() === "" || /^[\s;]*$/.test(stripComments(sqlText))) {
    throw new SnowflakeError("000900", "42000", "Empty SQL statement.");
  }
  let statements: Statement[];
  try {
    // The parser's JSON, typed by what ast.ts declares; the translator checks it as it reads.
    statements = parse(sqlText, "snowflake") as unknown as Statement[];
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const at = /Line: (\d+), Column: (\d+)/.exec(message);
    const where = at ? `syntax error line ${at[1]} at position ${Number(at[2]) - 1}` : "syntax error";
    throw syntaxError(`${where}: ${message.replace(/^sql parser error: /, "")}`);
  }
  if (statements.length !== 1) {
    throw new SnowflakeError("000008", "0A000", `Actual statement count ${statements.length} did not match the desired statement count 1.`);
  }
  const statement = statements[0]!;
  if (astCache.size >= AST_CACHE_SIZE) astCache.delete(astCache.keys().next().value as string);
  astCache.set(sqlText, statement);
  return statement;
}
