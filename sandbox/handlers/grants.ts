/**
 * Grants: account privileges to an application, an application's privileges to its own
 * application roles (inside its setup script), and application roles to account roles.
 */
import type { CatalogStatement, GrantObject } from "../../sql/statements";
import { quoteName } from "../../lifecycle/sql-text";
import { insufficientPrivileges, sameArgumentTypes, type ObjectGrant } from "../catalog";
import type { Context } from "../session";
import { objectNotFound, syntaxError, UnsupportedError, type QueryResult } from "../types";
import { findProcedure, keyOf, resolve, status, type Env } from "./scope";

export function grant(env: Env, ctx: Context, s: Extract<CatalogStatement, { kind: "grant" | "revoke" }>): QueryResult {
  const add = s.kind === "grant";
  if (s.to.kind === "APPLICATION") {
    if (s.on.kind !== "ACCOUNT") throw new UnsupportedError(`granting ${s.on.kind} privileges to an application`);
    if (ctx.application !== undefined) throw insufficientPrivileges("the account: an application cannot grant itself account privileges");
    env.access.checkAccountGrant(ctx);
    const app = env.catalog.application(keyOf(s.to.name));
    for (const p of s.privileges) {
      if (add) app.application.accountPrivileges.add(p);
      else app.application.accountPrivileges.delete(p);
    }
    return status("Statement executed successfully.");
  }
  if (s.to.kind !== "APPLICATION ROLE") throw new UnsupportedError(`GRANT ... TO ${s.to.kind}`);
  const app = ctx.application?.application;
  if (app === undefined || ctx.application === undefined) {
    throw new UnsupportedError("granting to application roles outside an application's setup script");
  }
  const role = keyOf(s.to.name);
  if (!app.roles.has(role)) throw objectNotFound("Application role", quoteName(s.to.name));
  const on = s.on as Exclude<GrantObject, { kind: "ACCOUNT" }>;
  if (on.kind === "PROCEDURE") {
    const found = findProcedure(env, ctx, on.name, on.signature?.length ?? 0);
    if (!sameArgumentTypes(found.procedure.args, on.signature ?? [])) {
      throw objectNotFound("Procedure", `${quoteName(on.name)}(${(on.signature ?? []).join(", ")})`);
    }
    if (add) found.procedure.grants.add(role);
    else found.procedure.grants.delete(role);
    return status("Statement executed successfully.");
  }
  let target: { readonly kind: "SCHEMA" | "VIEW" | "TABLE"; readonly schema: string; readonly name?: string };
  if (on.kind === "SCHEMA") {
    const database = on.name.length === 2 ? on.name[0] : ctx.application.name;
    if (database !== ctx.application.name) throw insufficientPrivileges(`schema '${quoteName(on.name)}': an application grants only its own objects`);
    env.catalog.schema(database, on.name[on.name.length - 1]);
    target = { kind: "SCHEMA", schema: on.name[on.name.length - 1] };
  } else if (on.kind === "VIEW" || on.kind === "TABLE") {
    const r = resolve(ctx, on.name, "GRANT");
    if (r.database !== ctx.application.name) throw insufficientPrivileges(`${on.kind.toLowerCase()} '${quoteName(on.name)}': an application grants only its own objects`);
    const relation = env.tables.listRelations(r.database, r.schema).find((x) => x.name === r.object && x.kind === on.kind);
    if (relation === undefined) throw objectNotFound(on.kind === "VIEW" ? "View" : "Table", quoteName([r.database, r.schema, r.object]));
    target = { kind: on.kind, schema: r.schema, name: r.object };
  } else {
    throw new UnsupportedError(`GRANT ... ON ${on.kind}`);
  }
  const same = (g: ObjectGrant, privilege: string) =>
    g.privilege === privilege && g.kind === target.kind && g.schema === target.schema && g.name === target.name && g.role === role;
  for (const privilege of s.privileges) {
    const index = app.objectGrants.findIndex((g) => same(g, privilege));
    if (add && index < 0) app.objectGrants.push({ privilege, ...target, role });
    if (!add && index >= 0) app.objectGrants.splice(index, 1);
  }
  return status("Statement executed successfully.");
}

export function grantApplicationRole(env: Env, ctx: Context, s: Extract<CatalogStatement, { kind: "grant_application_role" | "revoke_application_role" }>): QueryResult {
  if (s.role.length !== 2) throw syntaxError("name the application role with its application: APP.ROLE");
  const app = env.catalog.application(s.role[0]);
  // Only the application's owner grants its roles to account roles.
  env.access.checkOwner(ctx, app);
  const role = s.role[1];
  if (!app.application.roles.has(role)) throw objectNotFound("Application role", quoteName(s.role));
  if (s.to.kind !== "ROLE") throw new UnsupportedError(`GRANT APPLICATION ROLE ... TO ${s.to.kind}`);
  const to = keyOf(s.to.name);
  if (!env.catalog.roles.has(to)) throw objectNotFound("Role", quoteName(s.to.name));
  const grants = env.catalog.applicationRoleGrants;
  const index = grants.findIndex((g) => g.application === app.name && g.role === role && g.to === to);
  if (s.kind === "grant_application_role" && index < 0) grants.push({ application: app.name, role, to });
  if (s.kind === "revoke_application_role" && index >= 0) grants.splice(index, 1);
  return status("Statement executed successfully.");
}
