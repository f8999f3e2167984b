/**
 * The Snowflake facade: the one module that runs the statements floe sends from Node — the
 * Pulumi providers, `floe simulate` and `floe demo`, the deployer and the sandbox harness — and
 * turns Snowflake's errors into messages saying what to do (errors.ts).
 *
 * Statements are written by statements.ts and go through an injected {@link SnowflakeRunner}: a
 * snowflake-sdk session (driver.ts) in production and against the sandbox, a recording fake in
 * tests. Nothing here splices user text into SQL.
 *
 * SERIALIZATION RULE: this module and what it imports (statements.ts, errors.ts, driver.ts,
 * lifecycle/sql-text.ts, errors/redact.ts) are captured by value into the dynamic providers'
 * serialized closures (see docs/pulumi.md). They may import local modules and types only; Node
 * built-ins and npm packages are `require`d inside the functions that use them. A top-level
 * value import of either breaks `pulumi.runtime.serializeFunction` under vitest and drags whole
 * modules into the serialized text under `pulumi up`.
 *
 * snowflake/ is floe's one Snowflake layer: the snowflake-sdk driver, this facade and its
 * statements, connection settings, shared sessions and the bundle deployer. May import: errors,
 * lifecycle, sql, generators.
 */
import type { SqlBind } from "../lifecycle/hook-api";
import { classifyError, facadeError, type FacadeContext, type Operation } from "./errors";
import { PACKAGE_SCHEMA, privilegeTarget, STAGE_DIRECTORY, statements } from "./statements";

/** A value bound to a `?` placeholder: the same type hooks bind. */
export type { SqlBind };

/** One result row, keyed by the column names Snowflake reports (SHOW commands use lower case). */
export type Row = Readonly<Record<string, unknown>>;

/**
 * Runs statements against Snowflake (or a stand-in). Each call is one statement. A PUT statement
 * uploads the local file it names: the snowflake-sdk driver does that itself when it executes
 * the statement, and a fake runner reads the file while the statement runs.
 */
export interface SnowflakeRunner {
  execute(sqlText: string, binds?: readonly SqlBind[]): Promise<Row[]>;
  /** Ends the session, or hands a shared one back (driver.ts). */
  close(): Promise<void>;
}

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
  async run(sqlText: string, operation: Operation, binds?: readonly SqlBind[]): Promise<Row[]> {
    try {
      return await this.runner.execute(sqlText, binds);
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
    await this.putFiles(location, [[path, content]]);
  }

  /**
   * Uploads files to `location`, one PUT per stage directory: the files of a directory are
   * written to a temporary folder of their own and sent with a wildcard (`file:///tmp/x/*`), so
   * a bundle of a dozen files in three directories costs three round trips, not a dozen. A
   * directory with a single file is sent by that file's own name.
   */
  async putFiles(location: string, files: Iterable<readonly [string, string]>): Promise<void> {
    const byDirectory = new Map<string, [string, string][]>();
    for (const [path, content] of files) {
      const slash = path.lastIndexOf("/");
      const directory = slash < 0 ? "" : path.slice(0, slash);
      byDirectory.set(directory, [...(byDirectory.get(directory) ?? []), [path.slice(slash + 1), content]]);
    }
    for (const [directory, entries] of byDirectory) await this.putDirectory(location, directory, entries);
  }

  /** One PUT of `entries` (name, content) into `directory` of the stage at `location`. */
  private async putDirectory(location: string, directory: string, entries: readonly [string, string][]): Promise<void> {
    /* eslint-disable @typescript-eslint/no-require-imports -- SERIALIZATION RULE (header): Node built-ins are required where used */
    const fs = require("node:fs") as typeof import("node:fs");
    const os = require("node:os") as typeof import("node:os");
    const nodePath = require("node:path") as typeof import("node:path");
    /* eslint-enable @typescript-eslint/no-require-imports */
    const target = directory === "" ? location : `${location}/${directory}`;
    const temp = fs.mkdtempSync(nodePath.join(os.tmpdir(), "floe-put-"));
    try {
      for (const [name, content] of entries) fs.writeFileSync(nodePath.join(temp, name), content);
      const local = entries.length === 1 ? nodePath.join(temp, entries[0][0]) : nodePath.join(temp, "*");
      const uri = "file://" + local.split(nodePath.sep).join("/").replace(/^(?=[A-Za-z]:)/, "/");
      const shown = entries.length === 1 ? (directory === "" ? entries[0][0] : `${directory}/${entries[0][0]}`) : entries.map(([name]) => name).join(", ");
      await this.run(statements.put(uri, target), { what: `Uploading ${shown} to ${target}`, needs: `ownership of the stage ${location.split("/")[0].slice(1)} (or READ and WRITE on it)` });
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

  /** The ids of the prerequisites an application lists, in the order it lists them. */
  async prerequisites(app: string): Promise<string[]> {
    const rows = await this.run(statements.selectPrerequisites(app), { what: `Listing the prerequisites of application ${app}`, needs: `an application role of ${app} that may read PUBLIC.PREREQUISITES` });
    return rows.map((row) => String(column(row, "ID")));
  }

  /**
   * Calls a procedure of an application and returns its answer (the one column of the one row):
   * `argumentsSql` is the argument list as placeholders and expressions, `binds` their values.
   */
  async callProcedure(app: string, procedure: string, argumentsSql = "", binds: readonly SqlBind[] = []): Promise<unknown> {
    const rows = await this.run(statements.callProcedure(app, "PUBLIC", procedure, argumentsSql), { what: `Calling ${app}.PUBLIC.${procedure}`, needs: `an application role of ${app} that is granted USAGE on the procedure` }, binds);
    const first = rows[0];
    return first === undefined ? undefined : column(first, procedure);
  }
}
