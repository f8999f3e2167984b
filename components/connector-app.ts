/**
 * ConnectorApp: a rendered connector (floe's Native App bundle) deployed as an application
 * package, its staged files, a version/patch, the application installed from it, the account
 * privileges granted to the application and the application roles granted to account roles.
 */
import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import * as snowflake from "@pulumi/snowflake";
import type { ConnectorDefinition } from "../generators/definition";
import { FloeError } from "../errors";
import { originText } from "../generators/model";
import { renderConnector, type RenderedApp } from "../generators/pipeline";
import { connectionFromToml } from "../snowflake/connection";
import { checkConnection, connectionFromConfig, withSecretFields, type SnowflakeConnectionArgs } from "./connection";
import { Application, ApplicationPackage, ApplicationPrivilege, ApplicationRoleGrant, PackageVersion, StageFile } from "./resources";
import { normalSignature } from "../snowflake/facade";
import { statements } from "../snowflake/statements";
import type { SnowflakeConnection } from "../snowflake/driver";

export interface ConnectorAppArgs {
  /**
   * The rendered connector, as `renderConnector(definition)` returns it (or use
   * {@link ConnectorApp.fromDefinition}). Every file of its bundle is staged.
   */
  readonly rendered: RenderedApp;
  /**
   * How to reach Snowflake. Default: the stack config (`snowflake:account`, `snowflake:user`,
   * secret `snowflake:privateKey` or `snowflake:password`..., or `floe:connection`), see
   * `connectionFromConfig`. Only one of [connection], [connectionName].
   */
  readonly connection?: SnowflakeConnectionArgs;
  /** A connection of connections.toml / config.toml, found as the Snowflake CLI finds it. */
  readonly connectionName?: string;
  /** The application package. Default `<connector name>_PKG`. */
  readonly packageName?: string;
  /** The application. Default the connector's name. */
  readonly applicationName?: string;
  /** Default `INTERNAL` (only your organization's accounts may install it). */
  readonly distribution?: "INTERNAL" | "EXTERNAL";
  /**
   * Account roles granted each application role, e.g. `{ ADMIN: ["CONNECTOR_ADMIN"] }` so that
   * CONNECTOR_ADMIN may call RESUME_CONNECTOR. A role may be given by name or as the
   * `snowflake.AccountRole` that manages it (then the grant waits for it). Default `{}`.
   */
  readonly roles?: Readonly<Record<string, readonly AccountRoleRef[]>>;
  /**
   * Manifest privileges granted to the application (`GRANT ... ON ACCOUNT TO APPLICATION`).
   * Default: every privilege the manifest requests (manifest version 1); none for manifest
   * version 2, which grants them at install.
   */
  readonly privileges?: readonly string[];
  /**
   * Lets a change that needs a new application (another name or package) drop the application
   * and create it again, losing the connector's state. Default false: such a change fails the
   * preview with a message saying why.
   */
  readonly allowReplace?: boolean;
}

/** An account role: its name, or the @pulumi/snowflake resource that manages it. */
export type AccountRoleRef = string | snowflake.AccountRole;

/** A procedure of the app and the hash of what defines it. */
export interface ProcedureSummary {
  readonly signature: string;
  /** sha256 of signature, returns, language, EXECUTE AS and body (16 hex digits). */
  readonly hash: string;
  /** Bundle file that defines it. */
  readonly file: string;
  /** `hook hooks/resume.ts:41`, `lifecycle resumeConnector`, `override overrides/x.sql`, `default hook`. */
  readonly origin: string;
}

/** One grant, read as `GRANT <privilege> [ON <on>] TO <to>`. */
export interface GrantSummary {
  readonly privilege: string;
  readonly on: string;
  readonly to: string;
  /** `bundle`: made by the setup script; `pulumi`: a resource of this component. */
  readonly by: "bundle" | "pulumi";
}

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;
const SAFE_PATH = /^[A-Za-z0-9_][A-Za-z0-9_.-]*(\/[A-Za-z0-9_][A-Za-z0-9_.-]*)*$/;

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

/** The hash of a whole bundle: sorted paths with their content hashes. */
export function bundleHash(files: Readonly<Record<string, string>>): string {
  return sha256(Object.keys(files).sort().map((p) => `${p}\0${files[p]}\n`).join(""));
}

/**
 * The procedures a refresh checks, by signature with their content hashes: those floe renders,
 * whose COMMENT carries the hash. An override is the user's own SQL, with no such comment.
 */
function checkedProcedures(procedures: RenderedApp["model"]["procedures"]): Record<string, string> {
  const checked: Record<string, string> = {};
  for (const p of procedures) if (p.origin.kind !== "override") checked[normalSignature(p.signature)] = p.hash;
  return checked;
}

/** What names an account role in a resource name: its name, or the Pulumi name of its resource. */
function accountRoleKey(role: AccountRoleRef): string {
  return typeof role === "string" ? role : pulumi.resourceName(role);
}

function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}

function checkRendered(rendered: unknown): RenderedApp {
  const r = rendered as Partial<RenderedApp> | undefined;
  if (r === null || typeof r !== "object" || r.model === undefined || !(r.bundle instanceof Map) || !r.bundle.has("setup.sql") || !r.bundle.has("manifest.yml")) {
    throw new FloeError("[rendered] must be what renderConnector(definition) returns: a model and a bundle holding setup.sql and manifest.yml.");
  }
  const paths = [...r.bundle.keys()];
  for (const p of paths) {
    if (!SAFE_PATH.test(p)) throw new FloeError(`[rendered] bundle path ${JSON.stringify(p)} must be a relative path of letters, digits, '_', '-' and '.', separated by '/'.`);
  }
  for (const p of paths) {
    const prefixed = paths.find((other) => other !== p && other.startsWith(p));
    // REMOVE @stage/path removes every file whose name starts with path.
    if (prefixed !== undefined) throw new FloeError(`[rendered] bundle path ${p} is a prefix of ${prefixed}: removing one from the stage would remove both.`);
  }
  return r as RenderedApp;
}

/** The arguments checked, mutually exclusive ones first, with their defaults applied. */
function resolveArgs(args: ConnectorAppArgs) {
  if (args === null || typeof args !== "object") throw new FloeError("ConnectorApp needs its args: { rendered, ... }.");
  if (args.connection !== undefined && args.connectionName !== undefined) throw new FloeError("Only one of [connection], [connectionName] may be given.");

  const rendered = checkRendered(args.rendered);
  const model = rendered.model;
  const packageName = args.packageName ?? `${model.name}_PKG`;
  const applicationName = args.applicationName ?? model.name;
  const distribution = args.distribution ?? "INTERNAL";
  const roles = args.roles ?? {};
  const manifestPrivileges = model.privileges.map((p) => p.name);
  const privileges = args.privileges ?? (model.manifestVersion === 2 ? [] : manifestPrivileges);
  const allowReplace = args.allowReplace ?? false;

  for (const [argument, value] of [["[packageName]", packageName], ["[applicationName]", applicationName]] as const) {
    if (typeof value !== "string" || !IDENTIFIER.test(value)) {
      throw new FloeError(`${argument} must be an identifier (letters, digits, _ and $, starting with a letter or _), got ${JSON.stringify(value)}.`);
    }
  }
  if (packageName === applicationName) throw new FloeError(`[applicationName] must differ from [packageName]; both are ${packageName}.`);
  if (distribution !== "INTERNAL" && distribution !== "EXTERNAL") throw new FloeError(`[distribution] must be INTERNAL or EXTERNAL, got ${JSON.stringify(distribution)}.`);
  if (roles === null || typeof roles !== "object" || Array.isArray(roles)) {
    throw new FloeError('[roles] must map application roles to account roles, e.g. { ADMIN: ["CONNECTOR_ADMIN"] }.');
  }
  for (const [appRole, accountRoles] of Object.entries(roles)) {
    if (!model.roles.includes(appRole)) {
      throw new FloeError(`[roles] ${appRole} is not an application role of ${model.name}; its roles are ${model.roles.join(", ")}.`);
    }
    if (!Array.isArray(accountRoles) || accountRoles.some((r) => !(typeof r === "string" ? r.length > 0 : snowflake.AccountRole.isInstance(r)))) {
      throw new FloeError(`[roles] ${appRole} must be a list of account roles, by name or as snowflake.AccountRole resources, e.g. ["CONNECTOR_ADMIN"].`);
    }
    const keys = accountRoles.map(accountRoleKey);
    if (new Set(keys).size !== keys.length) throw new FloeError(`[roles] ${appRole} lists an account role twice.`);
  }
  if (!Array.isArray(privileges)) throw new FloeError('[privileges] must be a list of manifest privileges, e.g. ["EXECUTE TASK"].');
  if (model.manifestVersion === 2 && args.privileges !== undefined && args.privileges.length > 0) {
    throw new FloeError(`[privileges] must be left out for manifest version 2: Snowflake grants ${manifestPrivileges.join(", ") || "the manifest's privileges"} at install.`);
  }
  for (const privilege of privileges) {
    if (!manifestPrivileges.includes(privilege)) {
      throw new FloeError(
        `[privileges] ${JSON.stringify(privilege)} is not requested by the manifest of ${model.name} (it requests ${manifestPrivileges.join(", ") || "none"}); add it to the connector definition's privileges first.`,
      );
    }
  }
  if (new Set(privileges).size !== privileges.length) throw new FloeError("[privileges] lists a privilege twice.");
  if (typeof allowReplace !== "boolean") throw new FloeError(`[allowReplace] must be true or false, got ${JSON.stringify(allowReplace)}.`);
  if (args.connectionName !== undefined && (typeof args.connectionName !== "string" || args.connectionName.length === 0)) {
    throw new FloeError("[connectionName] must be the name of a connection in connections.toml.");
  }
  return { rendered, packageName, applicationName, distribution, roles, privileges, allowReplace };
}

/**
 * A connector app deployed from its rendered bundle.
 *
 * ```ts
 * const rendered = await renderConnector(connector);
 * const app = new ConnectorApp("example", { rendered, roles: { ADMIN: ["CONNECTOR_ADMIN"] } });
 * ```
 * registers `example-package`, `example-file-setup.sql` (one per bundle file),
 * `example-version`, `example-app`, `example-privilege-execute-task` and
 * `example-role-ADMIN-CONNECTOR_ADMIN`. Changing a hook changes one staged file (setup.sql),
 * adds a patch and upgrades the application; nothing is replaced.
 */
export class ConnectorApp extends pulumi.ComponentResource {
  declare readonly packageName: pulumi.Output<string>;
  declare readonly applicationName: pulumi.Output<string>;
  /** `@PKG.FLOE.BUNDLE/app` */
  declare readonly stageLocation: pulumi.Output<string>;
  declare readonly version: pulumi.Output<string>;
  declare readonly patch: pulumi.Output<number>;
  /** Bundle path → sha256 of the staged content. */
  declare readonly files: pulumi.Output<Record<string, string>>;
  declare readonly procedures: pulumi.Output<ProcedureSummary[]>;
  declare readonly grants: pulumi.Output<GrantSummary[]>;

  readonly applicationPackage: ApplicationPackage;
  /** By bundle path. */
  readonly stageFiles: ReadonlyMap<string, StageFile>;
  readonly packageVersion: PackageVersion;
  readonly application: Application;
  readonly privilegeGrants: readonly ApplicationPrivilege[];
  readonly roleGrants: readonly ApplicationRoleGrant[];

  /** Renders the connector (hooks, templates, manifest), then declares the app. */
  static async fromDefinition(name: string, definition: ConnectorDefinition, args: Omit<ConnectorAppArgs, "rendered"> = {}, opts?: pulumi.ComponentResourceOptions): Promise<ConnectorApp> {
    const rendered = await renderConnector(definition);
    return new ConnectorApp(name, { ...args, rendered }, opts);
  }

  constructor(name: string, args: ConnectorAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super("floe:connector:ConnectorApp", name, {}, opts);
    const { rendered, packageName, applicationName, distribution, roles, privileges, allowReplace } = resolveArgs(args);
    const model = rendered.model;

    const connectionArgs: SnowflakeConnectionArgs =
      args.connection ?? (args.connectionName !== undefined ? withSecretFields(connectionFromToml(args.connectionName)) : connectionFromConfig());
    checkConnection(connectionArgs);
    // One secret value for the dynamic resources: the whole connection is secret in their
    // inputs and state, and nothing else carries a credential.
    const connection = pulumi.secret(pulumi.output(connectionArgs)) as pulumi.Output<SnowflakeConnection>;

    for (const warning of model.warnings) pulumi.log.warn(warning, this);

    const location = statements.stageLocation(packageName);
    const hashes: Record<string, string> = {};
    for (const [path, content] of [...rendered.bundle.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) hashes[path] = sha256(content);
    const allFilesHash = bundleHash(hashes);

    const child = { parent: this };
    this.applicationPackage = new ApplicationPackage(`${name}-package`, { connection, name: packageName, comment: model.description, distribution }, child);

    const stageFiles = new Map<string, StageFile>();
    for (const [path, content] of rendered.bundle) {
      stageFiles.set(
        path,
        new StageFile(`${name}-file-${path}`, { connection, location, path, content, hash: hashes[path] }, { ...child, dependsOn: [this.applicationPackage], deletedWith: this.applicationPackage }),
      );
    }
    this.stageFiles = stageFiles;

    this.packageVersion = new PackageVersion(
      `${name}-version`,
      { connection, packageName, location, version: model.version, files: hashes, bundleHash: allFilesHash },
      { ...child, dependsOn: [...stageFiles.values()] },
    );

    this.application = new Application(
      `${name}-app`,
      { connection, name: applicationName, packageName, version: model.version, patch: this.packageVersion.patch, allowReplace, procedures: checkedProcedures(model.procedures) },
      { ...child, dependsOn: [this.packageVersion] },
    );

    // A re-created application has lost its grants: replaceWith makes them follow, deletedWith
    // skips revoking from an application that is being dropped anyway.
    const grantOptions = { ...child, dependsOn: [this.application], deletedWith: this.application, replaceWith: [this.application] };
    this.privilegeGrants = privileges.map(
      (privilege) => new ApplicationPrivilege(`${name}-privilege-${slug(privilege)}`, { connection, application: applicationName, privilege }, { ...grantOptions, deleteBeforeReplace: true }),
    );

    const roleGrants: ApplicationRoleGrant[] = [];
    const pairs = Object.entries(roles).flatMap(([appRole, accountRoles]) => accountRoles.map((accountRole) => [appRole, accountRole] as const));
    for (const [appRole, accountRole] of pairs) {
      roleGrants.push(
        new ApplicationRoleGrant(
          `${name}-role-${appRole}-${accountRoleKey(accountRole)}`,
          { connection, application: applicationName, applicationRole: appRole, accountRole: typeof accountRole === "string" ? accountRole : accountRole.name },
          { ...grantOptions, deleteBeforeReplace: true },
        ),
      );
    }
    this.roleGrants = roleGrants;

    const grants: pulumi.Input<GrantSummary>[] = [
      ...model.grants.map((g) => ({ privilege: g.privilege, on: g.on, to: g.to, by: "bundle" as const })),
      ...privileges.map((p) => ({ privilege: p, on: "ACCOUNT", to: `APPLICATION ${applicationName}`, by: "pulumi" as const })),
      ...pairs.map(([appRole, accountRole]) =>
        pulumi
          .output(typeof accountRole === "string" ? accountRole : accountRole.name)
          .apply((role) => ({ privilege: "APPLICATION ROLE", on: `${applicationName}.${appRole}`, to: `ROLE ${role}`, by: "pulumi" as const })),
      ),
    ];
    this.packageName = pulumi.output(packageName);
    this.applicationName = this.application.name;
    this.stageLocation = this.applicationPackage.location;
    this.version = this.packageVersion.version;
    this.patch = this.packageVersion.patch;
    this.files = pulumi.output(hashes);
    this.procedures = pulumi.output(model.procedures.map((p) => ({ signature: p.signature, hash: p.hash, file: p.file, origin: originText(p.origin) })));
    this.grants = pulumi.all(grants);

    this.registerOutputs({
      packageName: this.packageName,
      applicationName: this.applicationName,
      stageLocation: this.stageLocation,
      version: this.version,
      patch: this.patch,
      files: this.files,
      procedures: this.procedures,
      grants: this.grants,
    });
  }
}
