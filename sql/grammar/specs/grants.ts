/**
 * The statement forms of grants and revokes: application roles, privileges to application roles,
 * to applications and to account roles.
 */
import { applicationRoleForm, DOCS, ON_ANY, ON_SCHEMA_OBJECT, privilegeGrant, type FormSpec } from "./kit";

/** In declaration order (see ../forms.ts). */
export const GRANT_FORMS: readonly FormSpec[] = [
  // Grants
  applicationRoleForm("GRANT"),
  {
    title: "GRANT <privileges> ... TO APPLICATION ROLE",
    url: DOCS + "grant-privilege-application-role",
    syntax: `GRANT ! <privilege> [ , ... ] ON ${ON_SCHEMA_OBJECT} TO APPLICATION ROLE <name> [ WITH GRANT OPTION ]#grantOption`,
    build: privilegeGrant("grant", "APPLICATION ROLE", { grantOption: "WITH GRANT OPTION" }),
  },
  {
    title: "GRANT <privileges> ... TO APPLICATION",
    url: DOCS + "grant-privilege-application",
    syntax: `GRANT ! <privilege> [ , ... ] ON ${ON_ANY} TO APPLICATION <name>`,
    build: privilegeGrant("grant", "APPLICATION"),
  },
  {
    title: "GRANT <privileges> ... TO ROLE",
    url: DOCS + "grant-privilege",
    syntax: `GRANT ! <privilege> [ , ... ] ON ${ON_ANY} TO [ ROLE ] <role_name> [ WITH GRANT OPTION ]#grantOption`,
    build: privilegeGrant("grant", "ROLE", { grantOption: "WITH GRANT OPTION" }),
  },
  applicationRoleForm("REVOKE"),
  {
    title: "REVOKE <privileges> ... FROM APPLICATION ROLE",
    url: DOCS + "revoke-privilege-application-role",
    syntax:
      `REVOKE ! [ GRANT OPTION FOR ]#grantOptionFor <privilege> [ , ... ] ON ${ON_SCHEMA_OBJECT} FROM APPLICATION ROLE <name> ` +
      "[ { RESTRICT | CASCADE } ]#behaviour",
    build: privilegeGrant("revoke", "APPLICATION ROLE", { grantOptionFor: "GRANT OPTION FOR", behaviour: "RESTRICT / CASCADE" }),
  },
  {
    title: "REVOKE <privileges> ... FROM APPLICATION",
    url: DOCS + "revoke-privilege-application",
    syntax: `REVOKE ! <privilege> [ , ... ] ON ${ON_ANY} FROM APPLICATION <name>`,
    build: privilegeGrant("revoke", "APPLICATION"),
  },
  {
    title: "REVOKE <privileges> ... FROM ROLE",
    url: DOCS + "revoke-privilege",
    syntax: `REVOKE ! [ GRANT OPTION FOR ]#grantOptionFor <privilege> [ , ... ] ON ${ON_ANY} FROM [ ROLE ] <role_name> [ { RESTRICT | CASCADE } ]#behaviour`,
    build: privilegeGrant("revoke", "ROLE", { grantOptionFor: "GRANT OPTION FOR", behaviour: "RESTRICT / CASCADE" }),
  },
];
