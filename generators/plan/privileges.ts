/**
 * Manifest privileges that Snowflake grants on its own when the manifest says
 * `manifest_version: 2` ("automated granting of privileges"). The consumer is not asked at
 * install or upgrade, and Snowflake's documentation states that once granted this way they
 * cannot be revoked, so a plan flags every one a change newly requests.
 *
 * Source (checked for this list): "Allow an app to create resources in the consumer account",
 * section "Privileges granted by automated granting of privileges",
 * https://docs.snowflake.com/en/developer-guide/native-apps/ui-consumer-auto-privs, and
 * "Configure the privileges required by an app",
 * https://docs.snowflake.com/en/developer-guide/native-apps/requesting-auto-privs.
 * Keep docs/plan.md in step when Snowflake extends the list.
 */
export const AUTO_GRANTED_PRIVILEGES: readonly string[] = [
  "EXECUTE TASK",
  "EXECUTE MANAGED TASK",
  "CREATE WAREHOUSE",
  "CREATE COMPUTE POOL",
  "BIND SERVICE ENDPOINT",
  "CREATE DATABASE",
  "CREATE EXTERNAL ACCESS INTEGRATION",
  "CREATE SECURITY INTEGRATION",
];

/** True when a manifest of this version makes Snowflake grant the privilege without asking. */
export function isAutoGranted(privilege: string, manifestVersion: number): boolean {
  return manifestVersion >= 2 && AUTO_GRANTED_PRIVILEGES.includes(privilege);
}
