/**
 * Entry points of the stored procedures. `floe render` compiles each of these, with everything
 * it uses from lifecycle/, into one self-contained JavaScript procedure body that ends with
 * `return entry(snowflake, {ARGS}, {FEATURES});` — features are fixed when the app is rendered.
 */
import { PAUSE_SPEC, PauseConnectorHandlerBuilder, RESUME_SPEC, ResumeConnectorHandlerBuilder } from "./builder";
import {
  configureConnector,
  finalizeConnectorConfiguration,
  getConnectorStatus,
  markAllPrerequisitesAsDone,
  recoverConnectorState,
  setConnectionConfiguration,
} from "./flow";
import { createHookContext, type LifecycleHooks } from "./hook-api";
import type { LifecyclePorts } from "./ports";
import { okResponse, type ConnectorResponse } from "./responses";
import { snowflakeRunner, type SnowflakeApi } from "./snowflake-api";
import { sqlPorts } from "./sql-ports";
import { initializeTaskReactorInstance } from "./task-reactor";

/** What is known about the app when it is rendered. */
export interface ProcedureFeatures {
  readonly taskReactor: boolean;
}

/** Procedure arguments, by their upper-case names. */
export type ProcedureArguments = Readonly<Record<string, unknown>>;

function changePorts(snowflake: SnowflakeApi, privileges: readonly string[], features: ProcedureFeatures): LifecyclePorts {
  return sqlPorts(snowflakeRunner(snowflake), { privileges: privileges, taskReactor: features.taskReactor });
}

/** Ports for the flow procedures, which neither check privileges nor touch Task Reactor. */
function flowPorts(snowflake: SnowflakeApi): LifecyclePorts {
  return sqlPorts(snowflakeRunner(snowflake), { privileges: [], taskReactor: false });
}

export function resumeConnectorEntry(snowflake: SnowflakeApi, _args: ProcedureArguments, features: ProcedureFeatures): ConnectorResponse {
  return new ResumeConnectorHandlerBuilder(changePorts(snowflake, RESUME_SPEC.requiredPrivileges, features)).build().run();
}

export function pauseConnectorEntry(snowflake: SnowflakeApi, _args: ProcedureArguments, features: ProcedureFeatures): ConnectorResponse {
  return new PauseConnectorHandlerBuilder(changePorts(snowflake, PAUSE_SPEC.requiredPrivileges, features)).build().run();
}

export function getConnectorStatusEntry(snowflake: SnowflakeApi, _args: ProcedureArguments, _features: ProcedureFeatures): ConnectorResponse {
  return getConnectorStatus(flowPorts(snowflake));
}

export function recoverConnectorStateEntry(snowflake: SnowflakeApi, args: ProcedureArguments, _features: ProcedureFeatures): ConnectorResponse {
  return recoverConnectorState(flowPorts(snowflake), args.NEW_CONNECTOR_STATUS);
}

export function markAllPrerequisitesAsDoneEntry(snowflake: SnowflakeApi, _args: ProcedureArguments, _features: ProcedureFeatures): ConnectorResponse {
  return markAllPrerequisitesAsDone(flowPorts(snowflake));
}

export function configureConnectorEntry(snowflake: SnowflakeApi, args: ProcedureArguments, _features: ProcedureFeatures): ConnectorResponse {
  return configureConnector(flowPorts(snowflake), args.CONFIGURATION);
}

export function setConnectionConfigurationEntry(snowflake: SnowflakeApi, args: ProcedureArguments, _features: ProcedureFeatures): ConnectorResponse {
  return setConnectionConfiguration(flowPorts(snowflake), args.CONNECTION_CONFIGURATION);
}

export function finalizeConnectorConfigurationEntry(
  snowflake: SnowflakeApi,
  args: ProcedureArguments,
  _features: ProcedureFeatures,
): ConnectorResponse {
  return finalizeConnectorConfiguration(flowPorts(snowflake), args.CUSTOM_CONFIGURATION);
}

/**
 * Runs one user hook (or answers OK when it was left out). An exception inside the hook
 * propagates: Snowflake reports it as the procedure's error, which the calling handler
 * classifies, as it does an answer of the wrong shape.
 */
export function runHook(snowflake: SnowflakeApi, hooks: LifecycleHooks, step: "validate" | "internal"): ConnectorResponse {
  const hook = hooks[step];
  if (hook === undefined) return okResponse();
  // The answer goes back as is: the calling handler checks its shape and reports a bad one.
  return hook.call(hooks, createHookContext(snowflake)) as ConnectorResponse;
}

/** The default body of a hook procedure that has no user hook: `{"response_code": "OK"}`. */
export function defaultHookEntry(): ConnectorResponse {
  return okResponse();
}

export function initializeTaskReactorInstanceEntry(
  snowflake: SnowflakeApi,
  args: ProcedureArguments,
  _features: ProcedureFeatures,
): ConnectorResponse {
  return initializeTaskReactorInstance(snowflakeRunner(snowflake), args.INSTANCE_NAME, args.WAREHOUSE);
}
