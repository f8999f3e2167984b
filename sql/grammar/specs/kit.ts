/**
 * What the statement forms are written with: the form spec, the clause snippets several forms
 * share (in the reference pages' notation, see ../notation.ts), and the helpers the forms'
 * builders use to turn a match into a CatalogStatement.
 */
import { parseScriptingBlock, ScriptingSyntaxError } from "../../scripting";
import type { CatalogStatement, ExecuteAs, GrantObject, GrantTarget, Name } from "../../statements";
import type { Captures } from "../match";
import { SqlReadError } from "../../../errors";
import { positionAt, type Token } from "../../lexer";
import type { BodyValue } from "../slots";

/** A message with the line and column of an offset in the statement. */
export function located(text: string, offset: number, message: string): string {
  const pos = positionAt(text, offset);
  return `${message} at line ${pos.line}, column ${pos.column}`;
}

export const DOCS = "https://docs.snowflake.com/en/sql-reference/sql/";

export interface FormSpec {
  /** Short name, e.g. `CREATE PROCEDURE (JavaScript)`. */
  readonly title: string;
  readonly syntax: string;
  readonly url: string;
  /** Returns the statement, or null for table DDL the table engine reads. */
  readonly build: (m: Captures, ctx: BuildContext) => CatalogStatement | null;
}

export interface BuildContext {
  readonly text: string;
  readonly tokens: readonly Token[];
  fail(message: string): never;
}

// --- clause snippets shared by several forms ------------------------------------------------

export const IF_NOT_EXISTS = "[ IF NOT EXISTS ]#ifNotExists";
export const COMMENT = "[ COMMENT = '<string_literal>'#comment ]";
export const SIGNATURE = "( [ <arg_data_type> ] [ , ... ] )";
export const PROCEDURE_HEAD =
  "CREATE [ OR REPLACE ]#orReplace [ { TEMP | TEMPORARY } ]#temporary [ SECURE ]#secure PROCEDURE ! <name> " +
  "( [ <arg_name> <arg_data_type> [ DEFAULT <default_value> ]#argDefault ] [ , ... ] ) [ COPY GRANTS ]#copyGrants " +
  "RETURNS <result_data_type> [ NOT NULL ]#notNull";
export const PROCEDURE_TAIL =
  "[ { CALLED ON NULL INPUT | { RETURNS NULL ON NULL INPUT | STRICT } } ]#nullInput [ { VOLATILE | IMMUTABLE } ]#volatility " +
  COMMENT +
  " [ EXECUTE AS { OWNER | CALLER | RESTRICTED CALLER }#executeAs ]";
export const HANDLER_OPTIONS =
  "RUNTIME_VERSION = '<runtime_version>' PACKAGES = ( [ '<package>' ] [ , ... ] ) " +
  "[ IMPORTS = ( [ '<import>' ] [ , ... ] ) ]#IMPORTS HANDLER = '<handler>' " +
  "[ EXTERNAL_ACCESS_INTEGRATIONS = ( <integration_name> [ , ... ] ) ]#EXTERNAL_ACCESS_INTEGRATIONS " +
  "[ SECRETS = ( { '<secret_variable_name>' = <secret_name> } [ , ... ] ) ]#SECRETS";
export const ROUTINE = "{ PROCEDURE | FUNCTION }#routine <procedure_name> " + SIGNATURE;
export const ON_SCHEMA_OBJECT = `{ SCHEMA <schema_name> | ${ROUTINE} | <object_type> <object_name> }`;
export const ON_ANY = `{ ACCOUNT#account | SCHEMA <schema_name> | ${ROUTINE} | <object_type> <object_name> }`;
export const GRANTEE_OF_APPLICATION_ROLE =
  "{ ROLE <parent_role_name> | APPLICATION ROLE <application_role> | APPLICATION <application_name> | USER <user_name> }";
export const SHOW_IN =
  "[ IN { ACCOUNT#inAccount | DATABASE#inDatabase [ <database_name> ] | SCHEMA#inSchema [ <schema_name> ] | " +
  "APPLICATION PACKAGE#inPackage <application_package_name> | APPLICATION#inApplication <application_name> } ]";
export const SHOW_LIMIT = "[ STARTS WITH '<name_string>'#startsWith ] [ LIMIT <rows>#limit [ FROM '<name_string>'#from ] ]";

// --- builders' helpers ----------------------------------------------------------------------

export function extrasOf(m: Captures, clauses: Readonly<Record<string, string>>): string[] {
  return Object.entries(clauses)
    .filter(([label]) => m.has(label))
    .map(([, clause]) => clause);
}

export function withExtras<T extends CatalogStatement>(statement: T, extras: readonly string[]): T {
  return extras.length === 0 ? statement : { ...statement, extras };
}

export function name(m: Captures, label = "name"): Name {
  return m.one<string[]>(label)!;
}

export function exclusive(m: Captures, ctx: BuildContext): void {
  if (m.has("orReplace") && m.has("ifNotExists")) ctx.fail("OR REPLACE and IF NOT EXISTS cannot be used together");
}

/** The head every `CREATE [ OR REPLACE ] ... [ IF NOT EXISTS ] <name>` form shares; the two clauses exclude each other. */
export function createHead(m: Captures, ctx: BuildContext): { name: Name; orReplace: boolean; ifNotExists: boolean } {
  exclusive(m, ctx);
  return { name: name(m), orReplace: m.has("orReplace"), ifNotExists: m.has("ifNotExists") };
}

/** Table DDL: checked against its form here, read by the table engine (null). */
export function readByTableEngine(m: Captures, ctx: BuildContext): null {
  exclusive(m, ctx);
  return null;
}

/** `KEY = value` options that were given, as the sandbox's option checks expect them. */
export function options(m: Captures, keys: Readonly<Record<string, string>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [label, key] of Object.entries(keys)) {
    if (!m.has(label)) continue;
    const value = m.one(label);
    result[key] = Array.isArray(value) ? value.join(".") : String(value);
  }
  return result;
}

export function grantObject(m: Captures): GrantObject {
  if (m.has("account")) return { kind: "ACCOUNT" };
  if (m.has("schema_name")) return { kind: "SCHEMA", name: name(m, "schema_name") };
  if (m.has("routine")) return { kind: m.one<string>("routine")!, name: name(m, "procedure_name"), signature: m.all<string>("arg_data_type") };
  return { kind: m.one<string>("object_type")!, name: name(m, "object_name") };
}

/** GRANT / REVOKE APPLICATION ROLE: an application role to (from) a role, application role, application or user. */
export function applicationRoleForm(verb: "GRANT" | "REVOKE"): FormSpec {
  return {
    title: `${verb} APPLICATION ROLE`,
    url: DOCS + `${verb.toLowerCase()}-application-role`,
    syntax: `${verb} APPLICATION ROLE ! <name> ${verb === "GRANT" ? "TO" : "FROM"} ${GRANTEE_OF_APPLICATION_ROLE}`,
    build: (m) => ({ kind: verb === "GRANT" ? "grant_application_role" : "revoke_application_role", role: name(m), to: applicationRoleGrantee(m) }),
  };
}

/**
 * The builder of a GRANT or REVOKE of privileges: the privileges, what they are on, and the
 * grantee (`<name>`, or `<role_name>` for an account role); `extras` names the clauses read but
 * not represented.
 */
export function privilegeGrant(kind: "grant" | "revoke", to: "APPLICATION ROLE" | "APPLICATION" | "ROLE", extras: Readonly<Record<string, string>> = {}) {
  return (m: Captures): CatalogStatement =>
    withExtras({ kind, privileges: m.all<string>("privilege"), on: grantObject(m), to: { kind: to, name: name(m, to === "ROLE" ? "role_name" : "name") } }, extrasOf(m, extras));
}

export function applicationRoleGrantee(m: Captures): GrantTarget {
  if (m.has("parent_role_name")) return { kind: "ROLE", name: name(m, "parent_role_name") };
  if (m.has("application_role")) return { kind: "APPLICATION ROLE", name: name(m, "application_role") };
  if (m.has("application_name")) return { kind: "APPLICATION", name: name(m, "application_name") };
  return { kind: "USER", name: name(m, "user_name") };
}

export function showIn(m: Captures, extras: string[]): { object: string; name: Name; preposition: "IN" } | undefined {
  if (m.has("inApplication")) return { object: "APPLICATION", name: name(m, "application_name"), preposition: "IN" };
  if (m.has("inPackage")) return { object: "APPLICATION PACKAGE", name: name(m, "application_package_name"), preposition: "IN" };
  if (m.has("inSchema")) {
    if (m.has("schema_name")) return { object: "SCHEMA", name: name(m, "schema_name"), preposition: "IN" };
    extras.push("IN SCHEMA without a name");
  }
  if (m.has("inDatabase")) {
    if (m.has("database_name")) return { object: "DATABASE", name: name(m, "database_name"), preposition: "IN" };
    extras.push("IN DATABASE without a name");
  }
  if (m.has("inAccount")) extras.push("IN ACCOUNT");
  return undefined;
}

export const SHOW_EXTRAS = { startsWith: "STARTS WITH", limit: "LIMIT", terse: "TERSE", history: "HISTORY", rootOnly: "ROOT ONLY" };

export function show(what: string) {
  return (m: Captures): CatalogStatement => {
    const extras = extrasOf(m, SHOW_EXTRAS);
    const inClause = showIn(m, extras);
    const like = m.one<string>("like");
    return withExtras({ kind: "show", what, ...(like === undefined ? {} : { like }), ...(inClause === undefined ? {} : { in: inClause }) }, extras);
  };
}

/** A SHOW form whose statement is `SHOW <what>`, on its reference page. */
export function showForm(what: string, page: string, syntax: string): FormSpec {
  return { title: `SHOW ${what}`, url: DOCS + page, syntax, build: show(what) };
}

export function drop(object: string, extraClauses: Readonly<Record<string, string>> = {}) {
  return (m: Captures): CatalogStatement =>
    withExtras(
      {
        kind: "drop",
        object,
        name: name(m, object === "PROCEDURE" ? "procedure_name" : "name"),
        ifExists: m.has("ifExists"),
        ...(object === "PROCEDURE" ? { signature: m.all<string>("arg_data_type") } : {}),
      },
      extrasOf(m, extraClauses),
    );
}

export function procedure(language: string | undefined) {
  return (m: Captures, ctx: BuildContext): CatalogStatement => {
    const body = m.one<BodyValue>("procedure_definition");
    const lang = language ?? m.one<string>("language")!;
    if (body !== undefined && !body.delimited) {
      try {
        parseScriptingBlock(body.body);
      } catch (e) {
        if (e instanceof ScriptingSyntaxError) throw new SqlReadError(located(ctx.text, body.offset + e.offset, e.reason), body.offset + e.offset);
        throw e;
      }
    }
    const names = m.all<string>("arg_name");
    const types = m.all<string>("arg_data_type");
    const comment = m.one<string>("comment");
    // RUNTIME_VERSION, PACKAGES and HANDLER are required by the handler languages' forms.
    const handlerOptions =
      language === undefined
        ? ["RUNTIME_VERSION", "PACKAGES", "IMPORTS", "HANDLER", "EXTERNAL_ACCESS_INTEGRATIONS", "SECRETS", "TARGET_PATH"].filter(
            (o) => ["RUNTIME_VERSION", "PACKAGES", "HANDLER"].includes(o) || m.has(o),
          )
        : [];
    return withExtras(
      {
        kind: "create_procedure",
        name: name(m),
        orReplace: m.has("orReplace"),
        ifNotExists: false,
        args: names.map((n, i) => ({ name: n, type: types[i] })),
        returns: m.one<string>("result_data_type")! + (m.has("notNull") ? " NOT NULL" : ""),
        language: lang,
        executeAs: (m.one<ExecuteAs>("executeAs") ?? "OWNER") as ExecuteAs,
        ...(comment === undefined ? {} : { comment }),
        options: handlerOptions,
        body: body?.body ?? "",
        bodyOffset: body?.offset ?? ctx.text.length,
        delimited: body?.delimited ?? true,
      },
      extrasOf(m, {
        temporary: "TEMPORARY",
        secure: "SECURE",
        argDefault: "argument DEFAULT values",
        copyGrants: "COPY GRANTS",
        nullInput: "null-input behaviour (CALLED ON NULL INPUT / STRICT)",
        volatility: "VOLATILE / IMMUTABLE",
      }),
    );
  };
}

export const SCHEMA_EXTRAS = {
  managed: "WITH MANAGED ACCESS",
  retention: "DATA_RETENTION_TIME_IN_DAYS",
  extension: "MAX_DATA_EXTENSION_TIME_IN_DAYS",
  collation: "DEFAULT_DDL_COLLATION",
  comment: "COMMENT",
};
