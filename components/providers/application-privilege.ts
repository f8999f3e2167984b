/**
 * Dynamic provider of one account privilege granted to the application (EXECUTE TASK ...).
 * SERIALIZATION RULE: see snowflake/facade.ts.
 */
import type { SnowflakeConnection } from "../../snowflake/driver";
import { changedKeys, isErrorKind, withFacade, type FloeProvider, type OpenRunner } from "./common";

export interface ApplicationPrivilegeInputs {
  readonly connection: SnowflakeConnection;
  readonly application: string;
  /** A manifest privilege, `EXECUTE TASK`. */
  readonly privilege: string;
}

export type ApplicationPrivilegeOutputs = ApplicationPrivilegeInputs;

/**
 * create: GRANT <privilege> ON ACCOUNT TO APPLICATION; delete: REVOKE ... FROM APPLICATION.
 * Another privilege or application is another grant, revoked before the new one is granted,
 * so that replacing a grant never revokes what it has just granted.
 */
export function applicationPrivilegeProvider(open: OpenRunner): FloeProvider<ApplicationPrivilegeInputs, ApplicationPrivilegeOutputs> {
  return {
    async create(inputs) {
      await withFacade(open, inputs.connection, (f) => f.grantToApplication(inputs.privilege, inputs.application));
      return { id: `${inputs.privilege} TO APPLICATION ${inputs.application}`, outs: { ...inputs } };
    },
    async diff(_id, olds, news) {
      const replaces = changedKeys(olds, news, ["application", "privilege"]);
      const changes = changedKeys(olds, news, ["application", "privilege", "connection"]);
      return { changes: changes.length > 0, replaces, deleteBeforeReplace: true };
    },
    async update(_id, _olds, news) {
      // Only the connection changed: nothing to run.
      return { outs: { ...news } };
    },
    async delete(_id, props) {
      try {
        await withFacade(open, props.connection, (f) => f.revokeFromApplication(props.privilege, props.application));
      } catch (e) {
        // The application is already gone, and its grants with it.
        if (!isErrorKind(e, "not_found")) throw e;
      }
    },
    async read(id, props) {
      if (props === undefined) return { id };
      const holds = await withFacade(open, props.connection, (f) => f.applicationHolds(props.privilege, props.application)).catch((e: unknown) => {
        if (isErrorKind(e, "not_found")) return false;
        throw e;
      });
      return holds ? { id, props } : {};
    },
  };
}
