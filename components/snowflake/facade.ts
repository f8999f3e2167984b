/**
 * The Snowflake facade: the one module that writes the SQL floe's Pulumi providers run, and that
 * turns Snowflake's errors into messages saying what to do.
 *
 * Statements go through an injected {@link SnowflakeRunner}: the snowflake-sdk runner
 * (`sdk-runner.ts`) in production, the sandbox's driver connection or a recording fake in tests.
 * Identifiers and literals are quoted by `lifecycle/sql-text.ts` only; nothing here splices user
 * text into SQL any other way.
 *
 * SERIALIZATION RULE: this module is captured by value into the dynamic providers' serialized
 * closures (see docs/pulumi.md). It may import local modules and types only; Node built-ins and
 * npm packages are `require`d inside the functions that use them. A top-level value import of
 * either breaks `pulumi.runtime.serializeFunction` under vitest and drags whole modules into
 * the serialized text under `pulumi up`.
 */
import { quoteIdentifier, quoteName, quoteString } from "../../lifecycle/sql-text";
import { redactText } from "./redact";

/** Secrets are redacted by one module; the facade re-exports its helper under the name callers know. */
export { redact } from "./redact";

/** A value bound to a `?` placeholder. */
export type SqlBind = string | number | boolean | null;

/** One result row, keyed by the column names Snowflake reports (SHOW commands use lower case). */
export type Row = Readonly<Record<string, unknown>>;

/**
 * Runs statements against Snowflake (or a stand-in). Each call is one statement. A PUT statement
 * uploads the local file it names: the snowflake-sdk driver does that itself when it executes
 * the statement, and a fake runner reads the file while the statement runs.
 */
export interface SnowflakeRunner {
  execute(sqlText: string, binds?: readonly SqlBind[]): Promise<Row[]>;
  /** Ends the session. */
  close(): Promise<void>;
}

/** What went wrong, as far as the user can act on it. */
export type SnowflakeErrorKind = "not_found" | "insufficient_privileges" | "already_exists" | "login" | "unexpected";

/** A failed statement, with a message that says what to do. Never carries a secret. */
export interface SnowflakeFacadeError extends Error {
  readonly name: "SnowflakeFacadeError";
  readonly kind: SnowflakeErrorKind;
  /** Snowflake's error code, six digits (`002003`), or the driver's code. */
  readonly code: string | undefined;
  readonly sqlState: string | undefined;
}

/**
 * Makes a {@link SnowflakeFacadeError}. A plain Error with fields, not a subclass: Pulumi's
 * closure serialization rewrites `super(message)` to `Error.call(this, message)`, which leaves
 * the message of a serialized subclass empty in the provider process (tested).
 */
export function facadeError(kind: SnowflakeErrorKind, message: string, code: string | undefined, sqlState: string | undefined): SnowflakeFacadeError {
  const error = new Error(message) as Error & { name: string; kind: SnowflakeErrorKind; code: string | undefined; sqlState: string | undefined };
  error.name = "SnowflakeFacadeError";
  error.kind = kind;
  error.code = code;
  error.sqlState = sqlState;
  return error as SnowflakeFacadeError;
}

export function isFacadeError(error: unknown): error is SnowflakeFacadeError {
  return error instanceof Error && error.name === "SnowflakeFacadeError" && typeof (error as { kind?: unknown }).kind === "string";
}

/** Where the application package keeps the bundle: schema FLOE, stage BUNDLE, directory app. */
export const PACKAGE_SCHEMA = "FLOE";
export const PACKAGE_STAGE = "BUNDLE";
export const STAGE_DIRECTORY = "app";

/** Snowflake's error codes that floe tells apart. */
const ERROR_CODES: Readonly<Record<string, SnowflakeErrorKind>> = {
  "002003": "not_found",
  "002043": "not_found",
  "003001": "insufficient_privileges",
  "002002": "already_exists",
  "390100": "login",
  "390144": "login",
  "390318": "login",
};

/** Privileges floe may grant to an application, and what they are granted on. */
const PRIVILEGE_TARGETS: Readonly<Record<string, { readonly privilege: string; readonly on: string }>> = {
  "IMPORTED PRIVILEGES ON SNOWFLAKE DB": { privilege: "IMPORTED PRIVILEGES", on: "DATABASE SNOWFLAKE" },
};

const PRIVILEGE_WORDS = /^[A-Z]+( [A-Z]+)*$/;

// ---------------------------------------------------------------------------------------------
// Statements: pure functions of their arguments, exported so that tests and the CLI can show
// exactly what a provider will run.
// ---------------------------------------------------------------------------------------------

function patchNumber(patch: number): string {
  if (!Number.isInteger(patch) || patch < 0) throw new Error(`A patch number must be a whole number >= 0, got ${JSON.stringify(patch)}.`);
  return String(patch);
}

/** `GRANT <privilege> ON <target>`: the privilege words are checked, never quoted. */
function privilegeTarget(privilege: string): { privilege: string; on: string } {
  if (!PRIVILEGE_WORDS.test(privilege)) throw new Error(`${JSON.stringify(privilege)} is not a privilege name (upper-case words such as EXECUTE TASK).`);
  return PRIVILEGE_TARGETS[privilege] ?? { privilege, on: "ACCOUNT" };
}

export const statements = {
  /** `EXAMPLE_PKG.FLOE.BUNDLE` */
  stageName(pkg: string): string {
    return quoteName([pkg, PACKAGE_SCHEMA, PACKAGE_STAGE]);
  },
  /** `@EXAMPLE_PKG.FLOE.BUNDLE/app`: the version directory, as ADD VERSION ... USING takes it. */
  stageLocation(pkg: string): string {
    return `@${statements.stageName(pkg)}/${STAGE_DIRECTORY}`;
  },
  createApplicationPackage(pkg: string, comment: string, distribution: "INTERNAL" | "EXTERNAL"): string {
    return `CREATE APPLICATION PACKAGE ${quoteIdentifier(pkg)} COMMENT = ${quoteString(comment)} DISTRIBUTION = ${distribution === "EXTERNAL" ? "EXTERNAL" : "INTERNAL"}`;
  },
  createPackageSchema(pkg: string): string {
    return `CREATE SCHEMA ${quoteName([pkg, PACKAGE_SCHEMA])}`;
  },
  createPackageStage(pkg: string): string {
    return `CREATE STAGE ${statements.stageName(pkg)}`;
  },
  setPackageComment(pkg: string, comment: string): string {
    return `ALTER APPLICATION PACKAGE ${quoteIdentifier(pkg)} SET COMMENT = ${quoteString(comment)}`;
  },
  setPackageDistribution(pkg: string, distribution: "INTERNAL" | "EXTERNAL"): string {
    return `ALTER APPLICATION PACKAGE ${quoteIdentifier(pkg)} SET DISTRIBUTION = ${distribution === "EXTERNAL" ? "EXTERNAL" : "INTERNAL"}`;
  },
  showApplicationPackages(pkg: string): string {
    return `SHOW APPLICATION PACKAGES LIKE ${quoteString(pkg)}`;
  },
  dropApplicationPackage(pkg: string): string {
    return `DROP APPLICATION PACKAGE IF EXISTS ${quoteIdentifier(pkg)}`;
  },
  /** PUT of one local file into a stage directory; the stage keeps the local file's name. */
  put(localFileUri: string, directory: string): string {
    return `PUT ${quoteString(localFileUri)} ${quoteString(directory)} AUTO_COMPRESS = FALSE OVERWRITE = TRUE`;
  },
  list(location: string): string {
    return `LIST ${quoteString(location + "/")}`;
  },
  remove(file: string): string {
    return `REMOVE ${quoteString(file)}`;
  },
  showVersions(pkg: string): string {
    return `SHOW VERSIONS IN APPLICATION PACKAGE ${quoteIdentifier(pkg)}`;
  },
  addVersion(pkg: string, version: string, location: string): string {
    return `ALTER APPLICATION PACKAGE ${quoteIdentifier(pkg)} ADD VERSION ${quoteIdentifier(version)} USING ${quoteString(location)}`;
  },
  addPatch(pkg: string, version: string, location: string): string {
    return `ALTER APPLICATION PACKAGE ${quoteIdentifier(pkg)} ADD PATCH FOR VERSION ${quoteIdentifier(version)} USING ${quoteString(location)}`;
  },
  createApplication(app: string, pkg: string, version: string, patch: number): string {
    return `CREATE APPLICATION ${quoteIdentifier(app)} FROM APPLICATION PACKAGE ${quoteIdentifier(pkg)} USING VERSION ${quoteIdentifier(version)} PATCH ${patchNumber(patch)}`;
  },
  upgradeApplication(app: string, version: string, patch: number): string {
    return `ALTER APPLICATION ${quoteIdentifier(app)} UPGRADE USING VERSION ${quoteIdentifier(version)} PATCH ${patchNumber(patch)}`;
  },
  showProceduresInApplication(app: string): string {
    return `SHOW PROCEDURES IN APPLICATION ${quoteIdentifier(app)}`;
  },
  showApplications(app: string): string {
    return `SHOW APPLICATIONS LIKE ${quoteString(app)}`;
  },
  dropApplication(app: string): string {
    return `DROP APPLICATION IF EXISTS ${quoteIdentifier(app)}`;
  },
  grantToApplication(privilege: string, app: string): string {
    const target = privilegeTarget(privilege);
    return `GRANT ${target.privilege} ON ${target.on} TO APPLICATION ${quoteIdentifier(app)}`;
  },
  revokeFromApplication(privilege: string, app: string): string {
    const target = privilegeTarget(privilege);
    return `REVOKE ${target.privilege} ON ${target.on} FROM APPLICATION ${quoteIdentifier(app)}`;
  },
  showGrantsToApplication(app: string): string {
    return `SHOW GRANTS TO APPLICATION ${quoteIdentifier(app)}`;
  },
  grantApplicationRole(app: string, role: string, accountRole: string): string {
    return `GRANT APPLICATION ROLE ${quoteName([app, role])} TO ROLE ${quoteIdentifier(accountRole)}`;
  },
  revokeApplicationRole(app: string, role: string, accountRole: string): string {
    return `REVOKE APPLICATION ROLE ${quoteName([app, role])} FROM ROLE ${quoteIdentifier(accountRole)}`;
  },
  /** Who holds an application role: one row per grantee (`granted_to`, `grantee_name`). */
  showGrantsOfApplicationRole(app: string, role: string): string {
    return `SHOW GRANTS OF APPLICATION ROLE ${quoteName([app, role])}`;
  },
};

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

/** What a statement was doing, for the error message, and what the role needs for it. */
export interface Operation {
  /** `creating application package EXAMPLE_PKG` */
  readonly what: string;
  /** `CREATE APPLICATION PACKAGE ON ACCOUNT`: shown when the role lacks a privilege. */
  readonly needs: string;
  /** The argument that names the object, shown when it already exists: `[packageName]`. */
  readonly argument?: string;
}

export interface FacadeContext {
  /** The session's role, named in privilege errors. */
  readonly role?: string;
  /** Values that must never appear in an error message. */
  readonly secrets?: readonly (string | undefined)[];
}

function errorCode(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === "number" || (typeof code === "string" && /^\d+$/.test(code))) return String(code).padStart(6, "0");
  return typeof code === "string" ? code : undefined;
}

/**
 * Classifies a driver error. `002003` (does not exist or not authorized), `003001` (insufficient
 * privileges) and `002002` (already exists) are the user's to fix and say how; anything else is
 * reported with Snowflake's code, SQL state and message.
 */
export function classifyError(error: unknown, operation: Operation, context: FacadeContext): SnowflakeFacadeError {
  const code = errorCode(error);
  const sqlState = (error as { sqlState?: unknown } | null)?.sqlState;
  const state = typeof sqlState === "string" ? sqlState : undefined;
  const secrets = context.secrets ?? [];
  // Redact the driver's text first, then collapse it: collapsing first changes a secret that
  // holds two spaces, a tab or a newline, so that it no longer matches itself.
  const original = redactText(error instanceof Error ? error.message : String(error), secrets);
  const said = original.replace(/\s+/g, " ").trim();
  const role = context.role === undefined ? "the session's role" : `role ${context.role}`;
  const kind: SnowflakeErrorKind = (code !== undefined ? ERROR_CODES[code] : undefined) ?? "unexpected";
  const messages: Record<SnowflakeErrorKind, () => string> = {
    not_found: () =>
      `${operation.what} failed: an object it uses does not exist, or ${role} is not allowed to see it (Snowflake ${code}: ${said}). ` +
      `Check the names, and that ${role} owns the object or was granted access to it.`,
    insufficient_privileges: () =>
      `${operation.what} failed: ${role} lacks a privilege (Snowflake ${code}: ${said}). ` +
      `It needs ${operation.needs}: grant it to ${role}, or set snowflake:role to a role that has it.`,
    already_exists: () =>
      `${operation.what} failed: the object already exists (Snowflake ${code}: ${said}). ` +
      `floe does not take over existing objects silently: drop it, or choose another name${operation.argument === undefined ? "" : ` with ${operation.argument}`}.`,
    login: () =>
      `${operation.what} failed: Snowflake refused the login (${code}: ${said}). ` +
      `Check snowflake:account, snowflake:user and the private key or password (or the connection in connections.toml).`,
    unexpected: () =>
      `${operation.what} failed with Snowflake error ${code ?? "(no code)"}${state === undefined ? "" : ` (SQL state ${state})`}: ${said}`,
  };
  return facadeError(kind, redactText(messages[kind](), secrets), code, state);
}

// ---------------------------------------------------------------------------------------------
// The facade
// ---------------------------------------------------------------------------------------------

/** Reads a column whatever the case Snowflake (or a stand-in) reports it in. */
export function column(row: Row, name: string): unknown {
  if (name in row) return row[name];
  const wanted = name.toLowerCase();
  for (const key of Object.keys(row)) if (key.toLowerCase() === wanted) return row[key];
  return undefined;
}

export interface VersionRow {
  readonly version: string;
  readonly patch: number;
}

export interface ApplicationRow {
  readonly name: string;
  readonly source: string | undefined;
  readonly version: string | undefined;
  readonly patch: number | undefined;
}

/** How a bundle path appears under the version directory in LIST output (`bundle/app/x.sql` → `x.sql`). */
export function stagedPath(listedName: string): string | undefined {
  const parts = listedName.split("/");
  const at = parts.indexOf(STAGE_DIRECTORY, 1);
  return at < 0 ? undefined : parts.slice(at + 1).join("/");
}

/** Argument types as SHOW PROCEDURES reports them (VARCHAR for STRING...), for comparing signatures. */
const TYPE_SYNONYMS: Readonly<Record<string, string>> = { STRING: "VARCHAR", TEXT: "VARCHAR", INT: "NUMBER", INTEGER: "NUMBER", BIGINT: "NUMBER", DECIMAL: "NUMBER", NUMERIC: "NUMBER", DOUBLE: "FLOAT", REAL: "FLOAT" };

/** `PUBLIC.NAME(VARIANT, VARCHAR)` from a signature with declared types, comparable with {@link procedureSignature}. */
export function normalSignature(signature: string): string {
  const open = signature.indexOf("(");
  const close = signature.lastIndexOf(")");
  if (open < 0 || close < open) return signature;
  const types = signature
    .slice(open + 1, close)
    // Lengths and precisions (VARCHAR(100), NUMBER(38, 0)) are not part of a signature.
    .replace(/\([^()]*\)/g, "")
    .split(",")
    .map((t) => t.trim().toUpperCase())
    .filter((t) => t.length > 0)
    .map((t) => TYPE_SYNONYMS[t] ?? t);
  return `${signature.slice(0, open)}(${types.join(", ")})`;
}

/** The signature of a SHOW PROCEDURES row: schema plus `NAME(TYPES)` of its `arguments` column (`NAME(VARIANT) RETURN VARIANT`). */
export function procedureSignature(schema: string, args: string): string | undefined {
  const head = args.split(" RETURN ")[0].trim();
  if (schema === "" || !/^[^(]+\(.*\)$/.test(head)) return undefined;
  return normalSignature(`${schema}.${head}`);
}

/** The SQL of every operation a provider performs, run through one runner. */
export class SnowflakeFacade {
  private readonly runner: SnowflakeRunner;
  private readonly context: FacadeContext;

  constructor(runner: SnowflakeRunner, context: FacadeContext = {}) {
    this.runner = runner;
    this.context = context;
  }

  /** Runs one statement; a failure becomes a classified, redacted SnowflakeFacadeError. */
  async run(sqlText: string, operation: Operation): Promise<Row[]> {
    try {
      return await this.runner.execute(sqlText);
    } catch (error) {
      throw classifyError(error, operation, this.context);
    }
  }

  /** Creates the package with the schema and stage that hold the bundle; returns the stage location. */
  async createApplicationPackage(pkg: string, comment: string, distribution: "INTERNAL" | "EXTERNAL"): Promise<string> {
    const owner = { needs: `ownership of application package ${pkg}` };
    await this.run(statements.createApplicationPackage(pkg, comment, distribution), {
      what: `Creating application package ${pkg}`,
      needs: "CREATE APPLICATION PACKAGE ON ACCOUNT",
      argument: "[packageName]",
    });
    await this.run(statements.createPackageSchema(pkg), { what: `Creating schema ${PACKAGE_SCHEMA} in application package ${pkg}`, ...owner });
    await this.run(statements.createPackageStage(pkg), { what: `Creating stage ${statements.stageName(pkg)}`, ...owner });
    return statements.stageLocation(pkg);
  }

  async setApplicationPackageComment(pkg: string, comment: string): Promise<void> {
    await this.run(statements.setPackageComment(pkg, comment), { what: `Changing the comment of application package ${pkg}`, needs: `ownership of application package ${pkg}` });
  }

  async setApplicationPackageDistribution(pkg: string, distribution: "INTERNAL" | "EXTERNAL"): Promise<void> {
    await this.run(statements.setPackageDistribution(pkg, distribution), {
      what: `Setting the distribution of application package ${pkg} to ${distribution}`,
      needs: `ownership of application package ${pkg}`,
    });
  }

  async applicationPackageExists(pkg: string): Promise<boolean> {
    const rows = await this.run(statements.showApplicationPackages(pkg), { what: `Looking up application package ${pkg}`, needs: "a role that can see the package" });
    return rows.some((row) => column(row, "name") === pkg);
  }

  async dropApplicationPackage(pkg: string): Promise<void> {
    await this.run(statements.dropApplicationPackage(pkg), { what: `Dropping application package ${pkg}`, needs: `ownership of application package ${pkg}` });
  }

  /**
   * Uploads one file to `location/path` with PUT (AUTO_COMPRESS = FALSE, OVERWRITE = TRUE). The
   * content goes through a temporary file named like the staged one, removed afterwards.
   */
  async putFile(location: string, path: string, content: string): Promise<void> {
    /* eslint-disable @typescript-eslint/no-require-imports */
    const fs = require("node:fs") as typeof import("node:fs");
    const os = require("node:os") as typeof import("node:os");
    const nodePath = require("node:path") as typeof import("node:path");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const slash = path.lastIndexOf("/");
    const directory = slash < 0 ? location : `${location}/${path.slice(0, slash)}`;
    const temp = fs.mkdtempSync(nodePath.join(os.tmpdir(), "floe-put-"));
    try {
      const local = nodePath.join(temp, path.slice(slash + 1));
      fs.writeFileSync(local, content);
      const uri = "file://" + local.split(nodePath.sep).join("/").replace(/^(?=[A-Za-z]:)/, "/");
      await this.run(statements.put(uri, directory), { what: `Uploading ${path} to ${directory}`, needs: `ownership of the stage ${location.split("/")[0].slice(1)} (or READ and WRITE on it)` });
    } finally {
      fs.rmSync(temp, { recursive: true, force: true });
    }
  }

  /** Removes one staged file. REMOVE matches a prefix, which is why floe refuses bundles where one path prefixes another. */
  async removeFile(location: string, path: string): Promise<void> {
    await this.run(statements.remove(`${location}/${path}`), { what: `Removing ${path} from ${location}`, needs: `ownership of the stage ${location.split("/")[0].slice(1)} (or WRITE on it)` });
  }

  /** The bundle paths staged under a location. */
  async listFiles(location: string): Promise<string[]> {
    const rows = await this.run(statements.list(location), { what: `Listing ${location}`, needs: `ownership of the stage ${location.split("/")[0].slice(1)} (or READ on it)` });
    const paths: string[] = [];
    for (const row of rows) {
      const path = stagedPath(String(column(row, "name") ?? ""));
      if (path !== undefined && path.length > 0) paths.push(path);
    }
    return paths.sort();
  }

  async versions(pkg: string): Promise<VersionRow[]> {
    const rows = await this.run(statements.showVersions(pkg), { what: `Listing the versions of application package ${pkg}`, needs: `ownership of application package ${pkg}` });
    return rows.map((row) => ({ version: String(column(row, "version")), patch: Number(column(row, "patch")) }));
  }

  /**
   * Adds the bundle at `location` as a new patch of `version`, or as the version itself when the
   * package does not have it yet. Never edits an existing patch. Returns the patch number.
   */
  async addVersionOrPatch(pkg: string, version: string, location: string): Promise<{ readonly added: "version" | "patch"; readonly patch: number }> {
    const known = (await this.versions(pkg)).some((v) => v.version === version);
    const needs = `ownership of application package ${pkg}`;
    const rows = known
      ? await this.run(statements.addPatch(pkg, version, location), { what: `Adding a patch for version ${version} of application package ${pkg}`, needs })
      : await this.run(statements.addVersion(pkg, version, location), { what: `Adding version ${version} to application package ${pkg}`, needs });
    // Snowflake answers ADD VERSION / ADD PATCH with the version and patch it made; when a
    // stand-in does not, the highest patch of the version is the one just added.
    const answered = rows.map((row) => column(row, "patch")).find((p) => p !== undefined && p !== null && `${p}` !== "");
    let patch = answered === undefined ? Number.NaN : Number(answered);
    if (!Number.isInteger(patch)) {
      const patches = (await this.versions(pkg)).filter((v) => v.version === version).map((v) => v.patch);
      patch = patches.length === 0 ? Number.NaN : Math.max(...patches);
    }
    if (!Number.isInteger(patch)) throw facadeError("unexpected", `Adding to version ${version} of application package ${pkg} succeeded, but SHOW VERSIONS does not list the version.`, undefined, undefined);
    return { added: known ? "patch" : "version", patch };
  }

  async createApplication(app: string, pkg: string, version: string, patch: number): Promise<void> {
    await this.run(statements.createApplication(app, pkg, version, patch), {
      what: `Creating application ${app} from application package ${pkg} (version ${version}, patch ${patch})`,
      needs: `CREATE APPLICATION ON ACCOUNT, and ownership of application package ${pkg} (or INSTALL and DEVELOP on it)`,
      argument: "[applicationName]",
    });
  }

  async upgradeApplication(app: string, version: string, patch: number): Promise<void> {
    await this.run(statements.upgradeApplication(app, version, patch), {
      what: `Upgrading application ${app} to version ${version}, patch ${patch}`,
      needs: `ownership of application ${app}, and DEVELOP on its application package`,
    });
  }

  async findApplication(app: string): Promise<ApplicationRow | undefined> {
    const rows = await this.run(statements.showApplications(app), { what: `Looking up application ${app}`, needs: "a role that can see the application" });
    const row = rows.find((r) => column(r, "name") === app);
    if (row === undefined) return undefined;
    const text = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
    const patch = column(row, "patch");
    return { name: app, source: text(column(row, "source")), version: text(column(row, "version")), patch: patch === undefined || patch === null || patch === "" ? undefined : Number(patch) };
  }

  /**
   * The live procedures of an application, by signature (`PUBLIC.NAME(VARIANT)`), each with the
   * content hash floe wrote into its COMMENT (`floe: ...; sha256:<hash>`), or `null` when the
   * comment holds none (a procedure floe did not create, or one replaced since).
   */
  async applicationProcedures(app: string): Promise<Map<string, string | null>> {
    const rows = await this.run(statements.showProceduresInApplication(app), { what: `Listing the procedures of application ${app}`, needs: `ownership of application ${app}` });
    const live = new Map<string, string | null>();
    for (const row of rows) {
      const signature = procedureSignature(String(column(row, "schema_name") ?? ""), String(column(row, "arguments") ?? ""));
      if (signature === undefined) continue;
      const hash = /\bsha256:([0-9a-f]{16})\b/.exec(String(column(row, "description") ?? ""));
      live.set(signature, hash === null ? null : hash[1]);
    }
    return live;
  }

  async dropApplication(app: string): Promise<void> {
    await this.run(statements.dropApplication(app), { what: `Dropping application ${app}`, needs: `ownership of application ${app}` });
  }

  async grantToApplication(privilege: string, app: string): Promise<void> {
    await this.run(statements.grantToApplication(privilege, app), {
      what: `Granting ${privilege} to application ${app}`,
      needs: `${privilege} WITH GRANT OPTION (ACCOUNTADMIN holds it; GRANT ${privilegeTarget(privilege).privilege} ON ${privilegeTarget(privilege).on} TO ROLE <role> WITH GRANT OPTION)`,
    });
  }

  async revokeFromApplication(privilege: string, app: string): Promise<void> {
    await this.run(statements.revokeFromApplication(privilege, app), {
      what: `Revoking ${privilege} from application ${app}`,
      needs: `${privilege} WITH GRANT OPTION, or to be the role that granted it`,
    });
  }

  /** Whether the application holds a privilege (SHOW GRANTS TO APPLICATION). */
  async applicationHolds(privilege: string, app: string): Promise<boolean> {
    const target = privilegeTarget(privilege);
    const rows = await this.run(statements.showGrantsToApplication(app), { what: `Listing the grants to application ${app}`, needs: `ownership of application ${app}` });
    const kind = target.on.split(" ")[0];
    return rows.some((row) => column(row, "privilege") === target.privilege && String(column(row, "granted_on") ?? "").toUpperCase() === kind);
  }

  async grantApplicationRole(app: string, role: string, accountRole: string): Promise<void> {
    await this.run(statements.grantApplicationRole(app, role, accountRole), {
      what: `Granting application role ${app}.${role} to role ${accountRole}`,
      needs: `ownership of application ${app} (its owner holds its application roles with grant option), and role ${accountRole} must exist`,
    });
  }

  async revokeApplicationRole(app: string, role: string, accountRole: string): Promise<void> {
    await this.run(statements.revokeApplicationRole(app, role, accountRole), {
      what: `Revoking application role ${app}.${role} from role ${accountRole}`,
      needs: `ownership of application ${app}`,
    });
  }

  /** Whether an account role holds an application role (SHOW GRANTS OF APPLICATION ROLE). */
  async applicationRoleGranted(app: string, role: string, accountRole: string): Promise<boolean> {
    const rows = await this.run(statements.showGrantsOfApplicationRole(app, role), { what: `Listing the grants of application role ${app}.${role}`, needs: `ownership of application ${app}` });
    return rows.some((row) => String(column(row, "granted_to") ?? "").toUpperCase() === "ROLE" && column(row, "grantee_name") === accountRole);
  }
}
