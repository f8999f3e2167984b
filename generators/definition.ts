/**
 * The connector definition: what a user declares about their connector app, in TypeScript.
 *
 * ```ts
 * import { defineConnector } from "floe";
 * export default defineConnector({
 *   name: "ORDERS_CONNECTOR",
 *   hooks: ["hooks/resume.ts"],
 *   features: { task_reactor: true },
 * });
 * ```
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { FloeError } from "../errors";
import type { FeatureName } from "./features";
import { FLOE_ROOT } from "./floe-root";
import { resolvePrerequisites, type PrerequisiteDefinition, type PrerequisiteModel } from "./prerequisites";

export interface ProcedureOverride {
  /** The procedure replaced, e.g. `PUBLIC.RESUME_CONNECTOR_VALIDATE`. */
  readonly procedure: string;
  /** SQL file with its `CREATE OR REPLACE PROCEDURE`, relative to the definition's root. */
  readonly file: string;
}

export interface ConnectorDefinition {
  /** Identifier of the connector; Pulumi derives package and application names from it. */
  readonly name: string;
  /** Shown in the manifest. */
  readonly description?: string;
  /** Version name in the manifest and the application package. Default `V1`. */
  readonly version?: string;
  /** Hooks files (TypeScript), relative to `root`. */
  readonly hooks?: readonly string[];
  /** Features to turn on or off, e.g. `{ task_reactor: true, pause: false }`. */
  readonly features?: FeatureSwitches;
  /** Account privileges the manifest requests. Default `["EXECUTE TASK"]`. */
  readonly privileges?: readonly string[];
  /** Procedures replaced by SQL files of your own ("replace it in SQL"). */
  readonly overrides?: readonly ProcedureOverride[];
  /**
   * The prerequisites the wizard lists (STATE.PREREQUISITES), seeded at install and upgrade:
   * texts follow this list, the consumer's IS_COMPLETED is kept, entries no longer listed are
   * deleted. Leave out to let the setup script leave the table alone.
   */
  readonly prerequisites?: readonly PrerequisiteDefinition[];
  /** Manifest version: 1 (consumers grant privileges) or 2 (privileges granted at install). Default 1. */
  readonly manifestVersion?: 1 | 2;
  /** Directory of the SQL templates. Default: floe's own sql-templates/. */
  readonly templatesDir?: string;
  /** Directory that relative paths are resolved against. Default: the current directory. */
  readonly root?: string;
}

/**
 * Features turned on (`true`) or off (`false`) by name, e.g. `{ task_reactor: true }`; a feature
 * left out keeps its default. An unknown name is a type error here and a FloeError at run time.
 */
export type FeatureSwitches = Readonly<Partial<Record<FeatureName, boolean>>>;

/** Identity function that gives a definition its type. */
export function defineConnector(definition: ConnectorDefinition): ConnectorDefinition {
  return definition;
}

export const DEFAULT_TEMPLATES_DIR = path.join(FLOE_ROOT, "sql-templates");

/** A definition checked and with defaults applied; paths are absolute. */
export interface ResolvedDefinition {
  readonly name: string;
  readonly description: string;
  readonly version: string;
  readonly hooks: readonly string[];
  readonly features: FeatureSwitches;
  readonly privileges: readonly string[];
  readonly overrides: readonly ProcedureOverride[];
  /** Undefined when the definition declares none (the table is left alone). */
  readonly prerequisites: readonly PrerequisiteModel[] | undefined;
  readonly manifestVersion: 1 | 2;
  readonly templatesDir: string;
  readonly root: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;
const PRIVILEGE = /^[A-Z]+( [A-Z]+)*$/;

/** Snowflake's longest identifier. */
export const MAX_IDENTIFIER_LENGTH = 255;
/** The default package name is `<name>_PKG`, which must fit too. */
const PACKAGE_SUFFIX = "_PKG";

/**
 * The privileges a Native App's manifest may request from the consumer, as Snowflake lists them
 * under "Privileges the provider can request from the consumer":
 * https://docs.snowflake.com/en/developer-guide/native-apps/requesting-privs
 * (also https://docs.snowflake.com/en/developer-guide/native-apps/ui-consumer-granting-privs).
 * Anything else renders a manifest that Snowflake refuses at `ADD VERSION`.
 */
export const MANIFEST_PRIVILEGES: readonly string[] = [
  "BIND SERVICE ENDPOINT",
  "CREATE COMPUTE POOL",
  "CREATE DATABASE",
  "CREATE WAREHOUSE",
  "EXECUTE ALERT",
  "EXECUTE MANAGED TASK",
  "EXECUTE TASK",
  "IMPORTED PRIVILEGES ON SNOWFLAKE DB",
  "MANAGE WAREHOUSES",
  "READ SESSION",
];

/**
 * Snowflake's reserved keywords (https://docs.snowflake.com/en/sql-reference/reserved-keywords):
 * an unquoted identifier cannot be one of them, and floe leaves plain upper-case names unquoted.
 */
const RESERVED_KEYWORDS = new Set(
  (
    "ALL ALTER AND ANY AS BETWEEN BY CASE CAST CHECK COLUMN CONNECT CONSTRAINT CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME " +
    "CURRENT_TIMESTAMP CURRENT_USER DELETE DISTINCT DROP ELSE EXISTS FALSE FOLLOWING FOR FROM FULL GRANT GROUP GSCLUSTER HAVING " +
    "ILIKE IN INCREMENT INNER INSERT INTERSECT INTO IS ISSUE JOIN LATERAL LEFT LIKE LOCALTIME LOCALTIMESTAMP MINUS NATURAL NOT " +
    "NULL OF ON OR ORDER QUALIFY REGEXP REVOKE RIGHT RLIKE ROW ROWS SAMPLE SELECT SET SOME START TABLE TABLESAMPLE THEN TO " +
    "TRIGGER TRUE TRY_CAST UNION UNIQUE UPDATE USING VALUES WHEN WHENEVER WHERE WITH"
  ).split(" "),
);

/**
 * Checks a name as Snowflake resolves it. floe leaves a plain upper-case name unquoted and quotes
 * anything else; Snowflake upper-cases an unquoted identifier. A lower-case name would therefore
 * become a quoted, case-sensitive object ("orders") that the SQL users write (ORDERS, or orders,
 * which Snowflake reads as ORDERS) never reaches: floe refuses it and names the upper-case form,
 * rather than changing a name behind the user's back.
 */
function checkIdentifier(field: string, value: unknown, example: string, maxLength: number, why = ""): string {
  if (typeof value !== "string" || !IDENTIFIER.test(value)) {
    throw new FloeError(`[${field}] must be an identifier (letters, digits, _ and $, starting with a letter or _), got ${JSON.stringify(value)}.`);
  }
  if (value !== value.toUpperCase()) {
    throw new FloeError(
      `[${field}] ${JSON.stringify(value)} is not upper case: Snowflake reads an unquoted identifier as upper case (${value.toUpperCase()}), ` +
        `while floe would quote this one and create the case-sensitive "${value}", which unquoted SQL never reaches. Write ${JSON.stringify(value.toUpperCase())}.`,
    );
  }
  if (value.length > maxLength) {
    throw new FloeError(`[${field}] is ${value.length} characters long; Snowflake identifiers have at most ${MAX_IDENTIFIER_LENGTH} characters${why}, so it may have ${maxLength}. Shorten it, e.g. ${example}.`);
  }
  if (RESERVED_KEYWORDS.has(value)) {
    throw new FloeError(`[${field}] ${JSON.stringify(value)} is a reserved keyword of Snowflake SQL and cannot name an object unquoted; choose another name.`);
  }
  return value;
}

/** Checks a definition up front; every message names the field at fault. */
export function resolveDefinition(definition: ConnectorDefinition): ResolvedDefinition {
  if (definition === null || typeof definition !== "object") throw new FloeError("the connector definition must be an object.");
  const root = path.resolve(definition.root ?? process.cwd());
  checkIdentifier("name", definition.name, "ORDERS_CONNECTOR", MAX_IDENTIFIER_LENGTH - PACKAGE_SUFFIX.length, ` and the default package name adds ${PACKAGE_SUFFIX}`);
  const version = definition.version ?? "V1";
  if (typeof version !== "string" || !IDENTIFIER.test(version)) throw new FloeError(`[version] must be an identifier such as V1, got ${JSON.stringify(version)}.`);
  checkIdentifier("version", version, "V1", MAX_IDENTIFIER_LENGTH);
  const hooks = definition.hooks ?? [];
  if (!Array.isArray(hooks) || hooks.some((h) => typeof h !== "string" || h.length === 0)) {
    throw new FloeError("[hooks] must be a list of file paths.");
  }
  const privileges = definition.privileges ?? ["EXECUTE TASK"];
  if (!Array.isArray(privileges)) throw new FloeError('[privileges] must be a list of privilege names such as ["EXECUTE TASK"].');
  for (const p of privileges) {
    if (typeof p !== "string" || !PRIVILEGE.test(p)) throw new FloeError(`[privileges] must hold privilege names in upper case such as "EXECUTE TASK", got ${JSON.stringify(p)}.`);
    if (!MANIFEST_PRIVILEGES.includes(p)) {
      throw new FloeError(`[privileges] ${JSON.stringify(p)} is not a privilege a Native App manifest can request; Snowflake allows ${MANIFEST_PRIVILEGES.join(", ")}.`);
    }
  }
  if (new Set(privileges).size !== privileges.length) throw new FloeError("[privileges] lists a privilege twice.");
  const manifestVersion = definition.manifestVersion ?? 1;
  if (manifestVersion !== 1 && manifestVersion !== 2) throw new FloeError(`[manifestVersion] must be 1 or 2, got ${JSON.stringify(manifestVersion)}.`);
  const features = definition.features ?? {};
  if (typeof features !== "object" || Array.isArray(features)) throw new FloeError("[features] must be an object such as { task_reactor: true }.");
  for (const [key, value] of Object.entries(features)) {
    if (typeof value !== "boolean") throw new FloeError(`[features] ${key} must be true or false, got ${JSON.stringify(value)}.`);
  }
  const overrides = definition.overrides ?? [];
  if (!Array.isArray(overrides)) throw new FloeError('[overrides] must be a list such as [{ procedure: "PUBLIC.NAME", file: "path.sql" }].');
  for (const [i, o] of overrides.entries()) {
    if (typeof o?.procedure !== "string" || typeof o?.file !== "string" || o.file === "") {
      throw new FloeError(`[overrides] entry ${i + 1} must be { procedure: "PUBLIC.NAME", file: "path.sql" }.`);
    }
  }
  const templatesDir = path.resolve(root, definition.templatesDir ?? DEFAULT_TEMPLATES_DIR);
  if (!fs.existsSync(templatesDir) || !fs.statSync(templatesDir).isDirectory()) {
    throw new FloeError(`[templatesDir] ${templatesDir} is not a directory.`);
  }
  return {
    name: definition.name,
    description: definition.description ?? `${definition.name}, a Snowflake Native App connector provisioned with floe.`,
    version,
    hooks: hooks.map((h) => path.resolve(root, h)),
    features,
    privileges,
    overrides: overrides.map((o) => ({ procedure: o.procedure.toUpperCase(), file: path.resolve(root, o.file) })),
    prerequisites: resolvePrerequisites(definition.prerequisites),
    manifestVersion,
    templatesDir,
    root,
  };
}
