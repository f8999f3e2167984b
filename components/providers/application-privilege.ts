/**
 * Dynamic provider of one account privilege granted to the application (EXECUTE TASK ...).
 * SERIALIZATION RULE: see snowflake/facade.ts.
 */
import type { SnowflakeConnection } from "../../snowflake/driver";
import { grantProvider, type FloeProvider, type OpenRunner } from "./common";

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
  return grantProvider<ApplicationPrivilegeInputs>(open, {
    keys: ["application", "privilege"],
    id: (inputs) => `${inputs.privilege} TO APPLICATION ${inputs.application}`,
    grant: (f, inputs) => f.grantToApplication(inputs.privilege, inputs.application),
    // An application already gone took its grants with it.
    revoke: (f, props) => f.revokeFromApplication(props.privilege, props.application),
    holds: (f, props) => f.applicationHolds(props.privilege, props.application),
  });
}
