/**
 * Turns collected TypeScript declarations into the JavaScript body of a stored procedure, and
 * makes that body safe to place between `$$` delimiters: the only quoting of procedure bodies
 * in floe. (floe's own lifecycle procedures are built ahead of time: lifecycle-artifact.ts.)
 *
 * A body must never contain `$$`. Inside string and template literals a `$` that touches
 * another `$` is rewritten as the escape `\u0024`, which means the same character to JavaScript;
 * a `$$` anywhere else (an identifier such as `$$x`, a regular expression) is refused.
 */
import * as path from "node:path";
import { ts } from "ts-morph";
import { FloeError, SourceError, type SourceDiagnostic } from "../../errors";
import { checkBodyCompiles } from "./check-body";
import { bundleModule } from "./bundle";
import type { CollectedDeclaration } from "./closure";

const QUOTED_KINDS = new Set([
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateHead,
  ts.SyntaxKind.TemplateMiddle,
  ts.SyntaxKind.TemplateTail,
  ts.SyntaxKind.RegularExpressionLiteral,
]);

/** Rewrites each `$` that touches another `$` in a literal's raw text as `\u0024`. */
function escapeDollarRuns(text: string): string {
  let result = "";
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    const dollarAt = ch === "\\" && text[i + 1] === "$" ? i + 1 : ch === "$" ? i : -1;
    if (dollarAt < 0) {
      // Copy an escape sequence whole, so its second character is never read as a lone `$`.
      result += ch === "\\" ? text.slice(i, i + 2) : ch;
      if (ch === "\\") i++;
      continue;
    }
    const touches = text[dollarAt + 1] === "$" || text[i - 1] === "$";
    // A `$` that opens a template substitution (`${`) must stay as it is.
    if (touches && text[dollarAt + 1] !== "{") result += "\\u0024";
    else result += text.slice(i, dollarAt + 1);
    i = dollarAt;
  }
  return result;
}

/** Tokens that end an operand: a `/` after one of them is a division, after anything else a regular expression. */
const OPERAND_ENDS: ReadonlySet<ts.SyntaxKind> = new Set([
  ts.SyntaxKind.Identifier,
  ts.SyntaxKind.NumericLiteral,
  ts.SyntaxKind.StringLiteral,
  ts.SyntaxKind.CloseParenToken,
  ts.SyntaxKind.CloseBracketToken,
  ts.SyntaxKind.CloseBraceToken,
  ts.SyntaxKind.ThisKeyword,
  ts.SyntaxKind.TrueKeyword,
  ts.SyntaxKind.FalseKeyword,
  ts.SyntaxKind.NullKeyword,
  ts.SyntaxKind.NoSubstitutionTemplateLiteral,
  ts.SyntaxKind.TemplateTail,
  ts.SyntaxKind.PlusPlusToken,
  ts.SyntaxKind.MinusMinusToken,
]);

/** Tokens after which a `/` starts a regular expression rather than a division. */
export function regexMayFollow(previous: ts.SyntaxKind | undefined): boolean {
  return previous === undefined || !OPERAND_ENDS.has(previous);
}

/** A `$$` floe cannot escape; `token` is the JavaScript token that holds it, for locating it in the source. */
export class DollarQuoteError extends FloeError {
  constructor(
    message: string,
    readonly token: string,
  ) {
    super(message);
    this.name = "DollarQuoteError";
  }
}

/**
 * Makes a JavaScript text free of `$$` without changing what it means. Throws FloeError when a
 * `$$` sits where no escape exists (an identifier, a regular expression).
 */
export function protectDollarQuotes(js: string, subject: string): string {
  if (!js.includes("$$")) return js;
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, js);
  let out = "";
  let last = 0;
  let previous: ts.SyntaxKind | undefined;
  // Brace depth at which each open template substitution started.
  const templates: number[] = [];
  let braces = 0;
  for (let kind = scanner.scan(); kind !== ts.SyntaxKind.EndOfFileToken; kind = scanner.scan()) {
    if ((kind === ts.SyntaxKind.SlashToken || kind === ts.SyntaxKind.SlashEqualsToken) && regexMayFollow(previous)) {
      kind = scanner.reScanSlashToken();
    } else if (kind === ts.SyntaxKind.OpenBraceToken) {
      braces++;
    } else if (kind === ts.SyntaxKind.CloseBraceToken) {
      if (templates.length > 0 && templates[templates.length - 1] === braces) {
        templates.pop();
        kind = scanner.reScanTemplateToken(false);
      } else {
        braces--;
      }
    }
    if (kind === ts.SyntaxKind.TemplateHead || kind === ts.SyntaxKind.TemplateMiddle) templates.push(braces);
    previous = kind;
    const start = scanner.getTokenStart();
    const end = scanner.getTokenEnd();
    const text = js.slice(start, end);
    if (!text.includes("$$")) continue;
    if (QUOTED_KINDS.has(kind) && kind !== ts.SyntaxKind.RegularExpressionLiteral) {
      out += js.slice(last, start) + escapeDollarRuns(text);
      last = end;
      continue;
    }
    const where = kind === ts.SyntaxKind.RegularExpressionLiteral ? "a regular expression" : "code";
    throw new DollarQuoteError(
      `${subject} contains '$$' in ${where} (${JSON.stringify(text.slice(0, 40))}); Snowflake ends a procedure body at '$$'. ` +
        "Rename it, or build the text from single '$' characters.",
      text,
    );
  }
  out += js.slice(last);
  if (out.includes("$$")) {
    throw new FloeError(`${subject} contains '$$' that floe cannot escape; Snowflake ends a procedure body at '$$'.`);
  }
  return out;
}

export { checkBodyCompiles };

/** The first place in the collected source where an unescapable `$$` token appears. */
function locateToken(error: DollarQuoteError, parts: BodyParts): SourceError | undefined {
  const sources: { text: string; at: Omit<SourceDiagnostic, "message"> }[] = parts.declarations.map((d) => ({ text: d.source, at: d.at }));
  if (parts.tail !== undefined && parts.tailAt !== undefined) sources.push({ text: parts.tailText ?? parts.tail, at: parts.tailAt });
  for (const source of sources) {
    const index = source.text.indexOf(error.token);
    if (index < 0) continue;
    // Walk from the declaration's start to the token, counting lines and columns.
    const before = source.text.slice(0, index);
    const lines = before.split("\n");
    const line = source.at.line + lines.length - 1;
    const column = lines.length === 1 ? source.at.column + index : lines[lines.length - 1].length + 1;
    const sourceLine = source.text.split("\n")[lines.length - 1] ?? "";
    const shownLine = lines.length === 1 ? source.at.sourceLine : sourceLine;
    return new SourceError([{ file: source.at.file, line, column, sourceLine: shownLine, message: error.message }]);
  }
  return undefined;
}

export interface BodyParts {
  readonly header: string;
  readonly declarations: readonly CollectedDeclaration[];
  /** Extra TypeScript after the declarations (e.g. the hook object). */
  readonly tail?: string;
  /** The user's text the tail holds (the hook member), and where it starts: for locating problems in it. */
  readonly tailText?: string;
  readonly tailAt?: Omit<SourceDiagnostic, "message">;
  /**
   * Import statements of floe's runtime (paths relative to floe's folder, see bundle.ts) placed
   * before the declarations, and the names the module exports for the final statement.
   */
  readonly imports: string;
  readonly exports: readonly string[];
  /** The final statement, given the exported names as the bundle calls them: `return runHook(...);`. */
  readonly entry: (names: Readonly<Record<string, string>>) => string;
  readonly subject: string;
  /** Names the body must not declare besides `snowflake`: the procedure's arguments, which Snowflake passes as globals. */
  readonly argumentNames?: readonly string[];
}

/** The name the bundler gives a body's own module (its module comment in the body). */
export const BODY_SOURCEFILE = "hook.ts";

/** The TypeScript module a body is bundled from: floe's runtime imports, the declarations, the tail, the exports. */
export function bodySource(parts: BodyParts): string {
  return parts.imports + "\n" + parts.declarations.map((d) => d.text).join("\n\n") + (parts.tail === undefined ? "" : "\n\n" + parts.tail) + `\nexport { ${parts.exports.join(", ")} };\n`;
}

/** Names floe's own glue code uses inside a body. */
export const RESERVED_PREFIX = "__floe_";

/**
 * Assembles one procedure body: the collected declarations with floe's runtime, bundled with
 * tree-shaking and lowered to ES2019 (bundle.ts), then protected against `$$` and checked.
 */
export function buildBody(parts: BodyParts): string {
  for (const declaration of parts.declarations) {
    for (const name of declaration.names) {
      if (name === "snowflake" || parts.argumentNames?.includes(name)) {
        throw new SourceError([
          {
            ...declaration.at,
            message:
              `${parts.subject}: '${name}' (declared in ${path.basename(declaration.file)}) has the name of a global Snowflake gives the procedure ` +
              "(the snowflake object or an argument); inside the procedure it would hide it. Rename it.",
          },
        ]);
      }
      if (name.startsWith(RESERVED_PREFIX)) {
        throw new SourceError([{ ...declaration.at, message: `${parts.subject}: names starting with '${RESERVED_PREFIX}' are floe's own inside a procedure; rename '${name}'.` }]);
      }
    }
  }
  const bundled = bundleModule(bodySource(parts), parts.subject, BODY_SOURCEFILE);
  let body: string;
  try {
    body = protectDollarQuotes(`${parts.header}\n${bundled.code}\n${parts.entry(bundled.names)}`, parts.subject);
  } catch (e) {
    // Point at the token in the user's source: identifiers and regular expressions keep their
    // text through the bundler.
    const located = e instanceof DollarQuoteError ? locateToken(e, parts) : undefined;
    throw located ?? e;
  }
  checkBodyCompiles(body, parts.subject);
  return body;
}
