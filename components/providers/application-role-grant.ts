/**
 * Dynamic provider of one application role granted to an account role (`ADMIN` of the app to
 * `CONNECTOR_ADMIN`, so that it may call RESUME_CONNECTOR). floe's own, rather than
 * @pulumi/snowflake's GrantApplicationRole, so that deploying a connector needs no provider
 * plugin besides Pulumi's built-in dynamic-provider host, and runs its SQL through the same
 * facade, session and error messages as everything else ConnectorApp does.
 * SERIALIZATION RULE: see snowflake/facade.ts.
 */
import type { SnowflakeConnection } from "../../snowflake/driver";
import { changedKeys, isErrorKind, withFacade, type FloeProvider, type OpenRunner } from "./common";

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
  return {
    async create(inputs) {
      await withFacade(open, inputs.connection, (f) => f.grantApplicationRole(inputs.application, inputs.applicationRole, inputs.accountRole));
      return { id: `${inputs.application}.${inputs.applicationRole} TO ROLE ${inputs.accountRole}`, outs: { ...inputs } };
    },
    async diff(_id, olds, news) {
      const replaces = changedKeys(olds, news, ["application", "applicationRole", "accountRole"]);
      const changes = changedKeys(olds, news, ["application", "applicationRole", "accountRole", "connection"]);
      return { changes: changes.length > 0, replaces, deleteBeforeReplace: true };
    },
    async update(_id, _olds, news) {
      // Only the connection changed: nothing to run.
      return { outs: { ...news } };
    },
    async delete(_id, props) {
      try {
        await withFacade(open, props.connection, (f) => f.revokeApplicationRole(props.application, props.applicationRole, props.accountRole));
      } catch (e) {
        // The application (and its roles) or the account role is gone, and the grant with it.
        if (!isErrorKind(e, "not_found")) throw e;
      }
    },
    async read(id, props) {
      if (props === undefined) return { id };
      const held = await withFacade(open, props.connection, (f) => f.applicationRoleGranted(props.application, props.applicationRole, props.accountRole)).catch((e: unknown) => {
        if (isErrorKind(e, "not_found")) return false;
        throw e;
      });
      return held ? { id, props } : {};
    },
  };
}
