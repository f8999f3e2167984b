/**
 * The parser gate: every statement floe renders must parse. Statements of a documented form
 * floe's grammar knows (sql/grammar/forms.ts: procedures, application roles, versioned schemas,
 * grants, EXECUTE IMMEDIATE FROM, tables and views...) must follow that form's clause set and
 * order; every statement must also satisfy a Snowflake-dialect SQL parser (sqlparser-rs
 * compiled to WASM) unless it is a shape that parser lacks. JavaScript bodies must compile.
 */
import { createHash } from "node:crypto";
import type * as SqlParser from "@guanmingchiu/sqlparser-ts";
import { splitStatements, positionAt } from "../sql/lexer";
import { readStatement } from "../sql/statements";
import { SqlReadError } from "../errors";
import { embeddedStatements, parseScriptingBlock } from "../sql/scripting";
import type { CacheStore } from "./cache/store";
import { checkBodyCompiles } from "./compile/check-body";
import { setupRuleProblems } from "./setup-rules";
import { applyV8Flags } from "./v8-flags";
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
let parser: typeof SqlParser | undefined;
/** True once the WASM module is initialised: parse() is usable. */
let initialised = false;

/**
 * Loads the parser's WASM module once per process. The module is 3.5 MB; V8 compiles it quickly
 * for a first run and then again, optimised, in the background, and a short process would
 * spend its last second waiting for that second compilation. floe parses a few statements per
 * run, so the optimised tier is switched off before the module is compiled (v8-flags.ts).
 */
export function loadSqlParser(): Promise<void> {
  if (ready === undefined) {
    applyV8Flags();
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    parser = require("@guanmingchiu/sqlparser-ts") as typeof SqlParser;
    ready = parser.init().then(() => {
      initialised = true;
    });
  }
  return ready;
}

function parse(text: string): void {
  if (parser === undefined || !initialised) throw new Error("internal error: the SQL parser is used before loadSqlParser()");
  parser.parse(text, "snowflake");
}

/**
 * Checks one statement. A statement of a form floe's grammar knows must follow that form (it
 * is stricter than the general parser: clause order, procedure signatures in grants); every
 * other statement must satisfy the general parser. Bodies are checked too: JavaScript must
 * compile, and a Snowflake Scripting block's embedded statements must follow the grammar.
 */
export function checkStatement(text: string): { checker: "sqlparser" | "floe" } | { error: string } {
  const read = checkByGrammar(text);
  if ("error" in read) return read;
  const known = read.known;
  if (known?.kind === "block") return { checker: "floe" };
  try {
    parse(text);
    return { checker: "sqlparser" };
  } catch (e) {
    if (known !== null) return { checker: "floe" };
    return { error: (e as Error).message };
  }
}

/**
 * The grammar's half of the check: a statement of a form floe knows must follow it, and its
 * body must compile (JavaScript) or hold statements of known forms (Snowflake Scripting).
 * `known` is null for a statement floe's grammar has no form for: only the general parser
 * can judge it. A statement the grammar knows is never refused by the general parser.
 */
export function checkByGrammar(text: string): { known: ReturnType<typeof readStatement> } | { error: string } {
  try {
    const known = readStatement(text);
    if (known?.kind === "create_procedure" && known.language === "JAVASCRIPT") checkBodyCompiles(known.body, known.name.join("."));
    if (known?.kind === "create_procedure" && known.language === "SQL") checkScriptingStatements(known.body, known.bodyOffset, text);
    if (known?.kind === "block") checkScriptingStatements(known.body, 0, text);
    return { known };
  } catch (e) {
    return { error: e instanceof SqlReadError ? e.message : (e as Error).message };
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
  if (!initialised) throw new Error("checkBundleSql: the SQL parser is not loaded; await loadSqlParser() first.");
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

export function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

/** What has already passed the gate: floe's own fixed SQL (checked when floe was built) and a project's cache. */
export interface GateMemory {
  /** sha256 of files and statements that passed when floe was built. */
  readonly files: ReadonlySet<string>;
  readonly statements: ReadonlySet<string>;
  readonly cache: CacheStore | null;
  /** Part of every cache key: the floe whose gate passed them. */
  readonly fingerprint: string;
}

const passed = (value: unknown): value is true => value === true;

/**
 * The parser gate of a render: the same verdicts as checkBundleSql, but a file or statement that
 * passed before (floe's own SQL at build time, or the project's in an earlier render) is not
 * checked again, and the general parser is loaded only for a statement floe's grammar does not
 * know (the grammar is stricter wherever it has a form; see checkStatement).
 */
export async function gateBundle(bundle: Bundle, memory: GateMemory): Promise<SqlProblem[]> {
  const problems: SqlProblem[] = [];
  const cache = memory.cache;
  const fileKey = (hash: string) => ["gate-file", memory.fingerprint, hash];
  const statementKey = (hash: string) => ["gate-statement", memory.fingerprint, hash];
  for (const [file, content] of bundle) {
    if (!file.endsWith(".sql")) continue;
    const hash = sha256(content);
    if (memory.files.has(hash) || cache?.get("gate", fileKey(hash), passed) === true) continue;
    const before = problems.length;
    // In statement order, as checkBundleSql reports them; `null` waits for the general parser.
    const results: { line: number; hash: string; text: string; error: string | null | undefined }[] = [];
    for (const statement of splitStatements(content)) {
      const statementHash = sha256(statement.text);
      if (memory.statements.has(statementHash) || cache?.get("gate", statementKey(statementHash), passed) === true) continue;
      const read = checkByGrammar(statement.text);
      const error = "error" in read ? read.error : read.known === null ? null : undefined;
      results.push({ line: positionAt(content, statement.start).line, hash: statementHash, text: statement.text, error });
    }
    if (results.some((r) => r.error === null)) await loadSqlParser();
    for (const result of results) {
      if (result.error === null) {
        try {
          parse(result.text);
          result.error = undefined;
        } catch (e) {
          result.error = (e as Error).message;
        }
      }
      if (result.error === undefined) cache?.put("gate", statementKey(result.hash), true);
      else problems.push({ file, line: result.line, message: result.error });
    }
    for (const problem of setupRuleProblems(content)) problems.push({ file, ...problem });
    if (problems.length === before) cache?.put("gate", fileKey(hash), true);
  }
  return problems;
}
