/**
 * The other transitions of the connector flow (LIFECYCLE.md, "Other transitions"): status
 * reporting, recovery, and the configuration wizard from install to FINALIZE.
 * Compiled into the stored procedures: synchronous, no Node APIs.
 */
import type { LifecyclePorts } from "./ports";
import {
  errorMessage,
  internalError,
  invalidStatus,
  isOk,
  okResponse,
  ResponseCodes,
  statusNotFound,
  type ConnectorResponse,
} from "./responses";
import { callCallbackProcedure, callValidatorProcedure, defaultErrorHelper } from "./state-change";
import type { ConfigurationStatus, ConnectorStatus, FullConnectorStatus } from "./status";

/** Reads the status, or returns the answer for a missing or unreadable row. */
function readStatus(ports: LifecyclePorts): FullConnectorStatus | ConnectorResponse {
  const read = ports.status.read();
  if (read.kind === "missing") return statusNotFound();
  if (read.kind === "unreadable") return internalError("The connector status in STATE.APP_STATE cannot be read: " + read.raw);
  return read.status;
}

function isResponse(value: FullConnectorStatus | ConnectorResponse): value is ConnectorResponse {
  return "response_code" in value;
}

function concurrentChange(operation: string): ConnectorResponse {
  return {
    response_code: ResponseCodes.INVALID_CONNECTOR_STATUS,
    message: "The connector status changed while " + operation + " was running; nothing was changed. Try again.",
  };
}

/** Runs `body` and turns any exception into the default error helper's answer. */
function guarded(operation: string, body: () => ConnectorResponse): ConnectorResponse {
  try {
    return body();
  } catch (e) {
    return defaultErrorHelper(e, operation);
  }
}

/**
 * GET_CONNECTOR_STATUS: reports PAUSING as STARTED and STARTING as PAUSED, since a change in
 * progress has not happened yet from the user's point of view.
 */
export function getConnectorStatus(ports: LifecyclePorts): ConnectorResponse {
  return guarded("GET_CONNECTOR_STATUS", () => {
    const current = readStatus(ports);
    if (isResponse(current)) return current;
    let reported: ConnectorStatus = current.status;
    if (reported === "PAUSING") reported = "STARTED";
    else if (reported === "STARTING") reported = "PAUSED";
    return { response_code: ResponseCodes.OK, status: reported, configurationStatus: current.configurationStatus };
  });
}

const RECOVERABLE: readonly ConnectorStatus[] = ["ERROR", "STARTING", "PAUSING"];
const RECOVERY_TARGETS: readonly ConnectorStatus[] = ["STARTED", "PAUSED"];

/** RECOVER_CONNECTOR_STATE(STRING): the manual way out of ERROR, STARTING or PAUSING. */
export function recoverConnectorState(ports: LifecyclePorts, target: unknown): ConnectorResponse {
  return guarded("RECOVER_CONNECTOR_STATE", () => {
    const wanted = typeof target === "string" ? target.toUpperCase() : "";
    if (RECOVERY_TARGETS.indexOf(wanted as ConnectorStatus) < 0) {
      return {
        response_code: ResponseCodes.INVALID_CONNECTOR_STATUS,
        message: "A connector can be recovered only to one of [" + RECOVERY_TARGETS.join(", ") + "], not " + JSON.stringify(target) + ".",
      };
    }
    const current = readStatus(ports);
    if (isResponse(current)) return current;
    if (RECOVERABLE.indexOf(current.status) < 0) return invalidStatus(RECOVERABLE, current.status);
    const next: FullConnectorStatus = { status: wanted as ConnectorStatus, configurationStatus: current.configurationStatus };
    if (!ports.status.compareAndSet(current, next)) return concurrentChange("RECOVER_CONNECTOR_STATE");
    return okResponse("Connector status recovered to " + wanted + ".");
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

function requireConfiguring(
  ports: LifecyclePorts,
  step: ConfigurationStep,
): FullConnectorStatus | ConnectorResponse {
  const current = readStatus(ports);
  if (isResponse(current)) return current;
  if (current.status !== "CONFIGURING") return invalidStatus(["CONFIGURING"], current.status);
  if (step.acceptedConfiguration.indexOf(current.configurationStatus) < 0) {
    return {
      response_code: ResponseCodes.INVALID_CONNECTOR_STATUS,
      message:
        "Invalid configuration status. Expected configuration status in: [" + step.acceptedConfiguration.join(", ") +
        "]. Current configuration status: " + current.configurationStatus + ".",
    };
  }
  return current;
}

function runConfigurationStep(ports: LifecyclePorts, step: ConfigurationStep, argument: unknown): ConnectorResponse {
  return guarded(step.operation, () => {
    if (step.configKey !== undefined && (argument === null || typeof argument !== "object" || Array.isArray(argument))) {
      return internalError(step.operation + " expects a configuration object, got " + JSON.stringify(argument === undefined ? null : argument) + ".");
    }
    const current = requireConfiguring(ports, step);
    if (isResponse(current)) return current;
    if (step.configKey !== undefined) ports.config.save(step.configKey, argument);
    const next: FullConnectorStatus = { status: "CONFIGURING", configurationStatus: step.sets };
    if (!ports.status.compareAndSet(current, next)) return concurrentChange(step.operation);
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
  return guarded(operation, () => {
    const current = readStatus(ports);
    if (isResponse(current)) return current;
    if (current.status !== "CONFIGURING") return invalidStatus(["CONFIGURING"], current.status);
    if (current.configurationStatus !== "CONNECTED") {
      return {
        response_code: ResponseCodes.INVALID_CONNECTOR_STATUS,
        message:
          "Invalid configuration status. Expected configuration status in: [CONNECTED]. Current configuration status: " +
          current.configurationStatus + ".",
      };
    }
    const args = [customConfiguration === undefined ? null : customConfiguration];
    const validation = callValidatorProcedure(ports, FINALIZE_VALIDATE_PROCEDURE, args);
    if (!isOk(validation)) return validation;
    let answer: ConnectorResponse;
    try {
      answer = callCallbackProcedure(ports, FINALIZE_INTERNAL_PROCEDURE, args);
    } catch (e) {
      return internalError(FINALIZE_INTERNAL_PROCEDURE + "() failed: " + errorMessage(e));
    }
    if (!isOk(answer)) return answer;
    const next: FullConnectorStatus = { status: "STARTED", configurationStatus: "FINALIZED" };
    if (!ports.status.compareAndSet(current, next)) return concurrentChange(operation);
    return okResponse("Connector configuration finalized.");
  });
}
