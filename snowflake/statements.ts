/**
 * The statements floe sends from Node to Snowflake: pure functions of their arguments, so that
 * tests and the CLI can show exactly what a provider, a deploy or a harness will run. The
 * facade (facade.ts) runs them; nothing else writes Snowflake statements in Node.
 * Identifiers and literals are quoted by lifecycle/sql-text.ts only.
 *
 * SERIALIZATION RULE (see facade.ts): captured by value into the dynamic providers.
 */
import { quoteIdentifier, quoteName, quoteString } from "../lifecycle/sql-text";

/** Where the application package keeps the bundle: schema FLOE, stage BUNDLE, directory app. */
export const PACKAGE_SCHEMA = "FLOE";
export const PACKAGE_STAGE = "BUNDLE";
export const STAGE_DIRECTORY = "app";

/** Privileges floe may grant to an application, and what they are granted on. */
const PRIVILEGE_TARGETS: Readonly<Record<string, { readonly privilege: string; readonly on: string }>> = {
  "IMPORTED PRIVILEGES ON SNOWFLAKE DB": { privilege: "IMPORTED PRIVILEGES", on: "DATABASE SNOWFLAKE" },
};

const PRIVILEGE_WORDS = /^[A-Z]+( [A-Z]+)*$/;

function patchNumber(patch: number): string {
  if (!Number.isInteger(patch) || patch < 0) throw new Error(`A patch number must be a whole number >= 0, got ${JSON.stringify(patch)}.`);
  return String(patch);
}

/** `GRANT <privilege> ON <target>`: the privilege words are checked, never quoted. */
export function privilegeTarget(privilege: string): { privilege: string; on: string } {
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
  /**
   * PUT of one local file into a stage directory; the stage keeps the local file's name. A `*`
   * in the URI's last segment uploads every file it matches (the driver expands it).
   */
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
  /** The prerequisites an application lists for its consumer (`PUBLIC.PREREQUISITES`, the SDK's view). */
  selectPrerequisites(app: string): string {
    return `SELECT ID FROM ${quoteName([app, "PUBLIC", "PREREQUISITES"])}`;
  },
  /**
   * `CALL <app>.<schema>.<procedure>(<arguments>)`: `argumentsSql` is the argument list as SQL,
   * placeholders and expressions (`PARSE_JSON(?)`), never values; values go as binds.
   */
  callProcedure(app: string, schema: string, procedure: string, argumentsSql: string): string {
    return `CALL ${quoteName([app, schema, procedure])}(${argumentsSql})`;
  },
};
