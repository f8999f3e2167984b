/**
 * The `{response_code, message}` answers of the lifecycle procedures, with the wire codes of
 * LIFECYCLE.md. Compiled into the stored procedures: synchronous, no Node APIs.
 */

export const ResponseCodes = {
  OK: "OK",
  INVALID_CONNECTOR_STATUS: "INVALID_CONNECTOR_STATUS",
  CONNECTOR_STATUS_NOT_FOUND: "CONNECTOR_STATUS_NOT_FOUND",
  REQUIRED_PRIVILEGES_MISSING: "REQUIRED_PRIVILEGES_MISSING",
  ROLLBACK: "ROLLBACK",
  INTERNAL_ERROR: "INTERNAL_ERROR",
  UNKNOWN_ERROR: "UNKNOWN_ERROR",
} as const;

export type LifecycleResponseCode = (typeof ResponseCodes)[keyof typeof ResponseCodes];

/**
 * What every lifecycle procedure returns. Custom validators may answer with codes of their
 * own (e.g. `WAREHOUSE_MISSING`); those travel back to the caller unchanged.
 */
export interface ConnectorResponse {
  readonly response_code: string;
  readonly message?: string;
  readonly [extra: string]: unknown;
}

export function okResponse(message?: string): ConnectorResponse {
  return message === undefined ? { response_code: ResponseCodes.OK } : { response_code: ResponseCodes.OK, message };
}

export function errorResponse(code: string, message: string): ConnectorResponse {
  return { response_code: code, message };
}

export function isOk(response: ConnectorResponse): boolean {
  return response.response_code === ResponseCodes.OK;
}

/**
 * Checks that a procedure's answer has the `{response_code, message?}` shape. Returns the
 * answer typed, or null when it is not an object with a string response_code (and, if
 * present, a string message).
 */
export function asConnectorResponse(value: unknown): ConnectorResponse | null {
  let answer = value;
  if (typeof answer === "string") {
    // A VARIANT may reach JavaScript as its JSON text when it went through a string column.
    try {
      answer = JSON.parse(answer);
    } catch (_e) {
      return null;
    }
  }
  if (answer === null || typeof answer !== "object" || Array.isArray(answer)) return null;
  const record = answer as { response_code?: unknown; message?: unknown };
  if (typeof record.response_code !== "string" || record.response_code.length === 0) return null;
  if (record.message !== undefined && record.message !== null && typeof record.message !== "string") return null;
  return answer as ConnectorResponse;
}

export function privilegesMissing(privileges: readonly string[]): ConnectorResponse {
  return errorResponse(
    ResponseCodes.REQUIRED_PRIVILEGES_MISSING,
    "To perform this operation the application must be granted the following privileges: " + privileges.join(", "),
  );
}

export function invalidStatus(expected: readonly string[], current: string): ConnectorResponse {
  return errorResponse(
    ResponseCodes.INVALID_CONNECTOR_STATUS,
    "Invalid connector status. Expected status in: [" + expected.join(", ") + "]. Current status: " + current + ".",
  );
}

export function statusNotFound(): ConnectorResponse {
  return errorResponse(
    ResponseCodes.CONNECTOR_STATUS_NOT_FOUND,
    "Connector status not found: STATE.APP_STATE has no 'connector_status' row.",
  );
}

export function internalError(message: string): ConnectorResponse {
  return errorResponse(ResponseCodes.INTERNAL_ERROR, message);
}

export function unknownError(detail: string): ConnectorResponse {
  return errorResponse(
    ResponseCodes.UNKNOWN_ERROR,
    "An unknown error occurred and the connector is now in an unspecified state: " + detail,
  );
}

/** The message of anything thrown, for responses and logs. */
export function errorMessage(error: unknown): string {
  if (error !== null && typeof error === "object" && typeof (error as { message?: unknown }).message === "string") {
    return (error as { message: string }).message;
  }
  return String(error);
}
