/**
 * The sandbox's gate between reading a statement and running it: a documented clause the
 * sandbox reads but does not implement (the statement's `extras`) is refused, never ignored;
 * and while a setup script runs, what Snowflake refuses in setup scripts is refused here too.
 */
import { setupRuleViolation } from "../sql/setup-rules";
import type { CatalogStatement } from "../sql/statements";
import { SnowflakeError, UnsupportedError } from "./types";

export function checkSandboxSupport(statement: CatalogStatement, where: { readonly inSetupScript: boolean }): void {
  if (statement.extras !== undefined && statement.extras.length > 0) {
    throw new UnsupportedError(`${statement.extras.join(", ")} (in ${statement.kind.replace(/_/g, " ").toUpperCase()})`);
  }
  if (where.inSetupScript) {
    const violation = setupRuleViolation(statement);
    if (violation !== null) throw new SnowflakeError("002000", "42601", `SQL compilation error:\n${violation}`);
  }
}
