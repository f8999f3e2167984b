/**
 * The example connector's finalization hooks (FINALIZE_CONNECTOR_CONFIGURATION).
 *
 * `validate` becomes PUBLIC.FINALIZE_CONNECTOR_CONFIGURATION_VALIDATE, `validateSource`
 * PUBLIC.VALIDATE_SOURCE and `internal` PUBLIC.FINALIZE_CONNECTOR_CONFIGURATION_INTERNAL, each
 * taking (CUSTOM_CONFIGURATION VARIANT). The internal hook's answer is what
 * FINALIZE_CONNECTOR_CONFIGURATION returns.
 */
import { defineFinalizeHooks, ok, error } from "floe";

/** The custom configuration of the final wizard step: what to ingest. */
interface Scope {
  readonly resources: readonly string[];
}

const RESOURCE = /^[a-z0-9][a-z0-9_.-]*\/[a-z0-9][a-z0-9_.-]*$/;

export const finalize = defineFinalizeHooks<Scope>({
  validate(_ctx, config) {
    if (!Array.isArray(config.resources) || config.resources.length === 0) {
      return error("NO_RESOURCES", "List the resources to ingest in resources, e.g. [\"acme/orders\"].");
    }
    return ok();
  },
  validateSource(_ctx, config) {
    const invalid = config.resources.filter((r) => !RESOURCE.test(r));
    return invalid.length === 0 ? ok() : error("UNKNOWN_RESOURCES", "These are not owner/name resources: " + invalid.join(", ") + ".");
  },
  internal(ctx, config) {
    ctx.sql(
      "MERGE INTO STATE.APP_CONFIG AS T USING (SELECT 'ingestion_scope' AS KEY, PARSE_JSON(?) AS VALUE) AS S ON T.KEY = S.KEY " +
        "WHEN MATCHED THEN UPDATE SET VALUE = S.VALUE, UPDATED_AT = SYSDATE() " +
        "WHEN NOT MATCHED THEN INSERT (KEY, VALUE, UPDATED_AT) VALUES (S.KEY, S.VALUE, SYSDATE())",
      [JSON.stringify({ resources: config.resources })],
    );
    return ok("Ingestion of " + config.resources.length + " resources is set up.");
  },
});
