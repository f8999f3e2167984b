/**
 * The statement forms floe renders or the sandbox runs, each written in the notation of its
 * Snowflake reference page (see notation.ts), with the page it follows and the builder that
 * turns a match into a CatalogStatement.
 *
 * A form lists Snowflake's clauses in Snowflake's order. Where the reference page has more
 * clauses than floe reads, the form is the documented form narrowed to those clauses; a
 * documented clause floe reads but does not represent goes to `extras`, and the sandbox
 * refuses it. docs/sandbox.md lists every form with its page (a test keeps the two in step).
 *
 * The forms themselves are in specs/, one module per family (objects, applications, grants,
 * session statements), with the snippets and builders they share in specs/kit.ts; this module
 * compiles them in one order and reads a statement against them.
 */
import { SqlReadError } from "../../errors";
import type { Token } from "../lexer";
import { parseScriptingBlock, ScriptingSyntaxError } from "../scripting";
import type { CatalogStatement } from "../statements";
import { checkSlots, matchForm, type MatchFailure } from "./match";
import { clauseKeywords, displayNotation, parseNotation, type GrammarNode } from "./notation";
import { APPLICATION_FORMS } from "./specs/applications";
import { GRANT_FORMS } from "./specs/grants";
import { located, type BuildContext, type FormSpec } from "./specs/kit";
import { OBJECT_FORMS } from "./specs/objects";
import { SESSION_FORMS } from "./specs/session";

export type { BuildContext, FormSpec } from "./specs/kit";

export interface Form extends FormSpec {
  readonly tree: GrammarNode;
  /** The syntax as documented: labels and commit marks stripped. */
  readonly display: string;
  readonly clauses: ReadonlySet<string>;
  readonly leads: readonly string[];
}

/** In declaration order; where two forms fail equally far, the earlier one's error is shown. */
const SPECS: readonly FormSpec[] = [...OBJECT_FORMS, ...APPLICATION_FORMS, ...GRANT_FORMS, ...SESSION_FORMS];

function leadWords(node: GrammarNode): string[] {
  switch (node.kind) {
    case "keyword":
      return [node.word];
    case "seq":
      return leadWords(node.items[0]);
    case "choice":
      return node.alternatives.flatMap(leadWords);
    default:
      throw new Error("a form must start with a keyword");
  }
}

function compile(spec: FormSpec): Form {
  const tree = parseNotation(spec.syntax);
  checkSlots(tree, spec.title);
  return Object.freeze({ ...spec, tree, display: displayNotation(spec.syntax), clauses: clauseKeywords(tree), leads: leadWords(tree) });
}

/** Every form, compiled once. */
export const FORMS: readonly Form[] = SPECS.map(compile);

const BY_LEAD = new Map<string, Form[]>();
for (const form of FORMS) {
  for (const lead of form.leads) BY_LEAD.set(lead, [...(BY_LEAD.get(lead) ?? []), form]);
}

function describe(form: Form, failure: MatchFailure, text: string, tokens: readonly Token[]): SqlReadError {
  const token = tokens[Math.min(failure.pos, tokens.length - 1)];
  const expected = `expected ${joinOr(failure.expected)}`;
  let problem: string;
  if (token.kind === "eof") {
    problem = `${located(text, token.start, "the statement ends early")}; ${expected}`;
  } else {
    const word = token.kind === "word" ? token.value.toUpperCase() : undefined;
    problem =
      word !== undefined && form.clauses.has(word)
        ? `${located(text, token.start, `${word} is out of place`)} (${expected}): Snowflake takes these clauses only in the documented order`
        : `${located(text, token.start, `unexpected ${JSON.stringify(text.slice(token.start, token.end))}`)}; ${expected}`;
  }
  return new SqlReadError(`${problem}. ${form.title} is documented as: ${form.display} (${form.url})`, token.start);
}

function joinOr(items: readonly string[]): string {
  const unique = [...new Set(items)];
  if (unique.length === 1) return unique[0];
  return unique.slice(0, -1).join(", ") + " or " + unique[unique.length - 1];
}

function isWord(t: Token | undefined, word: string): boolean {
  return t !== undefined && t.kind === "word" && t.value.toUpperCase() === word;
}

/** BEGIN opens a block unless it starts a transaction: `BEGIN`, `BEGIN WORK`, `BEGIN TRANSACTION`, `BEGIN NAME t`. */
export function startsBlock(tokens: readonly Token[], at: number): boolean {
  const t = tokens[at];
  if (isWord(t, "DECLARE")) return true;
  if (!isWord(t, "BEGIN")) return false;
  const next = tokens[at + 1];
  return !(next === undefined || next.kind === "eof" || (next.kind === "punct" && next.value === ";") || isWord(next, "WORK") || isWord(next, "TRANSACTION") || isWord(next, "NAME"));
}

/** Reads one statement against the forms; see readStatement. */
export function readFormStatement(text: string, tokens: readonly Token[]): CatalogStatement | null {
  const first = tokens[0];
  if (first === undefined || first.kind !== "word") return null;
  if (startsBlock(tokens, 0)) {
    try {
      parseScriptingBlock(text);
    } catch (e) {
      if (e instanceof ScriptingSyntaxError) throw new SqlReadError(located(text, e.offset, e.reason), e.offset);
      throw e;
    }
    return { kind: "block", body: text };
  }
  const candidates = BY_LEAD.get(first.value.toUpperCase());
  if (candidates === undefined) return null;
  const input = { text, tokens };
  // The form whose match went farthest explains the failure; forms that stopped at the same
  // token add what they would have accepted there (LANGUAGE JAVASCRIPT, SQL, PYTHON...).
  let best: { form: Form; failure: MatchFailure } | undefined;
  for (const form of candidates) {
    const result = matchForm(form.tree, input);
    if (result.ok) {
      const ctx: BuildContext = {
        text,
        tokens,
        fail: (message) => {
          throw new SqlReadError(`${located(text, 0, message)}. ${form.title} is documented as: ${form.display} (${form.url})`, 0);
        },
      };
      return form.build(result.captures, ctx);
    }
    if (!result.committed) continue;
    if (best === undefined || result.pos > best.failure.pos) best = { form, failure: result };
    else if (result.pos === best.failure.pos) best = { form: best.form, failure: { ...best.failure, expected: [...best.failure.expected, ...result.expected] } };
  }
  if (best === undefined) return null;
  throw describe(best.form, best.failure, text, tokens);
}
