/**
 * What Snowflake refuses in an application's setup script and in the files it runs through
 * EXECUTE IMMEDIATE FROM: USE statements, and procedures that run with the caller's rights
 * (a setup script may create only owner's-rights procedures). Shared by the renderers' checks
 * and the sandbox, which refuses the same statements while it runs a setup script.
 */
import type { CatalogStatement } from "./statements";

/** Why Snowflake would refuse this statement in a setup script, or null when it would not. */
export function setupRuleViolation(statement: CatalogStatement | null): string | null {
  if (statement === null) return null;
  if (statement.kind === "use") {
    return `a setup script and the files it runs may not contain USE statements (USE ${statement.object}); name objects with their schema instead, e.g. STATE.APP_STATE`;
  }
  if (statement.kind === "create_procedure" && statement.executeAs !== "OWNER") {
    return `a setup script may not create a procedure with EXECUTE AS ${statement.executeAs}; application procedures run with the owner's rights: write EXECUTE AS OWNER (or leave the clause out)`;
  }
  return null;
}
