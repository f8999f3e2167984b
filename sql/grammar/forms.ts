/**
 * The statement forms floe renders or the sandbox runs, each written in the notation of its
 * Snowflake reference page (see notation.ts), with the page it follows and the builder that
 * turns a match into a CatalogStatement.
 *
 * A form lists Snowflake's clauses in Snowflake's order. Where the reference page has more
 * clauses than floe reads, the form is the documented form narrowed to those clauses; a
 * documented clause floe reads but does not represent goes to `extras`, and the sandbox
 * refuses it. docs/sandbox.md lists every form with its page (a test keeps the two in step).
 */
import { SqlReadError } from "../../errors";
import { positionAt, type Token } from "../lexer";
import { parseScriptingBlock, ScriptingSyntaxError } from "../scripting";
import type { CatalogStatement, ExecuteAs, GrantObject, GrantTarget, Name } from "../statements";
import { Captures, checkSlots, matchForm, type MatchFailure } from "./match";
import { clauseKeywords, displayNotation, parseNotation, type GrammarNode } from "./notation";
import type { BodyValue, RestValue } from "./slots";

const DOCS = "https://docs.snowflake.com/en/sql-reference/sql/";

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

export interface Form extends FormSpec {
  readonly tree: GrammarNode;
  /** The syntax as documented: labels and commit marks stripped. */
  readonly display: string;
  readonly clauses: ReadonlySet<string>;
  readonly leads: readonly string[];
}

// --- clause snippets shared by several forms ------------------------------------------------

const IF_NOT_EXISTS = "[ IF NOT EXISTS ]#ifNotExists";
const COMMENT = "[ COMMENT = '<string_literal>'#comment ]";
const SIGNATURE = "( [ <arg_data_type> ] [ , ... ] )";
const PROCEDURE_HEAD =
  "CREATE [ OR REPLACE ]#orReplace [ { TEMP | TEMPORARY } ]#temporary [ SECURE ]#secure PROCEDURE ! <name> " +
  "( [ <arg_name> <arg_data_type> [ DEFAULT <default_value> ]#argDefault ] [ , ... ] ) [ COPY GRANTS ]#copyGrants " +
  "RETURNS <result_data_type> [ NOT NULL ]#notNull";
const PROCEDURE_TAIL =
  "[ { CALLED ON NULL INPUT | { RETURNS NULL ON NULL INPUT | STRICT } } ]#nullInput [ { VOLATILE | IMMUTABLE } ]#volatility " +
  COMMENT +
  " [ EXECUTE AS { OWNER | CALLER | RESTRICTED CALLER }#executeAs ]";
const HANDLER_OPTIONS =
  "RUNTIME_VERSION = '<runtime_version>' PACKAGES = ( [ '<package>' ] [ , ... ] ) " +
  "[ IMPORTS = ( [ '<import>' ] [ , ... ] ) ]#IMPORTS HANDLER = '<handler>' " +
  "[ EXTERNAL_ACCESS_INTEGRATIONS = ( <integration_name> [ , ... ] ) ]#EXTERNAL_ACCESS_INTEGRATIONS " +
  "[ SECRETS = ( { '<secret_variable_name>' = <secret_name> } [ , ... ] ) ]#SECRETS";
const ROUTINE = "{ PROCEDURE | FUNCTION }#routine <procedure_name> " + SIGNATURE;
const ON_SCHEMA_OBJECT = `{ SCHEMA <schema_name> | ${ROUTINE} | <object_type> <object_name> }`;
const ON_ANY = `{ ACCOUNT#account | SCHEMA <schema_name> | ${ROUTINE} | <object_type> <object_name> }`;
const GRANTEE_OF_APPLICATION_ROLE =
  "{ ROLE <parent_role_name> | APPLICATION ROLE <application_role> | APPLICATION <application_name> | USER <user_name> }";
const SHOW_IN =
  "[ IN { ACCOUNT#inAccount | DATABASE#inDatabase [ <database_name> ] | SCHEMA#inSchema [ <schema_name> ] | " +
  "APPLICATION PACKAGE#inPackage <application_package_name> | APPLICATION#inApplication <application_name> } ]";
const SHOW_LIMIT = "[ STARTS WITH '<name_string>'#startsWith ] [ LIMIT <rows>#limit [ FROM '<name_string>'#from ] ]";

// --- builders' helpers ----------------------------------------------------------------------

function extrasOf(m: Captures, clauses: Readonly<Record<string, string>>): string[] {
  return Object.entries(clauses)
    .filter(([label]) => m.has(label))
    .map(([, clause]) => clause);
}

function withExtras<T extends CatalogStatement>(statement: T, extras: readonly string[]): T {
  return extras.length === 0 ? statement : { ...statement, extras };
}

function name(m: Captures, label = "name"): Name {
  return m.one<string[]>(label)!;
}

function exclusive(m: Captures, ctx: BuildContext): void {
  if (m.has("orReplace") && m.has("ifNotExists")) ctx.fail("OR REPLACE and IF NOT EXISTS cannot be used together");
}

/** `KEY = value` options that were given, as the sandbox's option checks expect them. */
function options(m: Captures, keys: Readonly<Record<string, string>>): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [label, key] of Object.entries(keys)) {
    if (!m.has(label)) continue;
    const value = m.one(label);
    result[key] = Array.isArray(value) ? value.join(".") : String(value);
  }
  return result;
}

function grantObject(m: Captures): GrantObject {
  if (m.has("account")) return { kind: "ACCOUNT" };
  if (m.has("schema_name")) return { kind: "SCHEMA", name: name(m, "schema_name") };
  if (m.has("routine")) return { kind: m.one<string>("routine")!, name: name(m, "procedure_name"), signature: m.all<string>("arg_data_type") };
  return { kind: m.one<string>("object_type")!, name: name(m, "object_name") };
}

function applicationRoleGrantee(m: Captures): GrantTarget {
  if (m.has("parent_role_name")) return { kind: "ROLE", name: name(m, "parent_role_name") };
  if (m.has("application_role")) return { kind: "APPLICATION ROLE", name: name(m, "application_role") };
  if (m.has("application_name")) return { kind: "APPLICATION", name: name(m, "application_name") };
  return { kind: "USER", name: name(m, "user_name") };
}

function showIn(m: Captures, extras: string[]): { object: string; name: Name; preposition: "IN" } | undefined {
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

const SHOW_EXTRAS = { startsWith: "STARTS WITH", limit: "LIMIT", terse: "TERSE", history: "HISTORY", rootOnly: "ROOT ONLY" };

function show(what: string) {
  return (m: Captures): CatalogStatement => {
    const extras = extrasOf(m, SHOW_EXTRAS);
    const inClause = showIn(m, extras);
    const like = m.one<string>("like");
    return withExtras({ kind: "show", what, ...(like === undefined ? {} : { like }), ...(inClause === undefined ? {} : { in: inClause }) }, extras);
  };
}

function drop(object: string, extraClauses: Readonly<Record<string, string>> = {}) {
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

function procedure(language: string | undefined) {
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

// --- the forms ------------------------------------------------------------------------------

/** In declaration order; where two forms fail equally far, the earlier one's error is shown. */
const SPECS: readonly FormSpec[] = [
  // Procedures
  {
    title: "CREATE PROCEDURE (JavaScript)",
    url: DOCS + "create-procedure",
    syntax: `${PROCEDURE_HEAD} LANGUAGE JAVASCRIPT ${PROCEDURE_TAIL} AS '<procedure_definition>'`,
    build: procedure("JAVASCRIPT"),
  },
  {
    title: "CREATE PROCEDURE (Snowflake Scripting)",
    url: DOCS + "create-procedure",
    syntax: `${PROCEDURE_HEAD} LANGUAGE SQL ${PROCEDURE_TAIL} AS <procedure_definition>`,
    build: procedure("SQL"),
  },
  {
    title: "CREATE PROCEDURE (Java, Scala)",
    url: DOCS + "create-procedure",
    syntax: `${PROCEDURE_HEAD} LANGUAGE { JAVA | SCALA }#language ${HANDLER_OPTIONS} [ TARGET_PATH = '<stage_path>' ]#TARGET_PATH ${PROCEDURE_TAIL} [ AS '<procedure_definition>' ]`,
    build: procedure(undefined),
  },
  {
    title: "CREATE PROCEDURE (Python)",
    url: DOCS + "create-procedure",
    syntax: `${PROCEDURE_HEAD} LANGUAGE PYTHON#language ${HANDLER_OPTIONS} ${PROCEDURE_TAIL} [ AS '<procedure_definition>' ]`,
    build: procedure(undefined),
  },
  // Roles and schemas of an application
  {
    title: "CREATE APPLICATION ROLE",
    url: DOCS + "create-application-role",
    syntax: `CREATE [ OR REPLACE ]#orReplace APPLICATION ROLE ! ${IF_NOT_EXISTS} <name> ${COMMENT}`,
    build: (m, ctx) => {
      exclusive(m, ctx);
      return withExtras(
        { kind: "create_application_role", name: name(m), orReplace: m.has("orReplace"), ifNotExists: m.has("ifNotExists") },
        extrasOf(m, { orReplace: "OR REPLACE", comment: "COMMENT" }),
      );
    },
  },
  {
    title: "CREATE OR ALTER VERSIONED SCHEMA",
    url: DOCS + "create-versioned-schema",
    syntax:
      "CREATE OR ALTER VERSIONED SCHEMA ! <name> [ WITH MANAGED ACCESS ]#managed [ DATA_RETENTION_TIME_IN_DAYS = <integer>#retention ] " +
      "[ MAX_DATA_EXTENSION_TIME_IN_DAYS = <integer>#extension ] [ DEFAULT_DDL_COLLATION = '<collation_specification>'#collation ] " +
      COMMENT,
    build: (m) =>
      withExtras(
        { kind: "create_schema", name: name(m), orReplace: false, ifNotExists: false, orAlterVersioned: true },
        extrasOf(m, SCHEMA_EXTRAS),
      ),
  },
  {
    title: "CREATE SCHEMA",
    url: DOCS + "create-schema",
    syntax:
      `CREATE [ OR REPLACE ]#orReplace [ TRANSIENT ]#transient SCHEMA ! ${IF_NOT_EXISTS} <name> [ WITH MANAGED ACCESS ]#managed ` +
      "[ DATA_RETENTION_TIME_IN_DAYS = <integer>#retention ] [ MAX_DATA_EXTENSION_TIME_IN_DAYS = <integer>#extension ] " +
      `[ DEFAULT_DDL_COLLATION = '<collation_specification>'#collation ] ${COMMENT}`,
    build: (m, ctx) => {
      exclusive(m, ctx);
      return withExtras(
        { kind: "create_schema", name: name(m), orReplace: m.has("orReplace"), ifNotExists: m.has("ifNotExists"), orAlterVersioned: false },
        extrasOf(m, { transient: "TRANSIENT", ...SCHEMA_EXTRAS }),
      );
    },
  },
  // Tables and views: checked here, read by the table engine.
  {
    title: "CREATE TABLE",
    url: DOCS + "create-table",
    syntax:
      `CREATE [ OR REPLACE ]#orReplace [ TRANSIENT ] TABLE ! ${IF_NOT_EXISTS} <name> ( { <col_name> <col_type> ` +
      "[ COLLATE '<collation_specification>' ] [ COMMENT '<string_literal>' ] [ DEFAULT <expr> ] [ NOT NULL ] [ { UNIQUE | PRIMARY KEY } ] } [ , ... ] ) " +
      `[ DATA_RETENTION_TIME_IN_DAYS = <integer> ] [ COPY GRANTS ] ${COMMENT}`,
    build: (m, ctx) => {
      exclusive(m, ctx);
      return null;
    },
  },
  {
    title: "CREATE TABLE ... AS SELECT",
    url: DOCS + "create-table",
    syntax: `CREATE [ OR REPLACE ]#orReplace [ TRANSIENT ] TABLE ! ${IF_NOT_EXISTS} <name> [ COPY GRANTS ] AS <select_statement>`,
    build: (m, ctx) => {
      exclusive(m, ctx);
      return null;
    },
  },
  {
    title: "CREATE VIEW",
    url: DOCS + "create-view",
    syntax:
      `CREATE [ OR REPLACE ]#orReplace [ SECURE ] [ RECURSIVE ] VIEW ! ${IF_NOT_EXISTS} <name> ` +
      `[ ( { <col_name> [ COMMENT '<string_literal>' ] } [ , ... ] ) ] [ COPY GRANTS ] ${COMMENT} AS <select_statement>`,
    build: (m, ctx) => {
      exclusive(m, ctx);
      return null;
    },
  },
  {
    title: "CREATE TASK",
    url: DOCS + "create-task",
    syntax:
      `CREATE [ OR REPLACE ]#orReplace TASK ! ${IF_NOT_EXISTS} <name> ` +
      "[ { WAREHOUSE = <warehouse_name>#warehouse | USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE = '<string_literal>'#initialSize } ] " +
      "[ SCHEDULE = '<string_literal>'#schedule ] [ ALLOW_OVERLAPPING_EXECUTION = { TRUE | FALSE }#overlap ] " +
      "[ USER_TASK_TIMEOUT_MS = <integer>#timeout ] [ SUSPEND_TASK_AFTER_NUM_FAILURES = <integer>#suspendAfter ] " +
      `${COMMENT} [ AFTER <name>#after [ , ... ] ] [ WHEN <boolean_expr>#when ] AS <sql>`,
    build: (m, ctx) => {
      exclusive(m, ctx);
      const opts = options(m, {
        warehouse: "WAREHOUSE",
        initialSize: "USER_TASK_MANAGED_INITIAL_WAREHOUSE_SIZE",
        schedule: "SCHEDULE",
        overlap: "ALLOW_OVERLAPPING_EXECUTION",
        timeout: "USER_TASK_TIMEOUT_MS",
        suspendAfter: "SUSPEND_TASK_AFTER_NUM_FAILURES",
        comment: "COMMENT",
        when: "WHEN",
      });
      if (m.has("after")) opts.AFTER = m.all<string[]>("after").map((n) => n.join(".")).join(", ");
      return {
        kind: "create_task",
        name: name(m),
        orReplace: m.has("orReplace"),
        ifNotExists: m.has("ifNotExists"),
        options: opts,
        body: m.one<RestValue>("sql")!.text,
      };
    },
  },
  {
    title: "CREATE STAGE",
    url: DOCS + "create-stage",
    syntax:
      `CREATE [ OR REPLACE ]#orReplace [ { TEMP | TEMPORARY } ]#temporary STAGE ! ${IF_NOT_EXISTS} <name> ` +
      "[ ENCRYPTION = ( <options>#encryption ) ] [ DIRECTORY = ( <options>#directory ) ] [ FILE_FORMAT = ( <options>#fileFormat ) ] " +
      COMMENT,
    build: (m, ctx) => {
      exclusive(m, ctx);
      const opts = options(m, { encryption: "ENCRYPTION", directory: "DIRECTORY", fileFormat: "FILE_FORMAT", comment: "COMMENT" });
      for (const key of ["ENCRYPTION", "DIRECTORY", "FILE_FORMAT"]) if (key in opts) opts[key] = `(${opts[key]})`;
      return withExtras(
        { kind: "create_stage", name: name(m), orReplace: m.has("orReplace"), ifNotExists: m.has("ifNotExists"), options: opts },
        extrasOf(m, { temporary: "TEMPORARY" }),
      );
    },
  },
  {
    title: "CREATE DATABASE",
    url: DOCS + "create-database",
    syntax: `CREATE [ OR REPLACE ]#orReplace [ TRANSIENT ]#transient DATABASE ! ${IF_NOT_EXISTS} <name> ${COMMENT}`,
    build: (m, ctx) => {
      exclusive(m, ctx);
      return withExtras(
        { kind: "create_database", name: name(m), orReplace: m.has("orReplace"), ifNotExists: m.has("ifNotExists") },
        extrasOf(m, { transient: "TRANSIENT", comment: "COMMENT" }),
      );
    },
  },
  {
    title: "CREATE ROLE",
    url: DOCS + "create-role",
    syntax: `CREATE [ OR REPLACE ]#orReplace ROLE ! ${IF_NOT_EXISTS} <name> ${COMMENT}`,
    build: (m, ctx) => {
      exclusive(m, ctx);
      return { kind: "create_role", name: name(m), orReplace: m.has("orReplace"), ifNotExists: m.has("ifNotExists"), options: options(m, { comment: "COMMENT" }) };
    },
  },
  // Application packages and applications
  {
    title: "CREATE APPLICATION PACKAGE",
    url: DOCS + "create-application-package",
    syntax:
      `CREATE APPLICATION PACKAGE ! ${IF_NOT_EXISTS} <name> [ DATA_RETENTION_TIME_IN_DAYS = <integer>#retention ] ` +
      "[ MAX_DATA_EXTENSION_TIME_IN_DAYS = <integer>#extension ] [ DEFAULT_DDL_COLLATION = '<collation_specification>'#collation ] " +
      `${COMMENT} [ DISTRIBUTION = { INTERNAL | EXTERNAL }#distribution ]`,
    build: (m) => ({
      kind: "create_application_package",
      name: name(m),
      orReplace: false,
      ifNotExists: m.has("ifNotExists"),
      options: options(m, {
        retention: "DATA_RETENTION_TIME_IN_DAYS",
        extension: "MAX_DATA_EXTENSION_TIME_IN_DAYS",
        collation: "DEFAULT_DDL_COLLATION",
        comment: "COMMENT",
        distribution: "DISTRIBUTION",
      }),
    }),
  },
  {
    title: "CREATE APPLICATION",
    url: DOCS + "create-application",
    syntax:
      "CREATE APPLICATION ! <name> FROM APPLICATION PACKAGE <package_name> " +
      "[ USING { VERSION <version_identifier> [ PATCH <patch_num> ] | <path_to_version_directory>#stagePath } ] " +
      `[ DEBUG_MODE = { TRUE | FALSE }#debugMode ] ${COMMENT}`,
    build: (m) => {
      const version = m.one<string>("version_identifier");
      const patch = m.one<number>("patch_num");
      return withExtras(
        {
          kind: "create_application",
          name: name(m),
          ifNotExists: false,
          fromPackage: name(m, "package_name"),
          ...(version === undefined ? {} : { version }),
          ...(patch === undefined ? {} : { patch }),
        },
        extrasOf(m, { stagePath: "USING a stage path (development mode)", debugMode: "DEBUG_MODE", comment: "COMMENT" }),
      );
    },
  },
  {
    title: "ALTER APPLICATION PACKAGE ... ADD VERSION",
    url: DOCS + "alter-application-package-version",
    syntax: "ALTER APPLICATION PACKAGE ! <name> ADD VERSION [ <version_identifier> ] USING <path_to_version_directory> [ LABEL = '<display_label>'#label ]",
    build: (m) => {
      const label = m.one<string>("label");
      return withExtras(
        {
          kind: "alter_application_package",
          name: name(m),
          action: "add_version",
          version: m.one<string>("version_identifier") ?? "",
          using: m.one<string>("path_to_version_directory")!,
          ...(label === undefined ? {} : { label }),
        },
        m.has("version_identifier") ? [] : ["ADD VERSION without a version identifier (taken from manifest.yml)"],
      );
    },
  },
  {
    title: "ALTER APPLICATION PACKAGE ... ADD PATCH",
    url: DOCS + "alter-application-package-version",
    syntax:
      "ALTER APPLICATION PACKAGE ! <name> ADD PATCH [ <patch_number> ] FOR VERSION [ <version_identifier> ] USING <path_to_version_directory> " +
      "[ LABEL = '<display_label>'#label ]",
    build: (m) =>
      withExtras(
        {
          kind: "alter_application_package",
          name: name(m),
          action: "add_patch",
          version: m.one<string>("version_identifier") ?? "",
          using: m.one<string>("path_to_version_directory")!,
        },
        [
          ...(m.has("patch_number") ? ["ADD PATCH with an explicit patch number"] : []),
          ...(m.has("version_identifier") ? [] : ["FOR VERSION without a version identifier"]),
          ...(m.has("label") ? ["LABEL on a patch"] : []),
        ],
      ),
  },
  {
    title: "ALTER APPLICATION PACKAGE ... DROP VERSION",
    url: DOCS + "alter-application-package-version",
    syntax: "ALTER APPLICATION PACKAGE ! <name> DROP VERSION <version_identifier>",
    build: (m) => ({ kind: "alter_application_package", name: name(m), action: "drop_version", version: m.one<string>("version_identifier")! }),
  },
  {
    title: "ALTER APPLICATION PACKAGE ... SET",
    url: DOCS + "alter-application-package",
    syntax:
      "ALTER APPLICATION PACKAGE ! [ IF EXISTS ]#ifExists <name> SET [ DATA_RETENTION_TIME_IN_DAYS = <integer>#retention ] " +
      "[ MAX_DATA_EXTENSION_TIME_IN_DAYS = <integer>#extension ] [ DEFAULT_DDL_COLLATION = '<collation_specification>'#collation ] " +
      `${COMMENT} [ DISTRIBUTION = { INTERNAL | EXTERNAL }#distribution ]`,
    build: (m, ctx) => {
      const opts = options(m, {
        retention: "DATA_RETENTION_TIME_IN_DAYS",
        extension: "MAX_DATA_EXTENSION_TIME_IN_DAYS",
        collation: "DEFAULT_DDL_COLLATION",
        comment: "COMMENT",
        distribution: "DISTRIBUTION",
      });
      if (Object.keys(opts).length === 0) ctx.fail("SET needs at least one property");
      return withExtras({ kind: "alter_application_package", name: name(m), action: "set", version: "", options: opts }, extrasOf(m, { ifExists: "IF EXISTS" }));
    },
  },
  {
    title: "ALTER APPLICATION ... UPGRADE",
    url: DOCS + "alter-application",
    syntax: "ALTER APPLICATION ! [ IF EXISTS ]#ifExists <name> UPGRADE [ USING VERSION <version_identifier> [ PATCH <patch_num> ] ]",
    build: (m) => {
      const version = m.one<string>("version_identifier");
      const patch = m.one<number>("patch_num");
      return withExtras(
        { kind: "alter_application_upgrade", name: name(m), ...(version === undefined ? {} : { version }), ...(patch === undefined ? {} : { patch }) },
        extrasOf(m, { ifExists: "IF EXISTS" }),
      );
    },
  },
  {
    title: "ALTER TASK ... RESUME | SUSPEND",
    url: DOCS + "alter-task",
    syntax: "ALTER TASK ! [ IF EXISTS ]#ifExists <name> { RESUME | SUSPEND }#action",
    build: (m) => ({ kind: "alter_task", name: name(m), ifExists: m.has("ifExists"), action: m.one<"RESUME" | "SUSPEND">("action")! }),
  },
  // Streams and sequences (the SDK's Task Reactor objects)
  {
    title: "CREATE STREAM",
    url: DOCS + "create-stream",
    syntax:
      `CREATE [ OR REPLACE ]#orReplace STREAM ! ${IF_NOT_EXISTS} <name> [ COPY GRANTS ]#copyGrants ON { TABLE | VIEW }#on <object_name> ` +
      `[ APPEND_ONLY = { TRUE | FALSE }#appendOnly ] [ SHOW_INITIAL_ROWS = { TRUE | FALSE }#initialRows ] ${COMMENT}`,
    build: (m, ctx) => {
      exclusive(m, ctx);
      return withExtras(
        {
          kind: "create_stream",
          name: name(m),
          orReplace: m.has("orReplace"),
          ifNotExists: m.has("ifNotExists"),
          source: { kind: m.one<"TABLE" | "VIEW">("on")!, name: name(m, "object_name") },
        },
        extrasOf(m, { copyGrants: "COPY GRANTS", appendOnly: "APPEND_ONLY", initialRows: "SHOW_INITIAL_ROWS", comment: "COMMENT" }),
      );
    },
  },
  {
    title: "CREATE STREAM ... CLONE",
    url: DOCS + "create-stream",
    syntax: `CREATE [ OR REPLACE ]#orReplace STREAM ! ${IF_NOT_EXISTS} <name> CLONE <source_stream> [ COPY GRANTS ]#copyGrants`,
    build: (m, ctx) => {
      exclusive(m, ctx);
      return withExtras(
        {
          kind: "create_stream",
          name: name(m),
          orReplace: m.has("orReplace"),
          ifNotExists: m.has("ifNotExists"),
          source: { kind: "CLONE", name: name(m, "source_stream") },
        },
        extrasOf(m, { copyGrants: "COPY GRANTS" }),
      );
    },
  },
  {
    title: "CREATE SEQUENCE",
    url: DOCS + "create-sequence",
    syntax:
      `CREATE [ OR REPLACE ]#orReplace SEQUENCE ! ${IF_NOT_EXISTS} <name> [ WITH ] [ START [ WITH ] [ = ] <initial_value> ] ` +
      `[ INCREMENT [ BY ] [ = ] <sequence_interval> ] [ { ORDER | NOORDER } ] ${COMMENT}`,
    build: (m, ctx) => {
      exclusive(m, ctx);
      const start = m.one<number>("initial_value");
      const increment = m.one<number>("sequence_interval");
      return withExtras(
        {
          kind: "create_sequence",
          name: name(m),
          orReplace: m.has("orReplace"),
          ifNotExists: m.has("ifNotExists"),
          ...(start === undefined ? {} : { start: Number(start) }),
          ...(increment === undefined ? {} : { increment: Number(increment) }),
        },
        extrasOf(m, { comment: "COMMENT" }),
      );
    },
  },
  // Grants
  {
    title: "GRANT APPLICATION ROLE",
    url: DOCS + "grant-application-role",
    syntax: `GRANT APPLICATION ROLE ! <name> TO ${GRANTEE_OF_APPLICATION_ROLE}`,
    build: (m) => ({ kind: "grant_application_role", role: name(m), to: applicationRoleGrantee(m) }),
  },
  {
    title: "GRANT <privileges> ... TO APPLICATION ROLE",
    url: DOCS + "grant-privilege-application-role",
    syntax: `GRANT ! <privilege> [ , ... ] ON ${ON_SCHEMA_OBJECT} TO APPLICATION ROLE <name> [ WITH GRANT OPTION ]#grantOption`,
    build: (m) =>
      withExtras(
        { kind: "grant", privileges: m.all<string>("privilege"), on: grantObject(m), to: { kind: "APPLICATION ROLE", name: name(m) } },
        extrasOf(m, { grantOption: "WITH GRANT OPTION" }),
      ),
  },
  {
    title: "GRANT <privileges> ... TO APPLICATION",
    url: DOCS + "grant-privilege-application",
    syntax: `GRANT ! <privilege> [ , ... ] ON ${ON_ANY} TO APPLICATION <name>`,
    build: (m) => ({ kind: "grant", privileges: m.all<string>("privilege"), on: grantObject(m), to: { kind: "APPLICATION", name: name(m) } }),
  },
  {
    title: "GRANT <privileges> ... TO ROLE",
    url: DOCS + "grant-privilege",
    syntax: `GRANT ! <privilege> [ , ... ] ON ${ON_ANY} TO [ ROLE ] <role_name> [ WITH GRANT OPTION ]#grantOption`,
    build: (m) =>
      withExtras(
        { kind: "grant", privileges: m.all<string>("privilege"), on: grantObject(m), to: { kind: "ROLE", name: name(m, "role_name") } },
        extrasOf(m, { grantOption: "WITH GRANT OPTION" }),
      ),
  },
  {
    title: "REVOKE APPLICATION ROLE",
    url: DOCS + "revoke-application-role",
    syntax: `REVOKE APPLICATION ROLE ! <name> FROM ${GRANTEE_OF_APPLICATION_ROLE}`,
    build: (m) => ({ kind: "revoke_application_role", role: name(m), to: applicationRoleGrantee(m) }),
  },
  {
    title: "REVOKE <privileges> ... FROM APPLICATION ROLE",
    url: DOCS + "revoke-privilege-application-role",
    syntax:
      `REVOKE ! [ GRANT OPTION FOR ]#grantOptionFor <privilege> [ , ... ] ON ${ON_SCHEMA_OBJECT} FROM APPLICATION ROLE <name> ` +
      "[ { RESTRICT | CASCADE } ]#behaviour",
    build: (m) =>
      withExtras(
        { kind: "revoke", privileges: m.all<string>("privilege"), on: grantObject(m), to: { kind: "APPLICATION ROLE", name: name(m) } },
        extrasOf(m, { grantOptionFor: "GRANT OPTION FOR", behaviour: "RESTRICT / CASCADE" }),
      ),
  },
  {
    title: "REVOKE <privileges> ... FROM APPLICATION",
    url: DOCS + "revoke-privilege-application",
    syntax: `REVOKE ! <privilege> [ , ... ] ON ${ON_ANY} FROM APPLICATION <name>`,
    build: (m) => ({ kind: "revoke", privileges: m.all<string>("privilege"), on: grantObject(m), to: { kind: "APPLICATION", name: name(m) } }),
  },
  {
    title: "REVOKE <privileges> ... FROM ROLE",
    url: DOCS + "revoke-privilege",
    syntax: `REVOKE ! [ GRANT OPTION FOR ]#grantOptionFor <privilege> [ , ... ] ON ${ON_ANY} FROM [ ROLE ] <role_name> [ { RESTRICT | CASCADE } ]#behaviour`,
    build: (m) =>
      withExtras(
        { kind: "revoke", privileges: m.all<string>("privilege"), on: grantObject(m), to: { kind: "ROLE", name: name(m, "role_name") } },
        extrasOf(m, { grantOptionFor: "GRANT OPTION FOR", behaviour: "RESTRICT / CASCADE" }),
      ),
  },
  // Scripts, calls, stages, sessions
  {
    title: "EXECUTE IMMEDIATE FROM",
    url: DOCS + "execute-immediate-from",
    syntax:
      "EXECUTE IMMEDIATE FROM ! { <absolute_file_path>#absolute | '<relative_file_path>' } " +
      "[ USING ( { <key> => <value> } [ , ... ] ) ]#using [ DRY_RUN = { TRUE | FALSE } ]#dryRun",
    build: (m) => {
      const relative = m.one<string>("relative_file_path");
      const path = relative ?? m.one<string>("absolute")!;
      return withExtras(
        { kind: "execute_immediate_from", path },
        [
          ...(relative === undefined || path.startsWith("@") ? ["an absolute stage path"] : []),
          ...extrasOf(m, { using: "USING (template variables)", dryRun: "DRY_RUN" }),
        ],
      );
    },
  },
  {
    title: "CALL",
    url: DOCS + "call",
    syntax: "CALL ! <procedure_name> ( [ <arg> ] [ , ... ] )",
    build: (m) => {
      const args = m.all<string>("arg");
      return withExtras({ kind: "call", name: name(m, "procedure_name"), args }, args.some((a) => /=>/.test(a)) ? ["named arguments (name => value)"] : []);
    },
  },
  {
    title: "PUT",
    url: DOCS + "put",
    syntax:
      "PUT ! <file_path> <internal_stage> [ PARALLEL = <integer>#parallel ] [ AUTO_COMPRESS = { TRUE | FALSE }#autoCompress ] " +
      "[ SOURCE_COMPRESSION = { AUTO_DETECT | GZIP | BZ2 | BROTLI | ZSTD | DEFLATE | RAW_DEFLATE | NONE }#sourceCompression ] " +
      "[ OVERWRITE = { TRUE | FALSE }#overwrite ]",
    build: (m) => ({
      kind: "put",
      localPath: m.one<string>("file_path")!,
      stage: m.one<string>("internal_stage")!,
      options: options(m, { parallel: "PARALLEL", autoCompress: "AUTO_COMPRESS", sourceCompression: "SOURCE_COMPRESSION", overwrite: "OVERWRITE" }),
    }),
  },
  {
    title: "LIST",
    url: DOCS + "list",
    syntax: "{ LIST | LS } ! <internal_stage> [ PATTERN = '<regex_pattern>'#pattern ]",
    build: (m) => withExtras({ kind: "list", stage: m.one<string>("internal_stage")! }, extrasOf(m, { pattern: "PATTERN" })),
  },
  {
    title: "REMOVE",
    url: DOCS + "remove",
    syntax: "{ REMOVE | RM } ! <internal_stage> [ PATTERN = '<regex_pattern>'#pattern ]",
    build: (m) => withExtras({ kind: "remove", stage: m.one<string>("internal_stage")! }, extrasOf(m, { pattern: "PATTERN" })),
  },
  { title: "USE ROLE", url: DOCS + "use-role", syntax: "USE ROLE ! <name>", build: (m) => ({ kind: "use", object: "ROLE", name: name(m) }) },
  { title: "USE WAREHOUSE", url: DOCS + "use-warehouse", syntax: "USE WAREHOUSE ! <name>", build: (m) => ({ kind: "use", object: "WAREHOUSE", name: name(m) }) },
  { title: "USE SCHEMA", url: DOCS + "use-schema", syntax: "USE SCHEMA ! <name>", build: (m) => ({ kind: "use", object: "SCHEMA", name: name(m) }) },
  { title: "USE DATABASE", url: DOCS + "use-database", syntax: "USE DATABASE ! <name>", build: (m) => ({ kind: "use", object: "DATABASE", name: name(m) }) },
  {
    title: "USE <name>",
    url: DOCS + "use-database",
    syntax: "USE ! <name>",
    build: (m) => withExtras({ kind: "use", object: name(m).length > 1 ? "SCHEMA" : "DATABASE", name: name(m) }, ["USE without DATABASE or SCHEMA"]),
  },
  // DROP
  { title: "DROP APPLICATION PACKAGE", url: DOCS + "drop-application-package", syntax: "DROP APPLICATION PACKAGE ! [ IF EXISTS ]#ifExists <name>", build: drop("APPLICATION PACKAGE") },
  { title: "DROP APPLICATION ROLE", url: DOCS + "drop-application-role", syntax: "DROP APPLICATION ROLE ! [ IF EXISTS ]#ifExists <name>", build: drop("APPLICATION ROLE") },
  {
    title: "DROP APPLICATION",
    url: DOCS + "drop-application",
    syntax: "DROP APPLICATION ! [ IF EXISTS ]#ifExists <name> [ CASCADE ]#cascade",
    build: drop("APPLICATION", { cascade: "CASCADE" }),
  },
  {
    title: "DROP DATABASE",
    url: DOCS + "drop-database",
    syntax: "DROP DATABASE ! [ IF EXISTS ]#ifExists <name> [ { CASCADE | RESTRICT } ]#behaviour",
    build: drop("DATABASE", { behaviour: "CASCADE / RESTRICT" }),
  },
  {
    title: "DROP SCHEMA",
    url: DOCS + "drop-schema",
    syntax: "DROP SCHEMA ! [ IF EXISTS ]#ifExists <name> [ { CASCADE | RESTRICT } ]#behaviour",
    build: drop("SCHEMA", { behaviour: "CASCADE / RESTRICT" }),
  },
  { title: "DROP ROLE", url: DOCS + "drop-role", syntax: "DROP ROLE ! [ IF EXISTS ]#ifExists <name>", build: drop("ROLE") },
  { title: "DROP PROCEDURE", url: DOCS + "drop-procedure", syntax: `DROP PROCEDURE ! [ IF EXISTS ]#ifExists <procedure_name> ${SIGNATURE}`, build: drop("PROCEDURE") },
  { title: "DROP STAGE", url: DOCS + "drop-stage", syntax: "DROP STAGE ! [ IF EXISTS ]#ifExists <name>", build: drop("STAGE") },
  { title: "DROP TASK", url: DOCS + "drop-task", syntax: "DROP TASK ! [ IF EXISTS ]#ifExists <name>", build: drop("TASK") },
  { title: "DROP TABLE", url: DOCS + "drop-table", syntax: "DROP TABLE ! [ IF EXISTS ] <name> [ { CASCADE | RESTRICT } ]", build: () => null },
  { title: "DROP VIEW", url: DOCS + "drop-view", syntax: "DROP VIEW ! [ IF EXISTS ] <name>", build: () => null },
  // SHOW
  { title: "SHOW APPLICATIONS", url: DOCS + "show-applications", syntax: `SHOW APPLICATIONS ! [ LIKE '<pattern>'#like ] ${SHOW_LIMIT}`, build: show("APPLICATIONS") },
  {
    title: "SHOW APPLICATION PACKAGES",
    url: DOCS + "show-application-packages",
    syntax: `SHOW APPLICATION PACKAGES ! [ LIKE '<pattern>'#like ] ${SHOW_LIMIT}`,
    build: show("APPLICATION PACKAGES"),
  },
  {
    title: "SHOW APPLICATION ROLES",
    url: DOCS + "show-application-roles",
    syntax: "SHOW APPLICATION ROLES ! IN APPLICATION#inApplication <application_name> [ LIMIT <rows>#limit [ FROM '<name_string>'#from ] ]",
    build: show("APPLICATION ROLES"),
  },
  {
    title: "SHOW VERSIONS",
    url: DOCS + "show-versions",
    syntax: "SHOW VERSIONS ! [ LIKE '<pattern>'#like ] IN APPLICATION PACKAGE#inPackage <application_package_name>",
    build: show("VERSIONS"),
  },
  {
    title: "SHOW GRANTS",
    url: DOCS + "show-grants",
    syntax:
      "SHOW GRANTS ! [ { ON ACCOUNT#onAccount | ON <object_type> <object_name> | TO APPLICATION ROLE#toApplicationRole <role_name> | " +
      "TO APPLICATION#toApplication <application_name> | TO ROLE#toRole <role_name> | TO USER#toUser <user_name> | " +
      "OF APPLICATION ROLE#ofApplicationRole <application_role> | OF ROLE#ofRole <role_name> } ]",
    build: (m) => {
      // SHOW GRANTS TO APPLICATION (what the application holds) and OF APPLICATION ROLE (who
      // holds the role) are represented; the other variants are read and left to the account.
      const extras = extrasOf(m, {
        onAccount: "ON ACCOUNT",
        object_type: "ON <object>",
        toApplicationRole: "TO APPLICATION ROLE",
        toRole: "TO ROLE",
        toUser: "TO USER",
        ofRole: "OF ROLE",
      });
      const target = m.has("toApplication")
        ? { in: { object: "APPLICATION", name: name(m, "application_name"), preposition: "TO" as const } }
        : m.has("ofApplicationRole")
          ? { in: { object: "APPLICATION ROLE", name: name(m, "application_role"), preposition: "OF" as const } }
          : {};
      if (!("in" in target) && extras.length === 0) extras.push("SHOW GRANTS without a target");
      return withExtras({ kind: "show", what: "GRANTS", ...target }, extras);
    },
  },
  { title: "SHOW PROCEDURES", url: DOCS + "show-procedures", syntax: `SHOW PROCEDURES ! [ LIKE '<pattern>'#like ] ${SHOW_IN}`, build: show("PROCEDURES") },
  {
    title: "SHOW USER PROCEDURES",
    url: DOCS + "show-user-procedures",
    syntax: `SHOW USER PROCEDURES ! [ LIKE '<pattern>'#like ] ${SHOW_IN}`,
    build: show("USER PROCEDURES"),
  },
  {
    title: "SHOW TASKS",
    url: DOCS + "show-tasks",
    syntax: `SHOW [ TERSE ]#terse TASKS ! [ LIKE '<pattern>'#like ] ${SHOW_IN} [ STARTS WITH '<name_string>'#startsWith ] [ ROOT ONLY ]#rootOnly [ LIMIT <rows>#limit [ FROM '<name_string>'#from ] ]`,
    build: show("TASKS"),
  },
  {
    title: "SHOW STREAMS",
    url: DOCS + "show-streams",
    syntax: `SHOW [ TERSE ]#terse STREAMS ! [ LIKE '<pattern>'#like ] ${SHOW_IN} ${SHOW_LIMIT}`,
    build: show("STREAMS"),
  },
  {
    title: "SHOW SCHEMAS",
    url: DOCS + "show-schemas",
    syntax: `SHOW [ TERSE ]#terse SCHEMAS ! [ HISTORY ]#history [ LIKE '<pattern>'#like ] ${SHOW_IN} ${SHOW_LIMIT}`,
    build: show("SCHEMAS"),
  },
];

const SCHEMA_EXTRAS = {
  managed: "WITH MANAGED ACCESS",
  retention: "DATA_RETENTION_TIME_IN_DAYS",
  extension: "MAX_DATA_EXTENSION_TIME_IN_DAYS",
  collation: "DEFAULT_DDL_COLLATION",
  comment: "COMMENT",
};

function leadWords(node: GrammarNode): string[] {
  switch (node.kind) {
    case "keyword":
      return [node.word];
    case "seq":
      return leadWords(node.items[0]);
    case "choice":
      return node.alternatives.flatMap(leadWords);
    default:
      throw new Error("a form must start with a keyword");
  }
}

function compile(spec: FormSpec): Form {
  const tree = parseNotation(spec.syntax);
  checkSlots(tree, spec.title);
  return Object.freeze({ ...spec, tree, display: displayNotation(spec.syntax), clauses: clauseKeywords(tree), leads: leadWords(tree) });
}

/** Every form, compiled once. */
export const FORMS: readonly Form[] = SPECS.map(compile);

const BY_LEAD = new Map<string, Form[]>();
for (const form of FORMS) {
  for (const lead of form.leads) BY_LEAD.set(lead, [...(BY_LEAD.get(lead) ?? []), form]);
}

function located(text: string, offset: number, message: string): string {
  const pos = positionAt(text, offset);
  return `${message} at line ${pos.line}, column ${pos.column}`;
}

function describe(form: Form, failure: MatchFailure, text: string, tokens: readonly Token[]): SqlReadError {
  const token = tokens[Math.min(failure.pos, tokens.length - 1)];
  const expected = `expected ${joinOr(failure.expected)}`;
  let problem: string;
  if (token.kind === "eof") {
    problem = `${located(text, token.start, "the statement ends early")}; ${expected}`;
  } else {
    const word = token.kind === "word" ? token.value.toUpperCase() : undefined;
    problem =
      word !== undefined && form.clauses.has(word)
        ? `${located(text, token.start, `${word} is out of place`)} (${expected}): Snowflake takes these clauses only in the documented order`
        : `${located(text, token.start, `unexpected ${JSON.stringify(text.slice(token.start, token.end))}`)}; ${expected}`;
  }
  return new SqlReadError(`${problem}. ${form.title} is documented as: ${form.display} (${form.url})`, token.start);
}

function joinOr(items: readonly string[]): string {
  const unique = [...new Set(items)];
  if (unique.length === 1) return unique[0];
  return unique.slice(0, -1).join(", ") + " or " + unique[unique.length - 1];
}

function isWord(t: Token | undefined, word: string): boolean {
  return t !== undefined && t.kind === "word" && t.value.toUpperCase() === word;
}

/** BEGIN opens a block unless it starts a transaction: `BEGIN`, `BEGIN WORK`, `BEGIN TRANSACTION`, `BEGIN NAME t`. */
export function startsBlock(tokens: readonly Token[], at: number): boolean {
  const t = tokens[at];
  if (isWord(t, "DECLARE")) return true;
  if (!isWord(t, "BEGIN")) return false;
  const next = tokens[at + 1];
  return !(next === undefined || next.kind === "eof" || (next.kind === "punct" && next.value === ";") || isWord(next, "WORK") || isWord(next, "TRANSACTION") || isWord(next, "NAME"));
}

/** Reads one statement against the forms; see readStatement. */
export function readFormStatement(text: string, tokens: readonly Token[]): CatalogStatement | null {
  const first = tokens[0];
  if (first === undefined || first.kind !== "word") return null;
  if (startsBlock(tokens, 0)) {
    try {
      parseScriptingBlock(text);
    } catch (e) {
      if (e instanceof ScriptingSyntaxError) throw new SqlReadError(located(text, e.offset, e.reason), e.offset);
      throw e;
    }
    return { kind: "block", body: text };
  }
  const candidates = BY_LEAD.get(first.value.toUpperCase());
  if (candidates === undefined) return null;
  const input = { text, tokens };
  // The form whose match went farthest explains the failure; forms that stopped at the same
  // token add what they would have accepted there (LANGUAGE JAVASCRIPT, SQL, PYTHON...).
  let best: { form: Form; failure: MatchFailure } | undefined;
  for (const form of candidates) {
    const result = matchForm(form.tree, input);
    if (result.ok) {
      const ctx: BuildContext = {
        text,
        tokens,
        fail: (message) => {
          throw new SqlReadError(`${located(text, 0, message)}. ${form.title} is documented as: ${form.display} (${form.url})`, 0);
        },
      };
      return form.build(result.captures, ctx);
    }
    if (!result.committed) continue;
    if (best === undefined || result.pos > best.failure.pos) best = { form, failure: result };
    else if (result.pos === best.failure.pos) best = { form: best.form, failure: { ...best.failure, expected: [...best.failure.expected, ...result.expected] } };
  }
  if (best === undefined) return null;
  throw describe(best.form, best.failure, text, tokens);
}
