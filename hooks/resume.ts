/**
 * The example connector's lifecycle hooks.
 *
 * `floe render` compiles `validate` into PUBLIC.RESUME_CONNECTOR_VALIDATE() and `internal` into
 * PUBLIC.RESUME_CONNECTOR_INTERNAL(); the pause hooks likewise. Each runs inside Snowflake as a
 * JavaScript procedure (EXECUTE AS OWNER), so it may use `ctx.sql` and plain JavaScript only.
 *
 * hooks/ holds the example connector's hooks, written as a user's are. May import: floe by its
 * package name only.
 */
import { defineResumeHooks, definePauseHooks, ok, error, type HookContext } from "floe";

/** The configuration the connector needs before it may run. */
const REQUIRED_KEYS = ["connector_configuration", "connection_configuration"];

function missingConfiguration(ctx: HookContext): string[] {
  const rows = ctx.sql<{ KEY: string }>("SELECT KEY FROM STATE.APP_CONFIG");
  const present = rows.map((row) => row.KEY);
  return REQUIRED_KEYS.filter((key) => present.indexOf(key) < 0);
}

/** Records the last lifecycle change, so an administrator can see when the connector moved. */
function recordEvent(ctx: HookContext, event: string): void {
  ctx.sql(
    "MERGE INTO STATE.APP_STATE AS T USING (SELECT ? AS KEY, PARSE_JSON(?) AS VALUE) AS S ON T.KEY = S.KEY " +
      "WHEN MATCHED THEN UPDATE SET VALUE = S.VALUE, UPDATED_AT = SYSDATE() " +
      "WHEN NOT MATCHED THEN INSERT (KEY, VALUE, UPDATED_AT) VALUES (S.KEY, S.VALUE, SYSDATE())",
    ["last_lifecycle_event", JSON.stringify({ event })],
  );
}

export default defineResumeHooks({
  validate(ctx) {
    const missing = missingConfiguration(ctx);
    if (missing.length > 0) {
      return error("CONFIGURATION_MISSING", "Configure the connector before resuming it; missing: " + missing.join(", ") + ".");
    }
    return ok();
  },
  internal(ctx) {
    recordEvent(ctx, "resumed");
    return ok("Ingestion resumed.");
  },
});

export const pause = definePauseHooks({
  internal(ctx) {
    recordEvent(ctx, "paused");
    return ok("Ingestion paused.");
  },
});
