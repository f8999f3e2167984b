/**
 * Connector status values and the reading of the stored status object.
 *
 * The status lives in `STATE.APP_STATE` under the key `connector_status` as a VARIANT
 * `{"status": ..., "configurationStatus": ...}`, possibly with other keys, which every write
 * keeps. This module is compiled into the JavaScript stored procedures, so it must stay
 * synchronous and free of Node APIs.
 */

export type ConnectorStatus = "CONFIGURING" | "STARTING" | "STARTED" | "PAUSING" | "PAUSED" | "ERROR";

export type ConfigurationStatus =
  | "INSTALLED"
  | "PREREQUISITES_DONE"
  | "CONFIGURED"
  | "CONNECTED"
  | "FINALIZED";

/** A status as floe writes it. */
export interface FullConnectorStatus {
  readonly status: ConnectorStatus;
  readonly configurationStatus: ConfigurationStatus;
}

/**
 * A status as read. Either field may be missing from the stored object (null here); a value
 * outside the known ones makes the object unreadable instead. `value` is the whole object.
 */
export interface StoredStatus {
  readonly status: ConnectorStatus | null;
  readonly configurationStatus: ConfigurationStatus | null;
  readonly value: Readonly<Record<string, unknown>>;
}

export const CONNECTOR_STATUSES: readonly ConnectorStatus[] = ["CONFIGURING", "STARTING", "STARTED", "PAUSING", "PAUSED", "ERROR"];

/** Configuration statuses in the order the wizard moves through them. */
export const CONFIGURATION_STATUSES: readonly ConfigurationStatus[] = ["INSTALLED", "PREREQUISITES_DONE", "CONFIGURED", "CONNECTED", "FINALIZED"];

/** The row key of the connector status in STATE.APP_STATE. */
export const STATUS_KEY = "connector_status";

export function isConnectorStatus(value: unknown): value is ConnectorStatus {
  return typeof value === "string" && CONNECTOR_STATUSES.indexOf(value as ConnectorStatus) >= 0;
}

export function isConfigurationStatus(value: unknown): value is ConfigurationStatus {
  return typeof value === "string" && CONFIGURATION_STATUSES.indexOf(value as ConfigurationStatus) >= 0;
}

/** The stored value as an object, or null when it is not one. Accepts the VARIANT's JSON text. */
export function storedObject(raw: unknown): Readonly<Record<string, unknown>> | null {
  let value = raw;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value);
    } catch (_e) {
      return null;
    }
  }
  if (value === null || typeof value !== "object" || Array.isArray(value)) return null;
  return value as Record<string, unknown>;
}

/**
 * Reads a stored status the way the reference maps it onto its status class: an absent (or
 * null) field reads as not set; a value outside the known statuses, or a value that is not an
 * object, cannot be read (null). Extra keys are allowed and kept in `value`.
 */
export function parseStoredStatus(raw: unknown): StoredStatus | null {
  const value = storedObject(raw);
  if (value === null) return null;
  // `== null`: a field that is absent or null reads as not set.
  const status = value.status == null ? null : value.status;
  const configurationStatus = value.configurationStatus == null ? null : value.configurationStatus;
  if (status !== null && !isConnectorStatus(status)) return null;
  if (configurationStatus !== null && !isConfigurationStatus(configurationStatus)) return null;
  return { status: status, configurationStatus: configurationStatus, value: value };
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
