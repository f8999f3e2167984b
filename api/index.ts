/**
 * The public API of floe (`import { ... } from "floe"`).
 *
 * - The hook API, for hooks files: `defineResumeHooks`, `definePauseHooks`, `defineConfigureHooks`,
 *   `defineConnectionHooks`, `defineFinalizeHooks`, `ok`, `okWithConfig`, `error`, `rollback`.
 * - The lifecycle handlers and their builders, ports and in-memory implementation, for tests
 *   of your own and for custom handlers.
 * The Pulumi components live at `floe/pulumi`, so that a hooks file or a test does not load Pulumi.
 *
 * api/ is the package's main entry; it stays light (no Pulumi, driver or sandbox), so a hooks
 * file or a test loads little. May import: errors, lifecycle, sql, generators.
 */
export {
  defineResumeHooks,
  definePauseHooks,
  defineConfigureHooks,
  defineConnectionHooks,
  defineFinalizeHooks,
  ok,
  okWithConfig,
  error,
  rollback,
  type HookContext,
  type HookAnswer,
  type ConnectionValidation,
  type Hook,
  type LifecycleHooks,
  type ResumeHooks,
  type PauseHooks,
  type ConfigureHooks,
  type ConnectionHooks,
  type FinalizeHooks,
  type ConfigureHookSet,
  type ConnectionHookSet,
  type FinalizeHookSet,
  type ConfigurationObject,
  type ConnectorConfiguration,
  type SqlBind,
} from "../lifecycle/hook-api";
export {
  ResumeConnectorHandlerBuilder,
  PauseConnectorHandlerBuilder,
  StateChangeHandlerBuilder,
  RESUME_SPEC,
  PAUSE_SPEC,
  EXECUTE_TASK,
} from "../lifecycle/builder";
export {
  StateChangeHandler,
  defaultErrorHelper,
  callHookProcedure,
  type StateChangeSpec,
  type StateValidator,
  type StateChangeCallback,
  type ErrorHelper,
} from "../lifecycle/state-change";
export {
  getConnectorStatus,
  recoverConnectorState,
  completePrerequisitesStep,
  updatePrerequisite,
  markAllPrerequisitesAsDone,
  configureConnector,
  setConnectionConfiguration,
  getConnectionConfiguration,
  finalizeConnectorConfiguration,
  CONNECTOR_CONFIGURATION_KEYS,
} from "../lifecycle/flow";
export { ResponseCodes, ConnectorError, checkResponse, type ConnectorResponse, type LifecycleResponseCode, type ResponseCheck } from "../lifecycle/responses";
export type { ConnectorStatus, ConfigurationStatus, FullConnectorStatus, StoredStatus } from "../lifecycle/status";
export {
  ProcedureCallError,
  type LifecyclePorts,
  type PrivilegeCheck,
  type StatusStore,
  type StatusRead,
  type StatusFields,
  type StatusChange,
  type ProcedureCaller,
  type TaskReactor,
  type Scheduler,
  type ConfigStore,
  type ConfigRead,
  type PrerequisiteStore,
} from "../lifecycle/ports";
export { sqlPorts, type SqlPortsOptions } from "../lifecycle/sql-ports";
export type { SqlRunner, SqlRow, SnowflakeApi } from "../lifecycle/snowflake-api";
export { MemoryConnector, type MemoryConnectorOptions, type MemoryEvent } from "../lifecycle/memory-ports";
export { resolveIdentifier } from "../lifecycle/sql-text";
export { defineConnector, type ConnectorDefinition, type FeatureSwitches, type ProcedureOverride } from "../generators/definition";
export type { PrerequisiteDefinition } from "../generators/prerequisites";
