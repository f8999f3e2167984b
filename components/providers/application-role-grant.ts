/**
 * Dynamic provider of one application role granted to an account role (`ADMIN` of the app to
 * `CONNECTOR_ADMIN`, so that it may call RESUME_CONNECTOR). floe's own, rather than
 * @pulumi/snowflake's GrantApplicationRole, so that deploying a connector needs no provider
 * plugin besides Pulumi's built-in dynamic-provider host, and runs its SQL through the same
 * facade, session and error messages as everything else ConnectorApp does.
 * SERIALIZATION RULE: see snowflake/facade.ts.
 */
import type { SnowflakeConnection } from "../../snowflake/driver";
import { grantProvider, type FloeProvider, type OpenRunner } from "./common";

export interface ApplicationRoleGrantInputs {
  readonly connection: SnowflakeConnection;
  readonly application: string;
  /** The application role, `ADMIN`. */
  readonly applicationRole: string;
  /** The account role granted it, `CONNECTOR_ADMIN`. */
  readonly accountRole: string;
}

export type ApplicationRoleGrantOutputs = ApplicationRoleGrantInputs;

/**
 * create: GRANT APPLICATION ROLE app.role TO ROLE r; delete: REVOKE ... FROM ROLE r.
 * Another application, application role or account role is another grant, revoked before the
 * new one is granted; read (refresh) looks the grant up with SHOW GRANTS OF APPLICATION ROLE.
 */
export function applicationRoleGrantProvider(open: OpenRunner): FloeProvider<ApplicationRoleGrantInputs, ApplicationRoleGrantOutputs> {
  return grantProvider<ApplicationRoleGrantInputs>(open, {
    keys: ["application", "applicationRole", "accountRole"],
    id: (inputs) => `${inputs.application}.${inputs.applicationRole} TO ROLE ${inputs.accountRole}`,
    grant: (f, inputs) => f.grantApplicationRole(inputs.application, inputs.applicationRole, inputs.accountRole),
    // The application (and its roles) or the account role already gone took the grant with it.
    revoke: (f, props) => f.revokeApplicationRole(props.application, props.applicationRole, props.accountRole),
    holds: (f, props) => f.applicationRoleGranted(props.application, props.applicationRole, props.accountRole),
  });
}
