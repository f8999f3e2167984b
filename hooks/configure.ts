/**
 * The example connector's configuration hooks (CONFIGURE_CONNECTOR).
 *
 * `floe render` compiles `validate` into PUBLIC.CONFIGURE_CONNECTOR_VALIDATE(CONFIG VARIANT) and
 * `internal` into PUBLIC.CONFIGURE_CONNECTOR_INTERNAL(CONFIG VARIANT). CONFIGURE_CONNECTOR has
 * already refused keys outside the connector configuration's when they run.
 */
import { defineConfigureHooks, ok, error, type ConnectorConfiguration } from "floe";

/** Names the connector needs; each must be a plain Snowflake identifier. */
const REQUIRED: readonly (keyof ConnectorConfiguration)[] = ["warehouse", "destination_database"];
const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_$]*$/;

export const configure = defineConfigureHooks({
  validate(_ctx, config) {
    for (const key of REQUIRED) {
      const value = config[key];
      if (typeof value !== "string" || !IDENTIFIER.test(value)) {
        return error("INVALID_CONFIGURATION", "Give " + key + " as a Snowflake identifier (letters, digits and _).");
      }
    }
    return ok();
  },
  internal(ctx, config) {
    // Kept beside the configuration, so that an administrator sees which database it writes to.
    ctx.sql(
      "MERGE INTO STATE.APP_STATE AS T USING (SELECT 'destination' AS KEY, PARSE_JSON(?) AS VALUE) AS S ON T.KEY = S.KEY " +
        "WHEN MATCHED THEN UPDATE SET VALUE = S.VALUE, UPDATED_AT = SYSDATE() " +
        "WHEN NOT MATCHED THEN INSERT (KEY, VALUE, UPDATED_AT) VALUES (S.KEY, S.VALUE, SYSDATE())",
      [JSON.stringify({ database: config.destination_database })],
    );
    return ok();
  },
});
