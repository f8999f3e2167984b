/**
 * floe's Pulumi components (`import { ConnectorApp } from "floe/pulumi"`).
 *
 * - {@link ConnectorApp}: a connector app from its rendered bundle: application package, staged
 *   files, version/patch, application, privileges and application-role grants.
 * - The dynamic resources it composes, for programs that need them one by one.
 * - Connection settings: stack config, connections.toml, or explicit values.
 * - The Snowflake facade and its runner interface, for tools (and floe's sandbox) that run the
 *   same statements.
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
export {
  connectionFromConfig,
  connectionFromToml,
  snowflakeConfigDir,
  snowflakeProviderArgs,
  withSecretFields,
  checkConnection,
  type SnowflakeConnectionArgs,
  type ConnectionLookup,
} from "./connection";
export {
  SnowflakeFacade,
  facadeError,
  isFacadeError,
  type SnowflakeFacadeError,
  statements,
  classifyError,
  redact,
  PACKAGE_SCHEMA,
  PACKAGE_STAGE,
  STAGE_DIRECTORY,
  type SnowflakeRunner,
  type SnowflakeErrorKind,
  type Row,
  type SqlBind,
} from "./snowflake/facade";
export { openSnowflakeSdkRunner, sdkConnectionOptions, secretsOf, type SnowflakeConnection } from "./snowflake/sdk-runner";
