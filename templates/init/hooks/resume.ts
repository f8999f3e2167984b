/**
 * The connector's lifecycle hooks.
 *
 * `floe render` compiles `validate` into PUBLIC.RESUME_CONNECTOR_VALIDATE() and `internal` into
 * PUBLIC.RESUME_CONNECTOR_INTERNAL(); the pause hooks into the PAUSE_CONNECTOR_* procedures. They
 * run inside Snowflake as JavaScript procedures, so they may use `ctx.sql`, plain JavaScript, and
 * functions and constants of this file; floe refuses Node APIs, other imports and async code,
 * pointing at the line.
 *
 * Try them without an account: `npx floe simulate resume`, `npx floe simulate pause`.
 */
import { defineResumeHooks, definePauseHooks, ok, error, type HookContext } from "floe";

/**
 * Why the connector must not resume, if an administrator has put it on hold: a row with the key
 * `maintenance` in STATE.APP_STATE, e.g. `{"reason": "source system upgrade"}`.
 */
function holdReason(ctx: HookContext): string | null {
  const rows = ctx.sql<{ VALUE: { reason?: unknown } | null }>("SELECT VALUE FROM STATE.APP_STATE WHERE KEY = ?", ["maintenance"]);
  const row = rows[0];
  if (row === undefined) return null;
  return row.VALUE !== null && typeof row.VALUE.reason === "string" ? row.VALUE.reason : "no reason given";
}

/** Keeps the last lifecycle change in STATE.APP_STATE, where an administrator can see it. */
function recordEvent(ctx: HookContext, event: string): void {
  ctx.sql(
    "MERGE INTO STATE.APP_STATE AS T USING (SELECT ? AS KEY, PARSE_JSON(?) AS VALUE) AS S ON T.KEY = S.KEY " +
      "WHEN MATCHED THEN UPDATE SET VALUE = S.VALUE, UPDATED_AT = SYSDATE() " +
      "WHEN NOT MATCHED THEN INSERT (KEY, VALUE, UPDATED_AT) VALUES (S.KEY, S.VALUE, SYSDATE())",
    ["last_lifecycle_event", JSON.stringify({ event: event })],
  );
}

export default defineResumeHooks({
  validate(ctx) {
    const reason = holdReason(ctx);
    if (reason !== null) return error("ON_HOLD", "The connector is on hold (" + reason + "); delete the maintenance row of STATE.APP_STATE to resume it.");
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
