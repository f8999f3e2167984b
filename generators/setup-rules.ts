/**
 * The setup-script rules (sql/setup-rules.ts) applied where floe reads and renders SQL: to
 * floe's templates, to override files (pointing at the user's file and line) and to every
 * file of a rendered bundle.
 */
import { locate, SourceError } from "../errors";
import { splitStatements, SqlLexError, positionAt } from "../sql/lexer";
import { readStatement, type CatalogStatement } from "../sql/statements";
import { SqlReadError } from "../errors";
import { setupRuleViolation } from "../sql/setup-rules";

export { setupRuleViolation };

/**
 * Checks every statement of an override file: it must read with the documented grammar and
 * break none of the setup-script rules. Throws SourceError at the user's file:line:col.
 */
export function checkOverrideFile(file: string, content: string): void {
  let statements: ReturnType<typeof splitStatements>;
  try {
    statements = splitStatements(content);
  } catch (e) {
    if (e instanceof SqlLexError) throw new SourceError([locate(file, content, e.offset, e.message)]);
    throw e;
  }
  for (const part of statements) {
    let statement: CatalogStatement | null;
    try {
      statement = readStatement(part.text, part.tokens);
    } catch (e) {
      if (e instanceof SqlReadError) {
        throw new SourceError([locate(file, content, part.start + e.offset, e.message.replace(/ at line \d+, column \d+/, ""))]);
      }
      throw e;
    }
    const violation = setupRuleViolation(statement);
    if (violation !== null) {
      const offset = statement?.kind === "create_procedure" ? executeAsOffset(part.text) : 0;
      throw new SourceError([locate(file, content, part.start + offset, violation)]);
    }
  }
}

/** Where the EXECUTE AS clause starts in a CREATE PROCEDURE (the header, before the body). */
function executeAsOffset(text: string): number {
  const match = /\bEXECUTE\s+AS\b/i.exec(text);
  return match === null ? 0 : match.index;
}

/** The setup-rule problems of a rendered file, by line: for the parser gate. */
export function setupRuleProblems(content: string): { line: number; message: string }[] {
  const problems: { line: number; message: string }[] = [];
  for (const part of splitStatements(content)) {
    let statement: CatalogStatement | null;
    try {
      statement = readStatement(part.text, part.tokens);
    } catch {
      continue; // the grammar check reports it
    }
    const violation = setupRuleViolation(statement);
    if (violation !== null) problems.push({ line: positionAt(content, part.start).line, message: violation });
  }
  return problems;
}
