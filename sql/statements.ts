/**
 * A strict reader for the Snowflake statements that are not table statements: application
 * packages and applications, roles, grants, schemas, stages, procedures, tasks, scripts.
 *
 * The renderers use it as the checker for the shapes the general SQL parser lacks, the plan
 * uses it to read grants back out of SQL files, and the sandbox dispatches on it. `readStatement`
 * returns null for statements that are not of these kinds (SELECT, INSERT, ...); a statement that
 * starts like one of these kinds but does not follow its grammar is an SqlReadError.
 */
import { quoteName } from "../lifecycle/sql-text";
import { TokenCursor } from "./cursor";
import { splitStatements, tokenize, type Token } from "./lexer";

export type Name = readonly string[];

export interface ProcedureArgument {
  readonly name: string;
  readonly type: string;
}

export type GrantTarget =
  | { readonly kind: "APPLICATION ROLE"; readonly name: Name }
  | { readonly kind: "ROLE"; readonly name: Name }
  | { readonly kind: "APPLICATION"; readonly name: Name }
  | { readonly kind: "USER"; readonly name: Name };

export type GrantObject =
  | { readonly kind: "ACCOUNT" }
  | { readonly kind: string; readonly name: Name; readonly signature?: readonly string[] };

export type CatalogStatement =
  | { readonly kind: "create_database"; readonly name: Name; readonly orReplace: boolean; readonly ifNotExists: boolean }
  | {
      readonly kind: "create_schema";
      readonly name: Name;
      readonly orReplace: boolean;
      readonly ifNotExists: boolean;
      readonly orAlterVersioned: boolean;
    }
  | {
      readonly kind: "create_stage";
      readonly name: Name;
      readonly orReplace: boolean;
      readonly ifNotExists: boolean;
      readonly options: Readonly<Record<string, string>>;
    }
  | { readonly kind: "create_application_role"; readonly name: Name; readonly orReplace: boolean; readonly ifNotExists: boolean }
  | {
      readonly kind: "create_role";
      readonly name: Name;
      readonly orReplace: boolean;
      readonly ifNotExists: boolean;
      readonly options: Readonly<Record<string, string>>;
    }
  | {
      readonly kind: "create_application_package";
      readonly name: Name;
      readonly orReplace: boolean;
      readonly ifNotExists: boolean;
      readonly options: Readonly<Record<string, string>>;
    }
  | {
      readonly kind: "create_application";
      readonly name: Name;
      readonly ifNotExists: boolean;
      readonly fromPackage: Name;
      readonly version?: string;
      readonly patch?: number;
    }
  | {
      readonly kind: "alter_application_package";
      readonly name: Name;
      readonly action: "add_version" | "add_patch" | "drop_version" | "set";
      readonly version: string;
      readonly using?: string;
      readonly label?: string;
      /** `set`: the options given, e.g. COMMENT, DISTRIBUTION. */
      readonly options?: Readonly<Record<string, string>>;
    }
  | { readonly kind: "alter_application_upgrade"; readonly name: Name; readonly version?: string; readonly patch?: number }
  | {
      readonly kind: "create_procedure";
      readonly name: Name;
      readonly orReplace: boolean;
      readonly ifNotExists: boolean;
      readonly args: readonly ProcedureArgument[];
      readonly returns: string;
      readonly language: string;
      readonly executeAs: "OWNER" | "CALLER" | "RESTRICTED CALLER";
      readonly comment?: string;
      /** Names of `KEY = value` options such as RUNTIME_VERSION or HANDLER. */
      readonly options: readonly string[];
      readonly body: string;
      /** Offset of the body's first character in the statement text. */
      readonly bodyOffset: number;
    }
  | {
      readonly kind: "create_task";
      readonly name: Name;
      readonly orReplace: boolean;
      readonly ifNotExists: boolean;
      readonly options: Readonly<Record<string, string>>;
      readonly body: string;
    }
  | { readonly kind: "alter_task"; readonly name: Name; readonly action: "RESUME" | "SUSPEND" }
  | {
      readonly kind: "grant" | "revoke";
      readonly privileges: readonly string[];
      readonly on: GrantObject;
      readonly to: GrantTarget;
    }
  | { readonly kind: "grant_application_role" | "revoke_application_role"; readonly role: Name; readonly to: GrantTarget }
  | { readonly kind: "execute_immediate_from"; readonly path: string }
  | { readonly kind: "call"; readonly name: Name; readonly args: readonly string[] }
  | { readonly kind: "put"; readonly localPath: string; readonly stage: string; readonly options: Readonly<Record<string, string>> }
  | { readonly kind: "list"; readonly stage: string }
  | { readonly kind: "remove"; readonly stage: string }
  | { readonly kind: "use"; readonly object: "DATABASE" | "SCHEMA" | "ROLE" | "WAREHOUSE"; readonly name: Name }
  | { readonly kind: "drop"; readonly object: string; readonly name: Name; readonly ifExists: boolean; readonly signature?: readonly string[] }
  | {
      readonly kind: "show";
      readonly what: string;
      readonly like?: string;
      /** `IN x`, `TO x` or `OF x` (SHOW GRANTS TO ROLE r lists r's privileges, OF ROLE r who holds r). */
      readonly in?: { readonly object: string; readonly name: Name; readonly preposition: "IN" | "TO" | "OF" };
    };

/** Object types a GRANT ... ON <type> may name, longest first so two-word types win. */
const GRANT_OBJECT_TYPES = [
  "APPLICATION PACKAGE",
  "EXTERNAL TABLE",
  "MATERIALIZED VIEW",
  "FILE FORMAT",
  "DATABASE",
  "SCHEMA",
  "TABLE",
  "VIEW",
  "PROCEDURE",
  "FUNCTION",
  "STAGE",
  "TASK",
  "STREAM",
  "WAREHOUSE",
  "INTEGRATION",
  "SEQUENCE",
  "APPLICATION",
];

const DROP_OBJECT_TYPES = [
  "APPLICATION PACKAGE",
  "APPLICATION ROLE",
  "ROLE",
  "APPLICATION",
  "DATABASE",
  "SCHEMA",
  "TABLE",
  "VIEW",
  "PROCEDURE",
  "FUNCTION",
  "STAGE",
  "TASK",
];

function acceptOneOf(c: TokenCursor, phrases: readonly string[]): string | null {
  for (const phrase of phrases) {
    if (c.acceptKeywords(...phrase.split(" "))) return phrase;
  }
  return null;
}

/** A data type as written: `VARIANT`, `NUMBER(38, 0)`, `TIMESTAMP_NTZ(9)`, upper-cased. */
function dataType(c: TokenCursor): string {
  const words = [c.identifier("a data type")];
  if (c.isKeywords("VARYING") || c.isKeywords("PRECISION")) words.push(c.identifier());
  let text = words.join(" ");
  if (c.acceptPunct("(")) {
    const start = c.position;
    c.skipBalanced();
    text += "(" + c.sliceFrom(start).replace(/\s+/g, "") + ")";
    c.expectPunct(")");
  }
  return text;
}

function signature(c: TokenCursor): string[] {
  c.expectPunct("(");
  const types: string[] = [];
  if (!c.isPunct(")")) {
    do {
      types.push(dataType(c));
    } while (c.acceptPunct(","));
  }
  c.expectPunct(")");
  return types;
}

function grantTarget(c: TokenCursor): GrantTarget {
  if (c.acceptKeywords("APPLICATION", "ROLE")) return { kind: "APPLICATION ROLE", name: c.name("an application role") };
  if (c.acceptKeywords("APPLICATION")) return { kind: "APPLICATION", name: c.name("an application") };
  if (c.acceptKeywords("ROLE")) return { kind: "ROLE", name: c.name("a role") };
  if (c.acceptKeywords("USER")) return { kind: "USER", name: c.name("a user") };
  return c.fail("expected APPLICATION ROLE, APPLICATION, ROLE or USER");
}

function privilegeList(c: TokenCursor): string[] {
  const privileges: string[] = [];
  do {
    const words: string[] = [];
    while (c.peek().kind === "word" && !c.isKeywords("ON") && !c.isKeywords("TO")) {
      words.push(c.next().value.toUpperCase());
    }
    if (words.length === 0) c.fail("expected a privilege");
    privileges.push(words.join(" "));
  } while (c.acceptPunct(","));
  return privileges;
}

function grantOrRevoke(c: TokenCursor, kind: "grant" | "revoke"): CatalogStatement {
  if (c.acceptKeywords("APPLICATION", "ROLE")) {
    const role = c.name("an application role");
    if (kind === "grant") c.expectKeywords("TO");
    else c.expectKeywords("FROM");
    const to = grantTarget(c);
    c.expectEnd();
    return { kind: kind === "grant" ? "grant_application_role" : "revoke_application_role", role, to };
  }
  const privileges = privilegeList(c);
  c.expectKeywords("ON");
  let on: GrantObject;
  if (c.acceptKeywords("ACCOUNT")) {
    on = { kind: "ACCOUNT" };
  } else {
    const type = acceptOneOf(c, GRANT_OBJECT_TYPES);
    if (type === null) return c.fail("expected an object type after ON");
    const name = c.name();
    on = type === "PROCEDURE" || type === "FUNCTION" ? { kind: type, name, signature: signature(c) } : { kind: type, name };
  }
  if (kind === "grant") c.expectKeywords("TO");
  else c.expectKeywords("FROM");
  const to = grantTarget(c);
  if (kind === "grant" && c.acceptKeywords("WITH")) c.expectKeywords("GRANT", "OPTION");
  c.expectEnd();
  return { kind, privileges, on, to };
}

function procedureArgs(c: TokenCursor): ProcedureArgument[] {
  c.expectPunct("(");
  const args: ProcedureArgument[] = [];
  if (!c.isPunct(")")) {
    do {
      const name = c.identifier("an argument name");
      args.push({ name, type: dataType(c) });
    } while (c.acceptPunct(","));
  }
  c.expectPunct(")");
  return args;
}

function createProcedure(c: TokenCursor, orReplace: boolean, ifNotExists: boolean): CatalogStatement {
  const name = c.name("a procedure name");
  const args = procedureArgs(c);
  c.expectKeywords("RETURNS");
  let returns = dataType(c);
  if (c.acceptKeywords("NOT", "NULL")) returns += " NOT NULL";
  let language = "SQL";
  let executeAs: "OWNER" | "CALLER" | "RESTRICTED CALLER" = "OWNER";
  let comment: string | undefined;
  const languageOptions: string[] = [];
  const seen = new Set<string>();
  const once = (clause: string) => {
    if (seen.has(clause)) c.fail(`${clause} given twice`);
    seen.add(clause);
  };
  for (;;) {
    if (c.acceptKeywords("LANGUAGE")) {
      once("LANGUAGE");
      language = c.identifier("a language").toUpperCase();
    } else if (c.acceptKeywords("EXECUTE", "AS")) {
      once("EXECUTE AS");
      if (c.acceptKeywords("OWNER")) executeAs = "OWNER";
      else if (c.acceptKeywords("CALLER")) executeAs = "CALLER";
      else if (c.acceptKeywords("RESTRICTED", "CALLER")) executeAs = "RESTRICTED CALLER";
      else c.fail("expected OWNER, CALLER or RESTRICTED CALLER");
    } else if (c.acceptKeywords("COMMENT")) {
      once("COMMENT");
      c.expectPunct("=");
      comment = c.string();
    } else if (c.acceptKeywords("CALLED", "ON", "NULL", "INPUT") || c.acceptKeywords("STRICT")) {
      once("NULL INPUT");
    } else if (c.acceptKeywords("VOLATILE") || c.acceptKeywords("IMMUTABLE")) {
      once("VOLATILITY");
    } else if (c.peek().kind === "word" && c.peek(1).kind === "punct" && c.peek(1).value === "=") {
      // RUNTIME_VERSION, HANDLER, PACKAGES, IMPORTS, ...: the options of other languages.
      const key = c.identifier();
      once(key);
      c.expectPunct("=");
      const value = c.next();
      if (value.kind === "punct" && value.value === "(") {
        c.skipBalanced();
        c.expectPunct(")");
      }
      languageOptions.push(key);
    } else {
      break;
    }
  }
  c.expectKeywords("AS");
  const bodyToken: Token = c.next();
  if (bodyToken.kind !== "dollar" && bodyToken.kind !== "string") c.fail("expected the procedure body as $$...$$ or a string literal");
  c.expectEnd();
  const bodyOffset = bodyToken.kind === "dollar" ? bodyToken.start + 2 : bodyToken.start + 1;
  return {
    kind: "create_procedure",
    name,
    orReplace,
    ifNotExists,
    args,
    returns,
    language,
    executeAs,
    ...(comment === undefined ? {} : { comment }),
    options: languageOptions,
    body: bodyToken.value,
    bodyOffset,
  };
}

/** `KEY = value` options until the keyword `stop` (or the end). */
function options(c: TokenCursor, stop?: string): Record<string, string> {
  const result: Record<string, string> = {};
  while (!c.atEnd() && !(stop !== undefined && c.isKeywords(stop))) {
    const key = c.identifier("an option name");
    c.expectPunct("=");
    const t = c.next();
    if (t.kind === "eof") c.fail("expected an option value");
    if (t.kind === "punct" && t.value === "(") {
      const start = c.position;
      c.skipBalanced();
      result[key] = "(" + c.sliceFrom(start) + ")";
      c.expectPunct(")");
    } else {
      result[key] = t.kind === "word" ? t.value.toUpperCase() : t.value;
    }
  }
  return result;
}

/** A stage location: `@DB.SCHEMA.STAGE/path/file.sql` or `'@stage/path'`, as written. */
function stageLocation(c: TokenCursor): string {
  if (c.peek().kind === "string") return c.string();
  const first = c.peek();
  if (!(first.kind === "punct" && first.value === "@")) c.fail("expected a stage location starting with @");
  // The location runs to the next whitespace: read the raw text.
  const start = first.start;
  let end = start + 1;
  while (end < c.text.length && !/\s/.test(c.text[end])) end++;
  while (!c.atEnd() && c.peek().start < end) c.next();
  return c.text.slice(start, end);
}

function createStatement(c: TokenCursor): CatalogStatement | null {
  c.expectKeywords("CREATE");
  const orReplace = c.acceptKeywords("OR", "REPLACE");
  if (!orReplace && c.acceptKeywords("OR", "ALTER", "VERSIONED", "SCHEMA")) {
    const name = c.name("a schema name");
    c.expectEnd();
    return { kind: "create_schema", name, orReplace: false, ifNotExists: false, orAlterVersioned: true };
  }
  const ifNotExistsAfter = () => c.acceptKeywords("IF", "NOT", "EXISTS");
  if (c.acceptKeywords("APPLICATION", "ROLE")) {
    const ifNotExists = ifNotExistsAfter();
    const name = c.name("an application role name");
    c.expectEnd();
    return { kind: "create_application_role", name, orReplace, ifNotExists };
  }
  if (c.acceptKeywords("ROLE")) {
    const ifNotExists = ifNotExistsAfter();
    const name = c.name("a role name");
    return { kind: "create_role", name, orReplace, ifNotExists, options: options(c) };
  }
  if (c.acceptKeywords("APPLICATION", "PACKAGE")) {
    const ifNotExists = ifNotExistsAfter();
    const name = c.name("an application package name");
    return { kind: "create_application_package", name, orReplace, ifNotExists, options: options(c) };
  }
  if (c.acceptKeywords("APPLICATION")) {
    const ifNotExists = ifNotExistsAfter();
    const name = c.name("an application name");
    c.expectKeywords("FROM", "APPLICATION", "PACKAGE");
    const fromPackage = c.name("an application package name");
    let version: string | undefined;
    let patch: number | undefined;
    if (c.acceptKeywords("USING", "VERSION")) {
      version = c.identifier("a version");
      if (c.acceptKeywords("PATCH")) patch = Number(c.next().value);
    }
    c.expectEnd();
    if (orReplace) c.fail("CREATE OR REPLACE APPLICATION is not allowed");
    return {
      kind: "create_application",
      name,
      ifNotExists,
      fromPackage,
      ...(version === undefined ? {} : { version }),
      ...(patch === undefined ? {} : { patch }),
    };
  }
  if (c.acceptKeywords("DATABASE")) {
    const ifNotExists = ifNotExistsAfter();
    const name = c.name("a database name");
    c.expectEnd();
    return { kind: "create_database", name, orReplace, ifNotExists };
  }
  if (c.acceptKeywords("SCHEMA")) {
    const ifNotExists = ifNotExistsAfter();
    const name = c.name("a schema name");
    c.expectEnd();
    return { kind: "create_schema", name, orReplace, ifNotExists, orAlterVersioned: false };
  }
  if (c.acceptKeywords("STAGE")) {
    const ifNotExists = ifNotExistsAfter();
    const name = c.name("a stage name");
    return { kind: "create_stage", name, orReplace, ifNotExists, options: options(c) };
  }
  if (c.acceptKeywords("SECURE", "PROCEDURE") || c.acceptKeywords("PROCEDURE")) {
    return createProcedure(c, orReplace, ifNotExistsAfter());
  }
  if (c.acceptKeywords("TASK")) {
    const ifNotExists = ifNotExistsAfter();
    const name = c.name("a task name");
    const opts = options(c, "AS");
    c.expectKeywords("AS");
    const start = c.peek().start;
    const body = c.text.slice(start).trim();
    while (!c.atEnd()) c.next();
    if (body.length === 0) c.fail("expected the task's statement after AS");
    return { kind: "create_task", name, orReplace, ifNotExists, options: opts, body };
  }
  return null;
}

function alterStatement(c: TokenCursor): CatalogStatement | null {
  c.expectKeywords("ALTER");
  if (c.acceptKeywords("APPLICATION", "PACKAGE")) {
    const name = c.name("an application package name");
    if (c.acceptKeywords("ADD", "VERSION")) {
      const version = c.identifier("a version");
      c.expectKeywords("USING");
      const using = c.string("a stage location");
      let label: string | undefined;
      if (c.acceptKeywords("LABEL")) {
        c.expectPunct("=");
        label = c.string();
      }
      c.expectEnd();
      return { kind: "alter_application_package", name, action: "add_version", version, using, ...(label === undefined ? {} : { label }) };
    }
    if (c.acceptKeywords("ADD", "PATCH", "FOR", "VERSION")) {
      const version = c.identifier("a version");
      c.expectKeywords("USING");
      const using = c.string("a stage location");
      c.expectEnd();
      return { kind: "alter_application_package", name, action: "add_patch", version, using };
    }
    if (c.acceptKeywords("DROP", "VERSION")) {
      const version = c.identifier("a version");
      c.expectEnd();
      return { kind: "alter_application_package", name, action: "drop_version", version };
    }
    if (c.acceptKeywords("SET")) {
      return { kind: "alter_application_package", name, action: "set", version: "", options: options(c) };
    }
    return c.fail("expected ADD VERSION, ADD PATCH FOR VERSION, DROP VERSION or SET");
  }
  if (c.acceptKeywords("APPLICATION")) {
    const name = c.name("an application name");
    c.expectKeywords("UPGRADE");
    let version: string | undefined;
    let patch: number | undefined;
    if (c.acceptKeywords("USING", "VERSION")) {
      version = c.identifier("a version");
      if (c.acceptKeywords("PATCH")) patch = Number(c.next().value);
    }
    c.expectEnd();
    return { kind: "alter_application_upgrade", name, ...(version === undefined ? {} : { version }), ...(patch === undefined ? {} : { patch }) };
  }
  if (c.acceptKeywords("TASK")) {
    c.acceptKeywords("IF", "EXISTS");
    const name = c.name("a task name");
    const action = c.acceptKeywords("RESUME") ? "RESUME" : c.acceptKeywords("SUSPEND") ? "SUSPEND" : c.fail("expected RESUME or SUSPEND");
    c.expectEnd();
    return { kind: "alter_task", name, action };
  }
  return null;
}

function callArgs(c: TokenCursor): string[] {
  c.expectPunct("(");
  const args: string[] = [];
  if (c.acceptPunct(")")) return args;
  let start = c.position;
  let depth = 0;
  for (;;) {
    const t = c.peek();
    if (t.kind === "eof") c.fail("unbalanced parentheses in CALL");
    if (t.kind === "punct" && (t.value === "(" || t.value === "[")) depth++;
    if (t.kind === "punct" && (t.value === ")" || t.value === "]")) {
      if (depth === 0) {
        args.push(c.sliceFrom(start));
        c.next();
        return args;
      }
      depth--;
    }
    if (depth === 0 && t.kind === "punct" && t.value === ",") {
      args.push(c.sliceFrom(start));
      c.next();
      start = c.position;
      continue;
    }
    c.next();
  }
}

/**
 * Reads one statement. Returns null when the statement is not a catalog statement (the caller
 * hands it to a table engine or an SQL parser); throws SqlReadError when it is one but malformed.
 */
export function readStatement(text: string, tokens: readonly Token[] = tokenize(text)): CatalogStatement | null {
  const c = new TokenCursor(text, tokens);
  if (c.isKeywords("CREATE")) {
    const start = c.position;
    const result = createStatement(c);
    if (result === null) c.position = start;
    return result;
  }
  if (c.isKeywords("ALTER")) return alterStatement(c);
  if (c.acceptKeywords("GRANT")) return grantOrRevoke(c, "grant");
  if (c.acceptKeywords("REVOKE")) return grantOrRevoke(c, "revoke");
  if (c.acceptKeywords("EXECUTE", "IMMEDIATE", "FROM")) {
    const path = c.string("a file path");
    c.expectEnd();
    return { kind: "execute_immediate_from", path };
  }
  if (c.acceptKeywords("CALL")) {
    const name = c.name("a procedure name");
    const args = callArgs(c);
    c.expectEnd();
    return { kind: "call", name, args };
  }
  if (c.acceptKeywords("PUT")) {
    // The lexer reads an unquoted file:///path as one word.
    const localPath = c.next().value;
    if (!/^file:\/\//i.test(localPath)) c.fail("expected file://<path> after PUT");
    const stage = stageLocation(c);
    return { kind: "put", localPath: localPath.replace(/^file:\/\//i, ""), stage, options: options(c) };
  }
  if (c.acceptKeywords("LIST") || c.acceptKeywords("LS")) {
    const stage = stageLocation(c);
    c.expectEnd();
    return { kind: "list", stage };
  }
  if (c.acceptKeywords("REMOVE") || c.acceptKeywords("RM")) {
    const stage = stageLocation(c);
    c.expectEnd();
    return { kind: "remove", stage };
  }
  if (c.acceptKeywords("USE")) {
    const object = (acceptOneOf(c, ["DATABASE", "SCHEMA", "ROLE", "WAREHOUSE"]) ?? "SCHEMA") as "DATABASE" | "SCHEMA" | "ROLE" | "WAREHOUSE";
    const name = c.name();
    c.expectEnd();
    return { kind: "use", object, name };
  }
  if (c.isKeywords("DROP")) {
    const start = c.position;
    c.next();
    const object = acceptOneOf(c, DROP_OBJECT_TYPES);
    if (object === null) {
      c.position = start;
      return null;
    }
    const ifExists = c.acceptKeywords("IF", "EXISTS");
    const name = c.name();
    const sig = object === "PROCEDURE" || object === "FUNCTION" ? signature(c) : undefined;
    c.acceptKeywords("CASCADE") || c.acceptKeywords("RESTRICT");
    c.expectEnd();
    if (object === "TABLE" || object === "VIEW") {
      c.position = start;
      return null;
    }
    return { kind: "drop", object, name, ifExists, ...(sig === undefined ? {} : { signature: sig }) };
  }
  if (c.acceptKeywords("SHOW")) {
    const words: string[] = [];
    while (c.peek().kind === "word" && !c.isKeywords("LIKE") && !c.isKeywords("IN") && !c.isKeywords("TO") && !c.isKeywords("OF")) {
      words.push(c.next().value.toUpperCase());
    }
    if (words.length === 0) c.fail("expected what to SHOW");
    let like: string | undefined;
    if (c.acceptKeywords("LIKE")) like = c.string();
    let inClause: { object: string; name: Name; preposition: "IN" | "TO" | "OF" } | undefined;
    const preposition = c.acceptKeywords("IN") ? "IN" : c.acceptKeywords("TO") ? "TO" : c.acceptKeywords("OF") ? "OF" : undefined;
    if (preposition !== undefined) {
      const object =
        acceptOneOf(c, ["APPLICATION PACKAGE", "APPLICATION ROLE", "APPLICATION", "DATABASE", "SCHEMA", "ROLE", "ACCOUNT"]) ??
        c.fail("expected an object type");
      inClause = { object, name: object === "ACCOUNT" ? [] : c.name(), preposition };
    }
    c.expectEnd();
    return { kind: "show", what: words.join(" "), ...(like === undefined ? {} : { like }), ...(inClause === undefined ? {} : { in: inClause }) };
  }
  return null;
}

/** Reads every statement of a script; each entry keeps its text and offset. */
export function readScript(script: string): { text: string; start: number; statement: CatalogStatement | null }[] {
  return splitStatements(script).map((s) => ({ text: s.text, start: s.start, statement: readStatement(s.text, s.tokens) }));
}

/** The canonical text of a name: parts joined with dots, quoted where needed. */
export const nameText: (name: Name) => string = quoteName;
