/**
 * Grants as the plan compares them: one (privilege, on, to) triple each, from two sources.
 *
 * - The bundle: what setup.sql grants to application roles (and, rarely, to anything else).
 * - The Pulumi program: grant resources, recognised by type (the `@pulumi/snowflake` grant
 *   resources) or, for dynamic providers (which all arrive as `pulumi-nodejs:dynamic:Resource`),
 *   by the shape of their inputs. A grant resource is reported as its grants, not as a resource,
 *   so renaming one without changing what it grants is not a grant change.
 *
 * Each recogniser is one row of GRANT_RESOURCES; a resource no row recognises is reported among
 * the other resource changes.
 */
import type { JsonValue } from "./json";
import { compareText } from "./json";
import type { ProgramResource, ProgramSnapshot } from "./program";
import type { Snapshot } from "./snapshot";

/** Who receives the grant: the app's own roles, roles and users of the account, or the application itself. */
export type GrantTarget = "application-role" | "account-role" | "application";

export const GRANT_TARGETS: readonly GrantTarget[] = ["application-role", "account-role", "application"];

export interface PlanGrant {
  readonly target: GrantTarget;
  /** `USAGE`, `EXECUTE TASK`, `APPLICATION ROLE "APP"."ADMIN"` (a role grant has no `on`). */
  readonly privilege: string;
  /** `PROCEDURE PUBLIC.X()`, `ACCOUNT`, `WAREHOUSE WH`; "" for a role granted to a role. */
  readonly on: string;
  /** `APPLICATION ROLE ADMIN`, `ROLE OPS`, `APPLICATION EXAMPLE_APP`. */
  readonly to: string;
  /** Bundle file, or `<resource type> <resource name>` for the program. */
  readonly source: string;
}

/** `GRANT <text>`: how a grant is shown. */
export function grantText(g: Pick<PlanGrant, "privilege" | "on" | "to">): string {
  return g.on === "" ? `${g.privilege} TO ${g.to}` : `${g.privilege} ON ${g.on} TO ${g.to}`;
}

export function grantIdentity(g: Pick<PlanGrant, "target" | "privilege" | "on" | "to">): string {
  return `${g.target}\0${g.to}\0${g.on}\0${g.privilege}`;
}

export function compareGrant(a: PlanGrant, b: PlanGrant): number {
  return (
    GRANT_TARGETS.indexOf(a.target) - GRANT_TARGETS.indexOf(b.target) ||
    compareText(a.to, b.to) ||
    compareText(a.on, b.on) ||
    compareText(a.privilege, b.privilege) ||
    compareText(a.source, b.source)
  );
}

function targetOf(to: string): GrantTarget {
  if (to.startsWith("APPLICATION ROLE ")) return "application-role";
  if (to.startsWith("APPLICATION ")) return "application";
  return "account-role";
}

/** The bundle's grants, as the setup script leaves them. */
export function bundleGrants(snapshot: Snapshot): PlanGrant[] {
  return snapshot.grants.map((g) => ({ target: targetOf(g.to), privilege: g.privilege, on: g.on, to: g.to, source: g.file }));
}

type Inputs = { readonly [key: string]: JsonValue };

function str(inputs: Inputs | undefined, key: string): string | undefined {
  const v = inputs?.[key];
  return typeof v === "string" && v !== "" ? v : undefined;
}

function obj(inputs: Inputs | undefined, key: string): Inputs | undefined {
  const v = inputs?.[key];
  return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Inputs) : undefined;
}

function list(inputs: Inputs, ...keys: string[]): string[] {
  for (const key of keys) {
    const v = inputs[key];
    if (typeof v === "string" && v !== "") return [v];
    if (Array.isArray(v)) return v.filter((x): x is string => typeof x === "string");
  }
  return [];
}

/** `ALL TABLES IN SCHEMA DB.S` and the like, for the bulk forms of the snowflake grant resources. */
function bulkObject(kind: "ALL" | "FUTURE", spec: Inputs): string {
  const where = str(spec, "inSchema") !== undefined ? `SCHEMA ${str(spec, "inSchema")}` : `DATABASE ${str(spec, "inDatabase") ?? "?"}`;
  return `${kind} ${str(spec, "objectTypePlural") ?? "OBJECTS"} IN ${where}`;
}

/** The object clause of GrantPrivilegesToAccountRole / GrantPrivilegesToDatabaseRole. */
function privilegeObject(inputs: Inputs): string {
  if (inputs.onAccount === true) return "ACCOUNT";
  const accountObject = obj(inputs, "onAccountObject");
  if (accountObject !== undefined) return `${str(accountObject, "objectType") ?? "OBJECT"} ${str(accountObject, "objectName") ?? "?"}`;
  const database = str(inputs, "onDatabase");
  if (database !== undefined) return `DATABASE ${database}`;
  const schema = obj(inputs, "onSchema");
  if (schema !== undefined) {
    if (str(schema, "schemaName") !== undefined) return `SCHEMA ${str(schema, "schemaName")}`;
    if (str(schema, "allSchemasInDatabase") !== undefined) return `ALL SCHEMAS IN DATABASE ${str(schema, "allSchemasInDatabase")}`;
    return `FUTURE SCHEMAS IN DATABASE ${str(schema, "futureSchemasInDatabase") ?? "?"}`;
  }
  const schemaObject = obj(inputs, "onSchemaObject");
  if (schemaObject !== undefined) {
    if (str(schemaObject, "objectName") !== undefined) return `${str(schemaObject, "objectType") ?? "OBJECT"} ${str(schemaObject, "objectName")}`;
    const all = obj(schemaObject, "all");
    if (all !== undefined) return bulkObject("ALL", all);
    const future = obj(schemaObject, "future");
    if (future !== undefined) return bulkObject("FUTURE", future);
  }
  return "?";
}

function privilegesOf(inputs: Inputs): string[] {
  const names = inputs.allPrivileges === true ? ["ALL PRIVILEGES"] : list(inputs, "privileges", "privilege");
  return names.map((p) => (inputs.withGrantOption === true ? `${p} WITH GRANT OPTION` : p));
}

type Recogniser = (inputs: Inputs) => Omit<PlanGrant, "source">[];

/** `@pulumi/snowflake` grant resources (and floe's application-role grant) by type token. */
const GRANT_RESOURCES: Readonly<Record<string, Recogniser>> = {
  "snowflake:index/grantPrivilegesToAccountRole:GrantPrivilegesToAccountRole": (inputs) =>
    privilegesOf(inputs).map((privilege) => ({ target: "account-role", privilege, on: privilegeObject(inputs), to: `ROLE ${str(inputs, "accountRoleName") ?? "?"}` })),
  "snowflake:index/grantPrivilegesToDatabaseRole:GrantPrivilegesToDatabaseRole": (inputs) =>
    privilegesOf(inputs).map((privilege) => ({ target: "account-role", privilege, on: privilegeObject(inputs), to: `DATABASE ROLE ${str(inputs, "databaseRoleName") ?? "?"}` })),
  "snowflake:index/grantApplicationRole:GrantApplicationRole": (inputs) => {
    const privilege = `APPLICATION ROLE ${str(inputs, "applicationRoleName") ?? "?"}`;
    const role = str(inputs, "parentAccountRoleName");
    if (role !== undefined) return [{ target: "account-role", privilege, on: "", to: `ROLE ${role}` }];
    return [{ target: "application", privilege, on: "", to: `APPLICATION ${str(inputs, "applicationName") ?? "?"}` }];
  },
  // floe's own (ConnectorApp's role grants): GRANT APPLICATION ROLE app.role TO ROLE r.
  "pulumi-nodejs:dynamic/floe:ApplicationRoleGrant": (inputs) => [
    { target: "account-role", privilege: `APPLICATION ROLE ${str(inputs, "application") ?? "?"}.${str(inputs, "applicationRole") ?? "?"}`, on: "", to: `ROLE ${str(inputs, "accountRole") ?? "?"}` },
  ],
  "snowflake:index/grantAccountRole:GrantAccountRole": (inputs) => {
    const privilege = `ROLE ${str(inputs, "roleName") ?? "?"}`;
    const user = str(inputs, "userName");
    return [{ target: "account-role", privilege, on: "", to: user !== undefined ? `USER ${user}` : `ROLE ${str(inputs, "parentRoleName") ?? "?"}` }];
  },
  "snowflake:index/grantDatabaseRole:GrantDatabaseRole": (inputs) => {
    const privilege = `DATABASE ROLE ${str(inputs, "databaseRoleName") ?? "?"}`;
    const to = str(inputs, "parentRoleName") !== undefined ? `ROLE ${str(inputs, "parentRoleName")}` : str(inputs, "parentDatabaseRoleName") !== undefined ? `DATABASE ROLE ${str(inputs, "parentDatabaseRoleName")}` : `SHARE ${str(inputs, "shareName") ?? "?"}`;
    return [{ target: "account-role", privilege, on: "", to }];
  },
  "snowflake:index/grantOwnership:GrantOwnership": (inputs) => {
    const to = str(inputs, "accountRoleName") !== undefined ? `ROLE ${str(inputs, "accountRoleName")}` : `DATABASE ROLE ${str(inputs, "databaseRoleName") ?? "?"}`;
    return [{ target: "account-role", privilege: "OWNERSHIP", on: privilegeObject(inputs), to }];
  },
};

const APPLICATION_KEYS = ["application", "applicationName", "app", "appName"];
const ROLE_KEYS = ["accountRoleName", "roleName", "role"];

/**
 * Any other resource (dynamic providers above all) is a grant when its inputs name privileges
 * and a grantee: `{ privileges: [...], application: "APP" }` grants to the application,
 * `{ privileges: [...], accountRoleName: "R" }` to a role. `on` defaults to ACCOUNT, which is
 * where an application's privileges live.
 */
function recogniseByShape(inputs: Inputs): Omit<PlanGrant, "source">[] {
  const privileges = privilegesOf(inputs);
  if (privileges.length === 0) return [];
  const on = str(inputs, "on") ?? (obj(inputs, "onAccountObject") !== undefined || obj(inputs, "onSchema") !== undefined ? privilegeObject(inputs) : "ACCOUNT");
  const application = APPLICATION_KEYS.map((k) => str(inputs, k)).find((v) => v !== undefined);
  if (application !== undefined) return privileges.map((privilege) => ({ target: "application", privilege, on, to: `APPLICATION ${application}` }));
  const role = ROLE_KEYS.map((k) => str(inputs, k)).find((v) => v !== undefined);
  if (role !== undefined) return privileges.map((privilege) => ({ target: "account-role", privilege, on, to: `ROLE ${role}` }));
  return [];
}

/** The grants a resource stands for, or [] when it is not a grant. */
export function resourceGrants(resource: ProgramResource): PlanGrant[] {
  const inputs = resource.inputs !== null && typeof resource.inputs === "object" && !Array.isArray(resource.inputs) ? (resource.inputs as Inputs) : {};
  const recognise = GRANT_RESOURCES[resource.type] ?? (resource.custom ? recogniseByShape : () => []);
  return recognise(inputs).map((g) => ({ ...g, source: `${resource.type} ${resource.name}` }));
}

/** The program's grants, and the keys of the resources that are grants. */
export function programGrants(program: ProgramSnapshot | null): { grants: PlanGrant[]; grantKeys: Set<string> } {
  const grants: PlanGrant[] = [];
  const grantKeys = new Set<string>();
  for (const resource of program?.resources ?? []) {
    const found = resourceGrants(resource);
    if (found.length === 0) continue;
    grants.push(...found);
    grantKeys.add(resource.key);
  }
  return { grants, grantKeys };
}
