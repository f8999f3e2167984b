/**
 * Connector status values and their parsing.
 *
 * The status lives in `STATE.APP_STATE` under the key `connector_status` as a VARIANT
 * `{"status": ..., "configurationStatus": ...}`. This module is compiled into the
 * JavaScript stored procedures, so it must stay synchronous and free of Node APIs.
 */

export type ConnectorStatus = "CONFIGURING" | "STARTING" | "STARTED" | "PAUSING" | "PAUSED" | "ERROR";

export type ConfigurationStatus =
  | "INSTALLED"
  | "PREREQUISITES_DONE"
  | "CONFIGURED"
  | "CONNECTED"
  | "FINALIZED";

export interface FullConnectorStatus {
  readonly status: ConnectorStatus;
  readonly configurationStatus: ConfigurationStatus;
}

export const CONNECTOR_STATUSES: readonly ConnectorStatus[] = [
  "CONFIGURING",
  "STARTING",
  "STARTED",
  "PAUSING",
  "PAUSED",
  "ERROR",
];

/** Configuration statuses in the order the wizard moves through them. */
export const CONFIGURATION_STATUSES: readonly ConfigurationStatus[] = [
  "INSTALLED",
  "PREREQUISITES_DONE",
  "CONFIGURED",
  "CONNECTED",
  "FINALIZED",
];

/** The row key of the connector status in STATE.APP_STATE. */
export const STATUS_KEY = "connector_status";

export function isConnectorStatus(value: unknown): value is ConnectorStatus {
  return typeof value === "string" && CONNECTOR_STATUSES.indexOf(value as ConnectorStatus) >= 0;
}

export function isConfigurationStatus(value: unknown): value is ConfigurationStatus {
  return typeof value === "string" && CONFIGURATION_STATUSES.indexOf(value as ConfigurationStatus) >= 0;
}

/**
 * Reads a stored status value. Accepts the VARIANT as an object or as its JSON text;
 * returns null when the value is not a status object with two known values.
 */
export function parseFullStatus(raw: unknown): FullConnectorStatus | null {
  let value = raw;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch (_e) {
      return null;
    }
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  const record = value as { status?: unknown; configurationStatus?: unknown };
  if (!isConnectorStatus(record.status) || !isConfigurationStatus(record.configurationStatus)) return null;
  return { status: record.status, configurationStatus: record.configurationStatus };
}

/** Compact text of a raw stored value, for error messages. */
export function describeRaw(raw: unknown): string {
  if (raw === undefined) return "undefined";
  if (typeof raw === "string") return raw;
  try {
    return JSON.stringify(raw);
  } catch (_e) {
    return String(raw);
  }
}

export function sameStatus(a: FullConnectorStatus, b: FullConnectorStatus): boolean {
  return a.status === b.status && a.configurationStatus === b.configurationStatus;
}
