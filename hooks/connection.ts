/**
 * The example connector's connection hooks (SET_CONNECTION_CONFIGURATION and TEST_CONNECTION).
 *
 * `validate` and `internal` become PUBLIC.SET_CONNECTION_CONFIGURATION_VALIDATE / _INTERNAL
 * (CONNECTION_CONFIGURATION VARIANT); `testConnection` becomes PUBLIC.TEST_CONNECTION(), whose
 * answer SET_CONNECTION_CONFIGURATION returns: only OK moves the connector to CONNECTED.
 */
import { defineConnectionHooks, ok, okWithConfig, error } from "floe";

/** What a consumer passes to SET_CONNECTION_CONFIGURATION. */
interface Connection {
  readonly endpoint: string;
  /** The name of the secret that holds the API token. */
  readonly secret: string;
  /** A token pasted by mistake: never saved. */
  readonly token?: string;
}

export const connection = defineConnectionHooks<Connection>({
  validate(_ctx, config) {
    if (typeof config.endpoint !== "string" || config.endpoint.indexOf("https://") !== 0) {
      return error("INVALID_ENDPOINT", "endpoint must be an https:// URL.");
    }
    if (typeof config.secret !== "string" || config.secret.length === 0) {
      return error("SECRET_MISSING", "Name the secret that holds the API token in secret.");
    }
    // Save the configuration without a token: the secret is where it belongs.
    return okWithConfig({ endpoint: config.endpoint.replace(/\/+$/, ""), secret: config.secret });
  },
  testConnection(ctx) {
    // Inside Snowflake the connector would call the endpoint through an external access
    // integration; here it checks what was saved.
    const saved = ctx.readConfig<Connection>("connection_configuration");
    if (saved === null) return error("CONNECTION_NOT_CONFIGURED", "No connection configuration is saved.");
    if (saved.token !== undefined) return error("TOKEN_SAVED", "A token was saved with the configuration.");
    return ok("Connection to " + saved.endpoint + " checked.");
  },
});
