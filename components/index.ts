/**
 * floe's Pulumi components (`import { ConnectorApp } from "floe/pulumi"`).
 *
 * - {@link ConnectorApp}: a connector app from its rendered bundle: application package, staged
 *   files, version/patch, application, privileges and application-role grants.
 * - The dynamic resources it composes, for programs that need them one by one.
 * - Connection settings: stack config, connections.toml, or explicit values.
 * - The Snowflake facade (snowflake/) and its sessions, for tools that run the same statements.
 *
 * components/ holds the Pulumi components and their dynamic providers, which run their SQL
 * through snowflake/. May import: errors, lifecycle, sql, generators, snowflake.
 */
export { ConnectorApp, bundleHash, type ConnectorAppArgs, type AccountRoleRef, type ProcedureSummary, type GrantSummary } from "./connector-app";
export {
  ApplicationPackage,
  StageFile,
  PackageVersion,
  Application,
  ApplicationPrivilege,
  ApplicationRoleGrant,
  defaultProviders,
  type ApplicationPackageArgs,
  type StageFileArgs,
  type PackageVersionArgs,
  type ApplicationArgs,
  type ApplicationPrivilegeArgs,
  type ApplicationRoleGrantArgs,
} from "./resources";
export { makeProviders, refusedReplacement, type Providers, type OpenRunner } from "./providers";
export { connectionFromConfig, snowflakeProviderArgs, withSecretFields, checkConnection, type SnowflakeConnectionArgs } from "./connection";
export { connectionFromToml, snowflakeConfigDir, type ConnectionLookup } from "../snowflake/connection";
export { SnowflakeFacade, type SnowflakeRunner, type Row, type SqlBind } from "../snowflake/facade";
export { statements, PACKAGE_SCHEMA, PACKAGE_STAGE, STAGE_DIRECTORY } from "../snowflake/statements";
export { facadeError, isFacadeError, classifyError, type SnowflakeFacadeError, type SnowflakeErrorKind } from "../snowflake/errors";
export { redact } from "../errors/redact";
export { openSession, sdkConnectionOptions, secretsOf, type SnowflakeConnection } from "../snowflake/driver";
export { leaseSession, closeSharedSessions } from "../snowflake/sessions";
