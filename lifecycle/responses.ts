/**
 * The `{response_code, message}` answers of the lifecycle procedures, with the wire codes of
 * LIFECYCLE.md, and the check of a called procedure's answer. Compiled into the stored
 * procedures: synchronous, no Node APIs. Messages state the facts (operation, expected and
 * current status, procedure) in floe's own words.
 *
 * Each procedure body carries only what its entry reaches, and a bundler keeps an object literal
 * whole once anything reads it: so the code here writes each code as its string (checked against
 * LifecycleResponseCode), and ResponseCodes, the table of all of them, is for the users' code only.
 */

export const ResponseCodes = {
  OK: "OK",
  INVALID_CONNECTOR_STATUS: "INVALID_CONNECTOR_STATUS",
  INVALID_CONNECTOR_CONFIGURATION_STATUS: "INVALID_CONNECTOR_CONFIGURATION_STATUS",
  INVALID_NEW_CONNECTOR_STATUS: "INVALID_NEW_CONNECTOR_STATUS",
  CONNECTOR_STATUS_NOT_FOUND: "CONNECTOR_STATUS_NOT_FOUND",
  REQUIRED_PRIVILEGES_MISSING: "REQUIRED_PRIVILEGES_MISSING",
  ROLLBACK: "ROLLBACK",
  UNKNOWN_SQL_ERROR: "UNKNOWN_SQL_ERROR",
  PROCEDURE_NOT_FOUND: "PROCEDURE_NOT_FOUND",
  INVALID_RESPONSE: "INVALID_RESPONSE",
  UNKNOWN_ERROR: "UNKNOWN_ERROR",
  INTERNAL_ERROR: "INTERNAL_ERROR",
  /** An argument of the call is not what the procedure accepts. */
  INVALID_INPUT: "INVALID_INPUT",
  /** CONFIGURE_CONNECTOR was given keys outside the connector configuration's. */
  CONNECTOR_CONFIGURATION_PARSING_ERROR: "CONNECTOR_CONFIGURATION_PARSING_ERROR",
  /** GET_CONNECTION_CONFIGURATION before any connection configuration was saved. */
  CONNECTION_CONFIGURATION_NOT_FOUND: "CONNECTION_CONFIGURATION_NOT_FOUND",
  /** UPDATE_PREREQUISITE with an ID no prerequisite has. */
  PREREQUISITE_NOT_FOUND: "PREREQUISITE_NOT_FOUND",
  /** A name read from the app's tables (a Task Reactor instance) is not a Snowflake identifier. */
  INVALID_IDENTIFIER: "INVALID_IDENTIFIER",
} as const;

export type LifecycleResponseCode = (typeof ResponseCodes)[keyof typeof ResponseCodes];

/**
 * What every lifecycle procedure returns. Custom validators may answer with codes of their
 * own (e.g. `WAREHOUSE_MISSING`) and extra keys; those travel back to the caller unchanged.
 */
export interface ConnectorResponse {
  readonly response_code: string;
  readonly message?: string;
  readonly [extra: string]: unknown;
}

/**
 * An answer carried by an exception: a failure that ends the call with this response (a
 * hook procedure that is missing, failed or answered badly). The handler's error helper turns
 * it back into the answer; any other exception becomes UNKNOWN_ERROR.
 */
export class ConnectorError extends Error {
  readonly response: ConnectorResponse;
  constructor(response: ConnectorResponse) {
    super(response.message === undefined ? response.response_code : response.message);
    this.name = "ConnectorError";
    this.response = response;
  }
}

export function okResponse(message?: string): ConnectorResponse {
  return message === undefined ? { response_code: "OK" } : { response_code: "OK", message };
}

export function errorResponse(code: LifecycleResponseCode, message: string): ConnectorResponse {
  return { response_code: code, message };
}

export function isOk(response: ConnectorResponse): boolean {
  return response.response_code === "OK";
}

export type ResponseCheck = { readonly ok: true; readonly response: ConnectorResponse } | { readonly ok: false; readonly reason: string };

/** A VARIANT field read as text: scalars become their text, as a VARIANT cast to a string does. */
function scalarText(value: unknown): string | null | undefined {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return undefined;
}

/**
 * Checks that a called procedure's answer is a response: an object with a `response_code`,
 * and a `message` whenever the code is not OK. Extra keys are kept. A VARIANT may reach
 * JavaScript as its JSON text, which is parsed first.
 */
export function checkResponse(value: unknown): ResponseCheck {
  let answer = value;
  if (typeof answer === "string") {
    try {
      answer = JSON.parse(answer);
    } catch (_e) {
      return { ok: false, reason: "it is not an object" };
    }
  }
  if (answer === null || answer === undefined) return { ok: false, reason: "it is NULL" };
  if (typeof answer !== "object" || Array.isArray(answer)) return { ok: false, reason: "it is not an object" };
  const record = answer as Record<string, unknown>;
  const code = scalarText(record.response_code);
  if (code === undefined) return { ok: false, reason: "its response_code is not a text" };
  if (code === null) return { ok: false, reason: "it has no response_code" };
  const message = scalarText(record.message);
  if (message === undefined) return { ok: false, reason: "its message is not a text" };
  if (message === null && code !== "OK") return { ok: false, reason: "an answer other than OK must carry a message" };
  const response: Record<string, unknown> = {};
  for (const key of Object.keys(record)) response[key] = record[key];
  response.response_code = code;
  if (message === null) delete response.message;
  else response.message = message;
  return { ok: true, response: response as ConnectorResponse };
}

function statusText(status: unknown): string {
  return status === null || status === undefined ? "not set" : String(status);
}

export function privilegesMissing(privileges: readonly string[]): ConnectorResponse {
  return errorResponse(
    "REQUIRED_PRIVILEGES_MISSING",
    "The application lacks account privileges this operation needs: " + privileges.join(", ") +
      ". The consumer grants them with GRANT <privilege> ON ACCOUNT TO APPLICATION <application>.",
  );
}

export function invalidStatus(operation: string, expected: readonly string[], current: unknown): ConnectorResponse {
  return errorResponse(
    "INVALID_CONNECTOR_STATUS",
    operation + " needs the connector status to be one of [" + expected.join(", ") + "]; it is " + statusText(current) + ".",
  );
}

export function invalidConfigurationStatus(operation: string, expected: readonly string[], current: unknown): ConnectorResponse {
  return errorResponse(
    "INVALID_CONNECTOR_CONFIGURATION_STATUS",
    operation + " needs the configuration status to be one of [" + expected.join(", ") + "]; it is " + statusText(current) + ".",
  );
}

export function statusNotFound(): ConnectorResponse {
  return errorResponse("CONNECTOR_STATUS_NOT_FOUND", "Connector status not found: STATE.APP_STATE has no 'connector_status' row.");
}

/** The stored status cannot be read. */
export function unreadableStatus(raw: string): ConnectorResponse {
  return errorResponse("INTERNAL_ERROR", "The connector status stored in STATE.APP_STATE cannot be read: " + raw);
}

export function procedureNotFound(procedure: string): ConnectorResponse {
  return errorResponse("PROCEDURE_NOT_FOUND", "The procedure " + procedure + "() does not exist.");
}

export function unknownSqlError(procedure: string, cause: string): ConnectorResponse {
  return errorResponse("UNKNOWN_SQL_ERROR", "Calling " + procedure + "() failed with an SQL error: " + cause);
}

export function invalidResponse(procedure: string, shown: string, reason: string): ConnectorResponse {
  return errorResponse("INVALID_RESPONSE", procedure + "() answered " + shown + ", which is not a valid response: " + reason + ".");
}

/** A failure after the in-progress status was written: the connector is left in ERROR. */
export function unspecifiedState(detail: string): ConnectorResponse {
  return errorResponse(
    "UNKNOWN_ERROR",
    "The connector is now in an unspecified state (" + detail + "); it may need manual intervention. " +
      "Once the cause is fixed, RECOVER_CONNECTOR_STATE sets the status.",
  );
}

/** A stored value that cannot be used as it is (not a JSON object where one is needed). */
export function internalError(message: string): ConnectorResponse {
  return errorResponse("INTERNAL_ERROR", message);
}

export function invalidInput(message: string): ConnectorResponse {
  return errorResponse("INVALID_INPUT", message);
}

/** Any unexpected exception: UNKNOWN_ERROR with the exception's own message. */
export function unknownError(message: string): ConnectorResponse {
  return errorResponse("UNKNOWN_ERROR", message);
}

/** The message of anything thrown, for responses and logs. */
export function errorMessage(error: unknown): string {
  if (error !== null && typeof error === "object" && typeof (error as { message?: unknown }).message === "string") {
    return (error as { message: string }).message;
  }
  return String(error);
}

/** An error helper's answer for anything thrown: a ConnectorError's response, else UNKNOWN_ERROR. */
export function responseOf(error: unknown): ConnectorResponse {
  if (error instanceof ConnectorError) return error.response;
  return unknownError(errorMessage(error));
}
