/**
 * The statement forms of scripts, calls, stages and sessions (EXECUTE IMMEDIATE FROM, CALL, PUT,
 * LIST, REMOVE, USE), and DROP and SHOW.
 */
import { DOCS, drop, extrasOf, name, options, showForm, SHOW_IN, SHOW_LIMIT, SIGNATURE, withExtras, type FormSpec } from "./kit";

/** In declaration order (see ../forms.ts). */
export const SESSION_FORMS: readonly FormSpec[] = [
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
  showForm("APPLICATIONS", "show-applications", `SHOW APPLICATIONS ! [ LIKE '<pattern>'#like ] ${SHOW_LIMIT}`),
  showForm("APPLICATION PACKAGES", "show-application-packages", `SHOW APPLICATION PACKAGES ! [ LIKE '<pattern>'#like ] ${SHOW_LIMIT}`),
  showForm("APPLICATION ROLES", "show-application-roles", "SHOW APPLICATION ROLES ! IN APPLICATION#inApplication <application_name> [ LIMIT <rows>#limit [ FROM '<name_string>'#from ] ]"),
  showForm("VERSIONS", "show-versions", "SHOW VERSIONS ! [ LIKE '<pattern>'#like ] IN APPLICATION PACKAGE#inPackage <application_package_name>"),
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
  showForm("PROCEDURES", "show-procedures", `SHOW PROCEDURES ! [ LIKE '<pattern>'#like ] ${SHOW_IN}`),
  showForm("USER PROCEDURES", "show-user-procedures", `SHOW USER PROCEDURES ! [ LIKE '<pattern>'#like ] ${SHOW_IN}`),
  showForm("TASKS", "show-tasks", `SHOW [ TERSE ]#terse TASKS ! [ LIKE '<pattern>'#like ] ${SHOW_IN} [ STARTS WITH '<name_string>'#startsWith ] [ ROOT ONLY ]#rootOnly [ LIMIT <rows>#limit [ FROM '<name_string>'#from ] ]`),
  showForm("STREAMS", "show-streams", `SHOW [ TERSE ]#terse STREAMS ! [ LIKE '<pattern>'#like ] ${SHOW_IN} ${SHOW_LIMIT}`),
  showForm("SCHEMAS", "show-schemas", `SHOW [ TERSE ]#terse SCHEMAS ! [ HISTORY ]#history [ LIKE '<pattern>'#like ] ${SHOW_IN} ${SHOW_LIMIT}`),
];
