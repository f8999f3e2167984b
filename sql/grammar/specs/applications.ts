/**
 * The statement forms of application packages and applications (versions, patches, upgrades),
 * ALTER TASK, and the SDK's Task Reactor objects: streams and sequences.
 */
import { createHead, DOCS, COMMENT, extrasOf, IF_NOT_EXISTS, name, options, withExtras, type FormSpec } from "./kit";

/** In declaration order (see ../forms.ts). */
export const APPLICATION_FORMS: readonly FormSpec[] = [
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
      return withExtras(
        {
          kind: "create_stream",
          ...createHead(m, ctx),
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
      return withExtras(
        {
          kind: "create_stream",
          ...createHead(m, ctx),
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
      const start = m.one<number>("initial_value");
      const increment = m.one<number>("sequence_interval");
      return withExtras(
        {
          kind: "create_sequence",
          ...createHead(m, ctx),
          ...(start === undefined ? {} : { start: Number(start) }),
          ...(increment === undefined ? {} : { increment: Number(increment) }),
        },
        extrasOf(m, { comment: "COMMENT" }),
      );
    },
  },
];
