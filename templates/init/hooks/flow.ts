/**
 * The connector's configuration wizard hooks: one per step the SDK lets a connector customise.
 *
 * - `configure` becomes PUBLIC.CONFIGURE_CONNECTOR_VALIDATE / _INTERNAL(CONFIG VARIANT);
 * - `connection` becomes PUBLIC.SET_CONNECTION_CONFIGURATION_VALIDATE / _INTERNAL
 *   (CONNECTION_CONFIGURATION VARIANT) and PUBLIC.TEST_CONNECTION();
 * - `finalize` becomes PUBLIC.FINALIZE_CONNECTOR_CONFIGURATION_VALIDATE, PUBLIC.VALIDATE_SOURCE and
 *   PUBLIC.FINALIZE_CONNECTOR_CONFIGURATION_INTERNAL(CUSTOM_CONFIGURATION VARIANT).
 *
 * A non-OK answer stops the step and goes back to the caller as it is. Try them without an
 * account: `npx floe demo` walks the wizard in the local sandbox.
 */
import { defineConfigureHooks, defineConnectionHooks, defineFinalizeHooks, ok, okWithConfig, error } from "floe";

/** What SET_CONNECTION_CONFIGURATION receives. Change it to your source system's settings. */
interface Connection {
  readonly endpoint: string;
  /** The secret that holds the credentials, by name. */
  readonly secret: string;
}

/** What FINALIZE_CONNECTOR_CONFIGURATION receives: what to ingest. */
interface Scope {
  readonly resources: readonly string[];
}

export const configure = defineConfigureHooks({
  validate(_ctx, config) {
    // config holds the SDK's connector configuration keys: warehouse, destination_database, ...
    if (typeof config.warehouse !== "string") return error("WAREHOUSE_MISSING", "Name the warehouse the connector runs on in warehouse.");
    return ok();
  },
});

export const connection = defineConnectionHooks<Connection>({
  validate(_ctx, config) {
    if (typeof config.endpoint !== "string" || config.endpoint.indexOf("https://") !== 0) return error("INVALID_ENDPOINT", "endpoint must be an https:// URL.");
    // Save only the fields the connector uses; anything else given is dropped.
    return okWithConfig({ endpoint: config.endpoint, secret: config.secret });
  },
  testConnection(ctx) {
    // Call the source system here (through an external access integration) and answer how it went.
    const saved = ctx.readConfig<Connection>("connection_configuration");
    return saved === null ? error("NOT_CONFIGURED", "No connection configuration is saved.") : ok("Connection to " + saved.endpoint + " configured.");
  },
});

export const finalize = defineFinalizeHooks<Scope>({
  validateSource(_ctx, config) {
    return Array.isArray(config.resources) && config.resources.length > 0 ? ok() : error("NO_RESOURCES", "List the resources to ingest in resources.");
  },
  internal(_ctx, config) {
    // Create the connector's tasks and tables here. This answer is FINALIZE_CONNECTOR_CONFIGURATION's.
    return ok("Set up to ingest " + config.resources.length + " resources.");
  },
});
