/**
 * Entry points of the stored procedures. `floe render` compiles each of these, with everything
 * it uses from lifecycle/, into one self-contained JavaScript procedure body that ends with
 * `return entry(snowflake, {ARGS}, {FEATURES});` — features are fixed when the app is rendered.
 * A body holds only what its entry reaches, so each entry builds just the ports it uses; an app
 * with neither Task Reactor nor a scheduler task gets the taskless variants (TASKLESS_ENTRIES).
 *
 * lifecycle/ holds the connector flow that runs inside Snowflake: handlers, builders, ports (SQL
 * and in-memory), statuses, answers and the hook API. It is compiled into the procedures, so
 * nothing from elsewhere may come along (test/architecture/imports.test.ts). May import: nothing
 * outside itself.
 */
import { PAUSE_SPEC, RESUME_SPEC } from "./builder";
import {
  completePrerequisitesStep,
  configureConnector,
  finalizeConnectorConfiguration,
  getConnectionConfiguration,
  markAllPrerequisitesAsDone,
  recoverConnectorState,
  reportStoredStatus,
  setConnectionConfiguration,
  updatePrerequisite,
} from "./flow";
import type { LifecyclePorts } from "./ports";
import { okResponse, type ConnectorResponse } from "./responses";
import { queryRunner, snowflakeRunner, type SnowflakeApi } from "./snowflake-api";
import { readStatusValue, sqlConfigReader, sqlFlowPorts, sqlStateChangePorts, sqlTasklessChangePorts } from "./sql-ports";
import { driveTasks, runDefaultStateChange, type StateChangeSpec } from "./state-change";

/** What is known about the app when it is rendered. */
export interface ProcedureFeatures {
  readonly taskReactor: boolean;
  readonly scheduler: boolean;
}

/** Procedure arguments, by their upper-case names. */
export type ProcedureArguments = Readonly<Record<string, unknown>>;

/** RESUME_CONNECTOR and PAUSE_CONNECTOR: the state change with its hook procedures, over only the ports it uses. */
function stateChange(snowflake: SnowflakeApi, spec: StateChangeSpec, features: ProcedureFeatures): ConnectorResponse {
  const ports = sqlStateChangePorts(snowflakeRunner(snowflake), { privileges: spec.requiredPrivileges, taskReactor: features.taskReactor, scheduler: features.scheduler });
  return runDefaultStateChange(spec, ports, driveTasks);
}

/** The same for an app with neither Task Reactor nor a scheduler task: phase 6 has nothing to do, and its code stays out. */
function tasklessStateChange(snowflake: SnowflakeApi, spec: StateChangeSpec): ConnectorResponse {
  return runDefaultStateChange(spec, sqlTasklessChangePorts(snowflakeRunner(snowflake), spec.requiredPrivileges), null);
}

/** Ports for the flow procedures, which neither check privileges nor touch tasks. */
function flowPorts(snowflake: SnowflakeApi): LifecyclePorts {
  return sqlFlowPorts(snowflakeRunner(snowflake));
}

export function resumeConnectorEntry(snowflake: SnowflakeApi, _args: ProcedureArguments, features: ProcedureFeatures): ConnectorResponse {
  return stateChange(snowflake, RESUME_SPEC, features);
}

export function pauseConnectorEntry(snowflake: SnowflakeApi, _args: ProcedureArguments, features: ProcedureFeatures): ConnectorResponse {
  return stateChange(snowflake, PAUSE_SPEC, features);
}

export function resumeConnectorTasklessEntry(snowflake: SnowflakeApi, _args: ProcedureArguments, _features: ProcedureFeatures): ConnectorResponse {
  return tasklessStateChange(snowflake, RESUME_SPEC);
}

export function pauseConnectorTasklessEntry(snowflake: SnowflakeApi, _args: ProcedureArguments, _features: ProcedureFeatures): ConnectorResponse {
  return tasklessStateChange(snowflake, PAUSE_SPEC);
}

/**
 * The entries with a variant for an app with neither Task Reactor nor a scheduler task
 * (features.taskReactor and features.scheduler both false): floe render uses the variant then.
 */
export const TASKLESS_ENTRIES: Readonly<Record<string, string>> = {
  resumeConnectorEntry: "resumeConnectorTasklessEntry",
  pauseConnectorEntry: "pauseConnectorTasklessEntry",
};

export function getConnectorStatusEntry(snowflake: SnowflakeApi, _args: ProcedureArguments, _features: ProcedureFeatures): ConnectorResponse {
  // Read-only: the status row's raw value through a query alone, so the body carries no port,
  // no status parsing and no statement that writes.
  return reportStoredStatus(() => readStatusValue(queryRunner(snowflake)));
}

export function recoverConnectorStateEntry(snowflake: SnowflakeApi, args: ProcedureArguments, _features: ProcedureFeatures): ConnectorResponse {
  return recoverConnectorState(flowPorts(snowflake), args.NEW_CONNECTOR_STATUS);
}

export function completePrerequisitesStepEntry(snowflake: SnowflakeApi, _args: ProcedureArguments, _features: ProcedureFeatures): ConnectorResponse {
  return completePrerequisitesStep(flowPorts(snowflake));
}

export function updatePrerequisiteEntry(snowflake: SnowflakeApi, args: ProcedureArguments, _features: ProcedureFeatures): ConnectorResponse {
  return updatePrerequisite(flowPorts(snowflake), args.ID, args.IS_COMPLETED);
}

export function markAllPrerequisitesAsDoneEntry(snowflake: SnowflakeApi, _args: ProcedureArguments, _features: ProcedureFeatures): ConnectorResponse {
  return markAllPrerequisitesAsDone(flowPorts(snowflake));
}

export function configureConnectorEntry(snowflake: SnowflakeApi, args: ProcedureArguments, _features: ProcedureFeatures): ConnectorResponse {
  return configureConnector(flowPorts(snowflake), args.CONFIG);
}

export function setConnectionConfigurationEntry(snowflake: SnowflakeApi, args: ProcedureArguments, _features: ProcedureFeatures): ConnectorResponse {
  return setConnectionConfiguration(flowPorts(snowflake), args.CONNECTION_CONFIGURATION);
}

export function getConnectionConfigurationEntry(snowflake: SnowflakeApi, _args: ProcedureArguments, _features: ProcedureFeatures): ConnectorResponse {
  return getConnectionConfiguration({ config: sqlConfigReader(queryRunner(snowflake)) });
}

export function finalizeConnectorConfigurationEntry(
  snowflake: SnowflakeApi,
  args: ProcedureArguments,
  _features: ProcedureFeatures,
): ConnectorResponse {
  return finalizeConnectorConfiguration(flowPorts(snowflake), args.CUSTOM_CONFIGURATION);
}

/** Hooks run through the hook runner, which a hook procedure's body is bundled with. */
export { runHook } from "./hook-runner";

/** The default body of a hook procedure that has no user hook: `{"response_code": "OK"}`. */
export function defaultHookEntry(): ConnectorResponse {
  return okResponse();
}
