/**
 * The public API of floe (`import { ... } from "floe"`).
 *
 * - The hook API, for hooks files: `defineResumeHooks`, `definePauseHooks`, `ok`, `error`, `rollback`.
 * - The lifecycle handlers and their builders, ports and in-memory implementation, for tests
 *   of your own and for custom handlers.
 * The Pulumi components live at `floe/pulumi`, so that a hooks file or a test does not load Pulumi.
 */
export {
  defineResumeHooks,
  definePauseHooks,
  ok,
  error,
  rollback,
  type HookContext,
  type HookAnswer,
  type Hook,
  type LifecycleHooks,
  type ResumeHooks,
  type PauseHooks,
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
  markAllPrerequisitesAsDone,
  configureConnector,
  setConnectionConfiguration,
  finalizeConnectorConfiguration,
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
  type ConfigStore,
} from "../lifecycle/ports";
export { sqlPorts, type SqlPortsOptions } from "../lifecycle/sql-ports";
export type { SqlRunner, SqlRow, SnowflakeApi } from "../lifecycle/snowflake-api";
export { MemoryConnector, type MemoryConnectorOptions, type MemoryEvent } from "../lifecycle/memory-ports";
export { defineConnector, type ConnectorDefinition, type ProcedureOverride } from "../generators/definition";
