/**
 * The other transitions of the connector flow (LIFECYCLE.md): status reporting, recovery, and
 * the configuration wizard from install to FINALIZE.
 * Compiled into the stored procedures: synchronous, no Node APIs.
 */
import type { LifecyclePorts } from "./ports";
import {
  invalidConfigurationStatus,
  invalidInput,
  invalidStatus,
  isOk,
  okResponse,
  responseOf,
  ResponseCodes,
  statusNotFound,
  unreadableStatus,
  type ConnectorResponse,
} from "./responses";
import { callHookProcedure } from "./state-change";
import type { ConfigurationStatus, ConnectorStatus, StoredStatus } from "./status";

/** Reads the status, or returns the answer for a missing or unreadable row. */
function readStatus(ports: LifecyclePorts): StoredStatus | ConnectorResponse {
  const read = ports.status.read();
  if (read.kind === "missing") return statusNotFound();
  if (read.kind === "unreadable") return unreadableStatus(read.raw);
  return read.stored;
}

function isResponse(value: StoredStatus | ConnectorResponse): value is ConnectorResponse {
  return "response_code" in value;
}

function concurrentChange(operation: string): ConnectorResponse {
  return {
    response_code: ResponseCodes.INVALID_CONNECTOR_STATUS,
    message: "The connector status changed while " + operation + " was running; nothing was changed. Try again.",
  };
}

/** Runs `body`; anything thrown becomes its own response or UNKNOWN_ERROR with its message. */
function guarded(body: () => ConnectorResponse): ConnectorResponse {
  try {
    return body();
  } catch (e) {
    return responseOf(e);
  }
}

/**
 * GET_CONNECTOR_STATUS: the whole stored status object (keys floe does not know included) plus
 * `response_code` OK. A change in progress has not happened yet from the user's point of view,
 * so STARTING reads as PAUSED and PAUSING as STARTED. A status value floe does not know is
 * reported as stored; only a stored value that is not an object cannot be reported.
 */
export function getConnectorStatus(ports: LifecyclePorts): ConnectorResponse {
  return guarded(() => {
    const read = ports.status.read();
    if (read.kind === "missing") return statusNotFound();
    const value = read.kind === "found" ? read.stored.value : read.value;
    if (value === null) return unreadableStatus(read.kind === "unreadable" ? read.raw : "");
    const answer: Record<string, unknown> = {};
    for (const key of Object.keys(value)) answer[key] = value[key];
    if (value.status === "STARTING") answer.status = "PAUSED";
    else if (value.status === "PAUSING") answer.status = "STARTED";
    answer.response_code = ResponseCodes.OK;
    return answer as ConnectorResponse;
  });
}

const RECOVERABLE: readonly ConnectorStatus[] = ["ERROR", "STARTING", "PAUSING"];
const RECOVERY_TARGETS: readonly ConnectorStatus[] = ["STARTED", "PAUSED"];

/**
 * RECOVER_CONNECTOR_STATE(NEW_CONNECTOR_STATUS STRING): the manual way out of ERROR, STARTING or
 * PAUSING. The current status is checked first, then the target, which must be STARTED or
 * PAUSED exactly (case matters). Only `status` changes; every other key is kept.
 */
export function recoverConnectorState(ports: LifecyclePorts, target: unknown): ConnectorResponse {
  const operation = "RECOVER_CONNECTOR_STATE";
  return guarded(() => {
    const read = ports.status.read();
    if (read.kind === "missing") return statusNotFound();
    const value = read.kind === "found" ? read.stored.value : read.value;
    if (value === null) return unreadableStatus(read.kind === "unreadable" ? read.raw : "");
    const current = value.status;
    if (typeof current !== "string" || RECOVERABLE.indexOf(current as ConnectorStatus) < 0) {
      return invalidStatus(operation, RECOVERABLE, current === undefined ? null : current);
    }
    if (typeof target !== "string" || RECOVERY_TARGETS.indexOf(target as ConnectorStatus) < 0) {
      return {
        response_code: ResponseCodes.INVALID_NEW_CONNECTOR_STATUS,
        message:
          operation + " can set the status to one of [" + RECOVERY_TARGETS.join(", ") + "] (written exactly so), not " +
          (typeof target === "string" ? "'" + target + "'" : "NULL") + ".",
      };
    }
    const expected = { status: current, configurationStatus: value.configurationStatus === undefined ? null : value.configurationStatus };
    if (!ports.status.compareAndSet(expected, { status: target as ConnectorStatus })) return concurrentChange(operation);
    return okResponse("Connector status recovered: it is now " + target + ".");
  });
}

/** A configuration step: the statuses it accepts and the configuration status it sets. */
interface ConfigurationStep {
  readonly operation: string;
  readonly acceptedConfiguration: readonly ConfigurationStatus[];
  readonly sets: ConfigurationStatus;
  /** STATE.APP_CONFIG key the step's argument is saved under, if any. */
  readonly configKey?: string;
  readonly successMessage: string;
}

function requireConfiguring(ports: LifecyclePorts, step: { operation: string; acceptedConfiguration: readonly ConfigurationStatus[] }): StoredStatus | ConnectorResponse {
  const current = readStatus(ports);
  if (isResponse(current)) return current;
  if (current.status !== "CONFIGURING") return invalidStatus(step.operation, ["CONFIGURING"], current.status);
  if (current.configurationStatus === null || step.acceptedConfiguration.indexOf(current.configurationStatus) < 0) {
    return invalidConfigurationStatus(step.operation, step.acceptedConfiguration, current.configurationStatus);
  }
  return current;
}

function runConfigurationStep(ports: LifecyclePorts, step: ConfigurationStep, argument: unknown): ConnectorResponse {
  return guarded(() => {
    if (step.configKey !== undefined && (argument === null || typeof argument !== "object" || Array.isArray(argument))) {
      return invalidInput(step.operation + " expects a configuration object, got " + JSON.stringify(argument === undefined ? null : argument) + ".");
    }
    const current = requireConfiguring(ports, step);
    if (isResponse(current)) return current;
    if (step.configKey !== undefined) ports.config.save(step.configKey, argument);
    const expected = { status: current.status, configurationStatus: current.configurationStatus };
    if (!ports.status.compareAndSet(expected, { status: "CONFIGURING", configurationStatus: step.sets })) return concurrentChange(step.operation);
    return okResponse(step.successMessage);
  });
}

const PREREQUISITES_STEP: ConfigurationStep = {
  operation: "MARK_ALL_PREREQUISITES_AS_DONE",
  acceptedConfiguration: ["INSTALLED", "PREREQUISITES_DONE"],
  sets: "PREREQUISITES_DONE",
  successMessage: "All prerequisites are marked as done.",
};

const CONFIGURE_STEP: ConfigurationStep = {
  operation: "CONFIGURE_CONNECTOR",
  acceptedConfiguration: ["INSTALLED", "PREREQUISITES_DONE", "CONFIGURED", "CONNECTED"],
  sets: "CONFIGURED",
  configKey: "connector_configuration",
  successMessage: "Connector configured.",
};

const CONNECTION_STEP: ConfigurationStep = {
  operation: "SET_CONNECTION_CONFIGURATION",
  acceptedConfiguration: ["CONFIGURED", "CONNECTED"],
  sets: "CONNECTED",
  configKey: "connection_configuration",
  successMessage: "Connection configured.",
};

/** MARK_ALL_PREREQUISITES_AS_DONE(): CONFIGURING, not yet configured → PREREQUISITES_DONE. */
export function markAllPrerequisitesAsDone(ports: LifecyclePorts): ConnectorResponse {
  return runConfigurationStep(ports, PREREQUISITES_STEP, undefined);
}

/** CONFIGURE_CONNECTOR(CONFIGURATION VARIANT): CONFIGURING → CONFIGURED, saving the configuration. */
export function configureConnector(ports: LifecyclePorts, configuration: unknown): ConnectorResponse {
  return runConfigurationStep(ports, CONFIGURE_STEP, configuration);
}

/** SET_CONNECTION_CONFIGURATION(CONNECTION_CONFIGURATION VARIANT): CONFIGURED/CONNECTED → CONNECTED. */
export function setConnectionConfiguration(ports: LifecyclePorts, configuration: unknown): ConnectorResponse {
  return runConfigurationStep(ports, CONNECTION_STEP, configuration);
}

export const FINALIZE_VALIDATE_PROCEDURE = "PUBLIC.FINALIZE_CONNECTOR_CONFIGURATION_VALIDATE";
export const FINALIZE_INTERNAL_PROCEDURE = "PUBLIC.FINALIZE_CONNECTOR_CONFIGURATION_INTERNAL";

/**
 * FINALIZE_CONNECTOR_CONFIGURATION(CUSTOM_CONFIGURATION VARIANT): from CONFIGURING/CONNECTED,
 * runs the `_VALIDATE` and `_INTERNAL` hooks with the custom configuration, then sets
 * STARTED/FINALIZED.
 */
export function finalizeConnectorConfiguration(ports: LifecyclePorts, customConfiguration: unknown): ConnectorResponse {
  const operation = "FINALIZE_CONNECTOR_CONFIGURATION";
  return guarded(() => {
    const current = requireConfiguring(ports, { operation, acceptedConfiguration: ["CONNECTED"] });
    if (isResponse(current)) return current;
    const args = [customConfiguration === undefined ? null : customConfiguration];
    const validation = callHookProcedure(ports, FINALIZE_VALIDATE_PROCEDURE, args);
    if (!isOk(validation)) return validation;
    const answer = callHookProcedure(ports, FINALIZE_INTERNAL_PROCEDURE, args);
    if (!isOk(answer)) return answer;
    const expected = { status: current.status, configurationStatus: current.configurationStatus };
    if (!ports.status.compareAndSet(expected, { status: "STARTED", configurationStatus: "FINALIZED" })) return concurrentChange(operation);
    return okResponse("Connector configuration finalized.");
  });
}
