/**
 * The statement forms of schema objects: procedures, application roles, schemas, tables and
 * views (checked here, read by the table engine), tasks, stages, databases and roles.
 */
import { COMMENT, createHead, DOCS, exclusive, extrasOf, HANDLER_OPTIONS, IF_NOT_EXISTS, name, options, procedure, PROCEDURE_HEAD, PROCEDURE_TAIL, readByTableEngine, SCHEMA_EXTRAS, withExtras, type FormSpec } from "./kit";
import type { RestValue } from "../slots";

/** In declaration order (see ../forms.ts). */
export const OBJECT_FORMS: readonly FormSpec[] = [
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
      return withExtras(
        { kind: "create_application_role", ...createHead(m, ctx) },
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
      return withExtras(
        { kind: "create_schema", ...createHead(m, ctx), orAlterVersioned: false },
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
    build: readByTableEngine,
  },
  {
    title: "CREATE TABLE ... AS SELECT",
    url: DOCS + "create-table",
    syntax: `CREATE [ OR REPLACE ]#orReplace [ TRANSIENT ] TABLE ! ${IF_NOT_EXISTS} <name> [ COPY GRANTS ] AS <select_statement>`,
    build: readByTableEngine,
  },
  {
    title: "CREATE VIEW",
    url: DOCS + "create-view",
    syntax:
      `CREATE [ OR REPLACE ]#orReplace [ SECURE ] [ RECURSIVE ] VIEW ! ${IF_NOT_EXISTS} <name> ` +
      `[ ( { <col_name> [ COMMENT '<string_literal>' ] } [ , ... ] ) ] [ COPY GRANTS ] ${COMMENT} AS <select_statement>`,
    build: readByTableEngine,
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
        ...createHead(m, ctx),
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
      return withExtras(
        { kind: "create_database", ...createHead(m, ctx) },
        extrasOf(m, { transient: "TRANSIENT", comment: "COMMENT" }),
      );
    },
  },
  {
    title: "CREATE ROLE",
    url: DOCS + "create-role",
    syntax: `CREATE [ OR REPLACE ]#orReplace ROLE ! ${IF_NOT_EXISTS} <name> ${COMMENT}`,
    build: (m, ctx) => {
      return { kind: "create_role", ...createHead(m, ctx), options: options(m, { comment: "COMMENT" }) };
    },
  },
];
