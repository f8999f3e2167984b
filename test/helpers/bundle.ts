import { splitStatements } from "../../sql/lexer";
import { readStatement } from "../../sql/statements";
import type { Bundle } from "../../generators/render";
import type { FakeProcedure } from "./fake-snowflake";

/**
 * The procedures a bundle defines, as installing it would leave them: setup.sql is followed
 * through EXECUTE IMMEDIATE FROM, and a later CREATE OR REPLACE wins.
 */
export function installedProcedures(bundle: Bundle): Map<string, FakeProcedure> {
  const procedures = new Map<string, FakeProcedure>();
  const run = (file: string) => {
    const content = bundle.get(file);
    if (content === undefined) throw new Error(`setup refers to ${file}, which is not in the bundle`);
    for (const { text, tokens } of splitStatements(content)) {
      const statement = readStatement(text, tokens);
      if (statement?.kind === "execute_immediate_from") run(statement.path);
      if (statement?.kind === "create_procedure") {
        procedures.set(statement.name.join("."), { args: statement.args.map((a) => a.name), body: statement.body });
      }
    }
  };
  run("setup.sql");
  return procedures;
}
