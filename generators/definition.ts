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
import { FloeError } from "./errors";
import { FLOE_ROOT } from "./floe-root";

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
  readonly features?: Readonly<Partial<Record<string, boolean>>>;
  /** Account privileges the manifest requests. Default `["EXECUTE TASK"]`. */
  readonly privileges?: readonly string[];
  /** Procedures replaced by SQL files of your own ("replace it in SQL"). */
  readonly overrides?: readonly ProcedureOverride[];
  /** Manifest version: 1 (consumers grant privileges) or 2 (privileges granted at install). Default 1. */
  readonly manifestVersion?: 1 | 2;
  /** Directory of the SQL templates. Default: floe's own sql-templates/. */
  readonly templatesDir?: string;
  /** Directory that relative paths are resolved against. Default: the current directory. */
  readonly root?: string;
}

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
  readonly features: Readonly<Partial<Record<string, boolean>>>;
  readonly privileges: readonly string[];
  readonly overrides: readonly ProcedureOverride[];
  readonly manifestVersion: 1 | 2;
  readonly templatesDir: string;
  readonly root: string;
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;
const PRIVILEGE = /^[A-Z]+( [A-Z]+)*$/;

/** Checks a definition up front; every message names the field at fault. */
export function resolveDefinition(definition: ConnectorDefinition): ResolvedDefinition {
  if (definition === null || typeof definition !== "object") throw new FloeError("the connector definition must be an object.");
  const root = path.resolve(definition.root ?? process.cwd());
  if (typeof definition.name !== "string" || !IDENTIFIER.test(definition.name)) {
    throw new FloeError(`[name] must be an identifier (letters, digits, _ and $, starting with a letter or _), got ${JSON.stringify(definition.name)}.`);
  }
  const version = definition.version ?? "V1";
  if (!IDENTIFIER.test(version)) throw new FloeError(`[version] must be an identifier such as V1, got ${JSON.stringify(version)}.`);
  const hooks = definition.hooks ?? [];
  if (!Array.isArray(hooks) || hooks.some((h) => typeof h !== "string" || h.length === 0)) {
    throw new FloeError("[hooks] must be a list of file paths.");
  }
  const privileges = definition.privileges ?? ["EXECUTE TASK"];
  for (const p of privileges) {
    if (typeof p !== "string" || !PRIVILEGE.test(p)) throw new FloeError(`[privileges] must hold privilege names in upper case such as "EXECUTE TASK", got ${JSON.stringify(p)}.`);
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
  for (const [i, o] of overrides.entries()) {
    if (typeof o?.procedure !== "string" || typeof o?.file !== "string") {
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
    manifestVersion,
    templatesDir,
    root,
  };
}
