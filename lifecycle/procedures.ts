/**
 * Entry points of the stored procedures. `floe render` compiles each of these, with everything
 * it uses from lifecycle/, into one self-contained JavaScript procedure body that ends with
 * `return entry(snowflake, {ARGS}, {FEATURES});` — features are fixed when the app is rendered.
 *
 * lifecycle/ holds the connector flow that runs inside Snowflake: handlers, builders, ports (SQL
 * and in-memory), statuses, answers and the hook API. It is compiled into the procedures, so
 * nothing from elsewhere may come along (test/architecture/imports.test.ts). May import: nothing
 * outside itself.
 */
import { PAUSE_SPEC, PauseConnectorHandlerBuilder, RESUME_SPEC, ResumeConnectorHandlerBuilder } from "./builder";
import {
  completePrerequisitesStep,
  configureConnector,
  finalizeConnectorConfiguration,
  getConnectionConfiguration,
  getConnectorStatus,
  markAllPrerequisitesAsDone,
  recoverConnectorState,
  setConnectionConfiguration,
  updatePrerequisite,
} from "./flow";
import type { LifecyclePorts } from "./ports";
import { okResponse, type ConnectorResponse } from "./responses";
import { snowflakeRunner, type SnowflakeApi } from "./snowflake-api";
import { sqlConfigReader, sqlPorts, sqlStatusReader } from "./sql-ports";

/** What is known about the app when it is rendered. */
export interface ProcedureFeatures {
  readonly taskReactor: boolean;
  readonly scheduler: boolean;
}

/** Procedure arguments, by their upper-case names. */
export type ProcedureArguments = Readonly<Record<string, unknown>>;

function changePorts(snowflake: SnowflakeApi, privileges: readonly string[], features: ProcedureFeatures): LifecyclePorts {
  return sqlPorts(snowflakeRunner(snowflake), { privileges: privileges, taskReactor: features.taskReactor, scheduler: features.scheduler });
}

/** Ports for the flow procedures, which neither check privileges nor touch tasks. */
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
  // Read-only: only the status reader, so the body carries no other port.
  return getConnectorStatus({ status: sqlStatusReader(snowflakeRunner(snowflake)) });
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
  return getConnectionConfiguration({ config: sqlConfigReader(snowflakeRunner(snowflake)) });
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
