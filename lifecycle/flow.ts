/**
 * The other transitions of the connector flow (LIFECYCLE.md): status reporting, recovery, and
 * the configuration wizard from install to FINALIZE.
 * Compiled into the stored procedures: synchronous, no Node APIs.
 */
import type { ConfigStore, LifecyclePorts, StatusRead, StatusStore } from "./ports";
import {
  ConnectorError,
  internalError,
  invalidConfigurationStatus,
  invalidInput,
  invalidResponse,
  invalidStatus,
  isOk,
  okResponse,
  responseOf,
  statusNotFound,
  unreadableStatus,
  type ConnectorResponse,
} from "./responses";
import { callHookProcedure } from "./state-change";
import { CONFIGURATION_STATUSES, describeRaw, storedObject, type ConfigurationStatus, type ConnectorStatus, type StoredStatus } from "./status";

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
    response_code: "INVALID_CONNECTOR_STATUS",
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
export function getConnectorStatus(ports: { readonly status: Pick<StatusStore, "read"> }): ConnectorResponse {
  return guarded(() => statusReport(storedValue(ports.status.read())));
}

/**
 * The stored status object as read, whether or not floe knows its values. No status row, or a
 * value that is not an object, ends the call: thrown as its answer, which `guarded` returns.
 */
function storedValue(read: StatusRead): Readonly<Record<string, unknown>> {
  if (read.kind === "missing") throw new ConnectorError(statusNotFound());
  if (read.kind === "found") return read.stored.value;
  if (read.value === null) throw new ConnectorError(unreadableStatus(read.raw));
  return read.value;
}

/**
 * GET_CONNECTOR_STATUS over `read`, which returns the status row's raw value (null when there is
 * no row): the statuses are not parsed, which is all a procedure that only reports them needs.
 */
export function reportStoredStatus(read: () => unknown): ConnectorResponse {
  return guarded(() => {
    const raw = read();
    if (raw === null || raw === undefined) return statusNotFound();
    const value = storedObject(raw);
    return value === null ? unreadableStatus(describeRaw(raw)) : statusReport(value);
  });
}

/** The status object with `response_code` OK, a change in progress shown as not yet made. */
function statusReport(value: Readonly<Record<string, unknown>>): ConnectorResponse {
  const answer = withOk(value);
  if (value.status === "STARTING") answer.status = "PAUSED";
  else if (value.status === "PAUSING") answer.status = "STARTED";
  return answer;
}

/** A copy of a stored object with `response_code` OK, keys in their stored order. */
function withOk(value: Readonly<Record<string, unknown>>): ConnectorResponse & Record<string, unknown> {
  const answer: Record<string, unknown> = {};
  for (const key of Object.keys(value)) answer[key] = value[key];
  answer.response_code = "OK";
  return answer as ConnectorResponse & Record<string, unknown>;
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
    const value = storedValue(ports.status.read());
    const current = value.status;
    if (typeof current !== "string" || RECOVERABLE.indexOf(current as ConnectorStatus) < 0) {
      return invalidStatus(operation, RECOVERABLE, current === undefined ? null : current);
    }
    if (typeof target !== "string" || RECOVERY_TARGETS.indexOf(target as ConnectorStatus) < 0) {
      return {
        response_code: "INVALID_NEW_CONNECTOR_STATUS",
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

// --- the configuration wizard --------------------------------------------------------------

/** The hook procedures the wizard's steps call, in the order of the steps. */
export const CONFIGURE_VALIDATE_PROCEDURE = "PUBLIC.CONFIGURE_CONNECTOR_VALIDATE";
export const CONFIGURE_INTERNAL_PROCEDURE = "PUBLIC.CONFIGURE_CONNECTOR_INTERNAL";
export const CONNECTION_VALIDATE_PROCEDURE = "PUBLIC.SET_CONNECTION_CONFIGURATION_VALIDATE";
export const CONNECTION_INTERNAL_PROCEDURE = "PUBLIC.SET_CONNECTION_CONFIGURATION_INTERNAL";
export const TEST_CONNECTION_PROCEDURE = "PUBLIC.TEST_CONNECTION";
export const FINALIZE_VALIDATE_PROCEDURE = "PUBLIC.FINALIZE_CONNECTOR_CONFIGURATION_VALIDATE";
export const VALIDATE_SOURCE_PROCEDURE = "PUBLIC.VALIDATE_SOURCE";
export const FINALIZE_INTERNAL_PROCEDURE = "PUBLIC.FINALIZE_CONNECTOR_CONFIGURATION_INTERNAL";

/**
 * Which configuration statuses a step accepts: a list, everything but some (the prerequisite
 * steps refuse only FINALIZED, and accept a status object without one), or any.
 */
type ConfigurationGate =
  | { readonly kind: "in"; readonly statuses: readonly ConfigurationStatus[] }
  | { readonly kind: "not"; readonly statuses: readonly ConfigurationStatus[] }
  | { readonly kind: "any" };

const NOT_FINALIZED: ConfigurationGate = { kind: "not", statuses: ["FINALIZED"] };

/**
 * Reads the status and checks it for a step of the wizard: the connector must be CONFIGURING
 * (INVALID_CONNECTOR_STATUS) and its configuration status pass the gate
 * (INVALID_CONNECTOR_CONFIGURATION_STATUS, naming the statuses accepted).
 */
function requireConfiguring(ports: LifecyclePorts, operation: string, gate: ConfigurationGate): StoredStatus | ConnectorResponse {
  const current = readStatus(ports);
  if (isResponse(current)) return current;
  if (current.status !== "CONFIGURING") return invalidStatus(operation, ["CONFIGURING"], current.status);
  const configuration = current.configurationStatus;
  if (gate.kind === "in" && (configuration === null || gate.statuses.indexOf(configuration) < 0)) {
    return invalidConfigurationStatus(operation, gate.statuses, configuration);
  }
  if (gate.kind === "not" && configuration !== null && gate.statuses.indexOf(configuration) >= 0) {
    return invalidConfigurationStatus(operation, CONFIGURATION_STATUSES.filter((s) => gate.statuses.indexOf(s) < 0), configuration);
  }
  return current;
}

/** Moves the configuration status (status stays CONFIGURING) unless another call changed it first. */
function advance(ports: LifecyclePorts, current: StoredStatus, to: ConfigurationStatus): boolean {
  return ports.status.compareAndSet({ status: current.status, configurationStatus: current.configurationStatus }, { status: "CONFIGURING", configurationStatus: to });
}

/** The answer when the status moved under a step after it had written what it was given. */
function changedAfterSaving(operation: string, saved: string): ConnectorResponse {
  return {
    response_code: "INVALID_CONNECTOR_STATUS",
    message:
      "The connector status changed while " + operation + " was running: " + saved + " was saved, but the configuration status was not moved. " +
      "Check GET_CONNECTOR_STATUS and call " + operation + " again.",
  };
}

function isObject(value: unknown): value is Readonly<Record<string, unknown>> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function shown(value: unknown): string {
  if (value === undefined || value === null) return "NULL";
  const text = JSON.stringify(value);
  return text.length > 100 ? text.slice(0, 100) + "..." : text;
}

/** An argument that must be a JSON object and is not: INVALID_INPUT naming the argument. */
function notAnObject(operation: string, argument: string, value: unknown): ConnectorResponse {
  return invalidInput(operation + " expects " + argument + " to be a JSON object, got " + shown(value) + ".");
}

/**
 * COMPLETE_PREREQUISITES_STEP(): while CONFIGURING and not FINALIZED, moves INSTALLED to
 * PREREQUISITES_DONE; from a later configuration status it changes nothing and answers OK.
 */
export function completePrerequisitesStep(ports: LifecyclePorts): ConnectorResponse {
  const operation = "COMPLETE_PREREQUISITES_STEP";
  return guarded(() => {
    const current = requireConfiguring(ports, operation, NOT_FINALIZED);
    if (isResponse(current)) return current;
    if (current.configurationStatus === "INSTALLED" && !advance(ports, current, "PREREQUISITES_DONE")) return concurrentChange(operation);
    return okResponse("Prerequisites step completed.");
  });
}

/**
 * UPDATE_PREREQUISITE(ID VARCHAR, IS_COMPLETED BOOLEAN): while CONFIGURING and not FINALIZED,
 * sets one prerequisite's IS_COMPLETED; PREREQUISITE_NOT_FOUND when no prerequisite has the ID.
 * The statuses do not change.
 */
export function updatePrerequisite(ports: LifecyclePorts, id: unknown, isCompleted: unknown): ConnectorResponse {
  const operation = "UPDATE_PREREQUISITE";
  return guarded(() => {
    const current = requireConfiguring(ports, operation, NOT_FINALIZED);
    if (isResponse(current)) return current;
    if (typeof isCompleted !== "boolean") return invalidInput(operation + " expects IS_COMPLETED to be TRUE or FALSE, got " + shown(isCompleted) + ".");
    const name = typeof id === "string" ? id : id === null || id === undefined ? null : String(id);
    if (name === null || !ports.prerequisites.update(name, isCompleted)) {
      return {
        response_code: "PREREQUISITE_NOT_FOUND",
        message: "No prerequisite has the ID " + (name === null ? "NULL" : "'" + name + "'") + "; PUBLIC.PREREQUISITES lists them.",
      };
    }
    return okResponse("Prerequisite '" + name + "' is now marked as " + (isCompleted ? "completed." : "not completed."));
  });
}

/**
 * MARK_ALL_PREREQUISITES_AS_DONE(): while CONFIGURING and not FINALIZED, marks every
 * prerequisite completed. The configuration status does not change (COMPLETE_PREREQUISITES_STEP
 * moves it).
 */
export function markAllPrerequisitesAsDone(ports: LifecyclePorts): ConnectorResponse {
  const operation = "MARK_ALL_PREREQUISITES_AS_DONE";
  return guarded(() => {
    const current = requireConfiguring(ports, operation, NOT_FINALIZED);
    if (isResponse(current)) return current;
    ports.prerequisites.completeAll();
    return okResponse("All prerequisites are marked as done.");
  });
}

/** The keys CONFIGURE_CONNECTOR accepts, as the SDK's connector configuration defines them. */
export const CONNECTOR_CONFIGURATION_KEYS: readonly string[] = [
  "warehouse",
  "destination_database",
  "destination_schema",
  "data_owner_role",
  "operational_warehouse",
  "global_schedule",
  "agent_username",
  "agent_role",
  "cortex_warehouse",
  "cortex_user_role",
];

/**
 * CONFIGURE_CONNECTOR(CONFIG VARIANT): while CONFIGURING, checks the configuration's keys, runs
 * the _VALIDATE hook, saves the configuration under `connector_configuration`, runs the
 * _INTERNAL hook, and moves the configuration status to CONFIGURED when it was earlier (a
 * connector already CONNECTED stays CONNECTED). A hook's non-OK answer is returned as is.
 */
export function configureConnector(ports: LifecyclePorts, config: unknown): ConnectorResponse {
  const operation = "CONFIGURE_CONNECTOR";
  return guarded(() => {
    const current = requireConfiguring(ports, operation, { kind: "any" });
    if (isResponse(current)) return current;
    if (!isObject(config)) return internalError(operation + " expects the configuration as a JSON object, got " + shown(config) + ".");
    const unknown = Object.keys(config).filter((key) => CONNECTOR_CONFIGURATION_KEYS.indexOf(key) < 0).sort();
    if (unknown.length > 0) {
      return {
        response_code: "CONNECTOR_CONFIGURATION_PARSING_ERROR",
        message:
          "The connector configuration does not accept " + (unknown.length === 1 ? "the field " : "the fields ") + unknown.join(", ") +
          "; its fields are " + CONNECTOR_CONFIGURATION_KEYS.join(", ") + ".",
      };
    }
    const validation = callHookProcedure(ports, CONFIGURE_VALIDATE_PROCEDURE, [config]);
    if (!isOk(validation)) return validation;
    ports.config.save("connector_configuration", config);
    const internal = callHookProcedure(ports, CONFIGURE_INTERNAL_PROCEDURE, [config]);
    if (!isOk(internal)) return internal;
    if (isBefore(current.configurationStatus, "CONFIGURED") && !advance(ports, current, "CONFIGURED")) {
      return changedAfterSaving(operation, "the connector configuration");
    }
    return okResponse("Connector configured.");
  });
}

/** True when `status` comes before `than` in the wizard; a status object without one counts as the start. */
function isBefore(status: ConfigurationStatus | null, than: ConfigurationStatus): boolean {
  return status === null || CONFIGURATION_STATUSES.indexOf(status) < CONFIGURATION_STATUSES.indexOf(than);
}

/**
 * SET_CONNECTION_CONFIGURATION(CONNECTION_CONFIGURATION VARIANT): while CONFIGURING and
 * CONFIGURED or CONNECTED, runs the _VALIDATE hook (whose OK answer may carry `config`, the
 * configuration to save instead), saves it under `connection_configuration`, runs the _INTERNAL
 * hook, then TEST_CONNECTION(): its answer is returned, and only OK moves the configuration
 * status to CONNECTED. A failed test keeps the saved configuration and the status.
 */
export function setConnectionConfiguration(ports: LifecyclePorts, config: unknown): ConnectorResponse {
  const operation = "SET_CONNECTION_CONFIGURATION";
  return guarded(() => {
    const current = requireConfiguring(ports, operation, { kind: "in", statuses: ["CONFIGURED", "CONNECTED"] });
    if (isResponse(current)) return current;
    if (!isObject(config)) return notAnObject(operation, "CONNECTION_CONFIGURATION", config);
    const validation = callHookProcedure(ports, CONNECTION_VALIDATE_PROCEDURE, [config]);
    if (!isOk(validation)) return validation;
    let saved: unknown = config;
    if (validation.config !== undefined && validation.config !== null) {
      if (!isObject(validation.config)) {
        return invalidResponse(CONNECTION_VALIDATE_PROCEDURE, shown(validation), "the configuration it gives in config is not a JSON object");
      }
      saved = validation.config;
    }
    ports.config.save("connection_configuration", saved);
    const internal = callHookProcedure(ports, CONNECTION_INTERNAL_PROCEDURE, [saved]);
    if (!isOk(internal)) return internal;
    const test = callHookProcedure(ports, TEST_CONNECTION_PROCEDURE, []);
    if (isOk(test) && current.configurationStatus !== "CONNECTED" && !advance(ports, current, "CONNECTED")) {
      return changedAfterSaving(operation, "the connection configuration");
    }
    return test;
  });
}

/**
 * GET_CONNECTION_CONFIGURATION(): the saved connection configuration with `response_code` OK, or
 * CONNECTION_CONFIGURATION_NOT_FOUND before one is saved.
 */
export function getConnectionConfiguration(ports: { readonly config: Pick<ConfigStore, "read"> }): ConnectorResponse {
  return guarded(() => {
    const read = ports.config.read("connection_configuration");
    if (!read.found || read.value === null || read.value === undefined) {
      return {
        response_code: "CONNECTION_CONFIGURATION_NOT_FOUND",
        message: "No connection configuration is saved yet: call SET_CONNECTION_CONFIGURATION first.",
      };
    }
    if (!isObject(read.value)) return internalError("The connection configuration saved in STATE.APP_CONFIG is not a JSON object: " + shown(read.value));
    return withOk(read.value);
  });
}

/**
 * FINALIZE_CONNECTOR_CONFIGURATION(CUSTOM_CONFIGURATION VARIANT): while CONFIGURING and
 * CONNECTED, runs _VALIDATE, VALIDATE_SOURCE and _INTERNAL with the custom configuration (the
 * first non-OK answer is returned, nothing changed), then sets STARTED / FINALIZED and returns
 * the _INTERNAL hook's answer.
 */
export function finalizeConnectorConfiguration(ports: LifecyclePorts, customConfiguration: unknown): ConnectorResponse {
  const operation = "FINALIZE_CONNECTOR_CONFIGURATION";
  return guarded(() => {
    const current = requireConfiguring(ports, operation, { kind: "in", statuses: ["CONNECTED"] });
    if (isResponse(current)) return current;
    if (!isObject(customConfiguration)) return notAnObject(operation, "CUSTOM_CONFIGURATION", customConfiguration);
    const args = [customConfiguration];
    const validation = callHookProcedure(ports, FINALIZE_VALIDATE_PROCEDURE, args);
    if (!isOk(validation)) return validation;
    const source = callHookProcedure(ports, VALIDATE_SOURCE_PROCEDURE, args);
    if (!isOk(source)) return source;
    const answer = callHookProcedure(ports, FINALIZE_INTERNAL_PROCEDURE, args);
    if (!isOk(answer)) return answer;
    const expected = { status: current.status, configurationStatus: current.configurationStatus };
    if (!ports.status.compareAndSet(expected, { status: "STARTED", configurationStatus: "FINALIZED" })) {
      return {
        response_code: "INVALID_CONNECTOR_STATUS",
        message:
          "The connector status changed while " + operation + " was running: its hooks ran, but the connector was not moved to STARTED. " +
          "Check GET_CONNECTOR_STATUS.",
      };
    }
    return answer;
  });
}
