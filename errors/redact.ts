/**
 * Redaction: the one place floe takes secrets out of what it prints or writes. The Snowflake
 * facade's error classifier (snowflake/errors.ts), the plan (program inputs, a program's errors
 * and output) and the command line's output all go through these functions, which is why they
 * live at the bottom layer, beside floe's errors.
 *
 * Redact first, then format. A caller passes the raw text (an error message as the driver or a
 * program produced it), and only then collapses whitespace, truncates or wraps it: a secret that
 * formatting has already changed (`pa  ss` collapsed to `pa ss`) no longer matches itself.
 * The patterns below still forgive changed whitespace, as a second line of defence.
 *
 * Every length is redacted, by two rules:
 * - a secret of 4 characters or more is replaced wherever it occurs, in the forms an echo gives
 *   it: as is, with its whitespace runs changed (collapsed, re-wrapped, tabs for spaces),
 *   JSON-escaped, URL-encoded, SQL-quoted; a multi-line secret (a PEM key) also line by line;
 * - a secret of 1 to 3 characters is replaced only where it stands as a word of its own: between
 *   whitespace, quotes, brackets, `=`, `:` or punctuation, or as a whole string value. Replacing
 *   every occurrence of `a` or `ab` would take letters out of every other word and leave the
 *   output unreadable, and would not hide anything (a reader cannot tell which `ab` was the
 *   secret). So `password "ab"`, `pw=ab` and `login failed for ab.` lose it; `table` keeps it.
 * A secret that is only whitespace cannot be told apart from the text around it and is left alone.
 *
 * SERIALIZATION RULE: the facade's error classifier, which is captured by value into the dynamic
 * providers, imports this module; it imports nothing, and must not.
 */

/** What a secret is replaced with. */
export const REDACTED_TEXT = "[redacted]";

/** Names of values that hold credentials whatever their source marked: keys of config and inputs, environment variables. */
export const CREDENTIAL_NAME = /password|passphrase|privatekey|private_key|secret|token|apikey|api_key|credential/i;

/** Secrets at least this long are replaced wherever they occur; shorter ones only as words of their own. */
export const SUBSTRING_MIN_LENGTH = 4;

/** A PEM body line at least this long is redacted on its own (header lines `-----BEGIN ...` are not secret). */
const PEM_LINE_MIN_LENGTH = 12;

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/** A pattern for `text` in which every whitespace run matches any whitespace run. */
function whitespaceTolerant(text: string): string {
  return text
    .split(/(\s+)/)
    .map((part) => (/^\s+$/.test(part) ? "\\s+" : escapeRegExp(part)))
    .join("");
}

/** The forms a long secret takes when something echoes it. */
function echoForms(secret: string): string[] {
  const forms = new Set<string>([secret]);
  forms.add(JSON.stringify(secret).slice(1, -1));
  try {
    forms.add(encodeURIComponent(secret));
  } catch {
    // A lone surrogate cannot be URL-encoded; nothing echoes it that way either.
  }
  forms.add(secret.replace(/'/g, "''"));
  forms.add(secret.replace(/\\/g, "\\\\").replace(/'/g, "\\'"));
  for (const line of secret.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed.length >= PEM_LINE_MIN_LENGTH && !trimmed.startsWith("-----")) forms.add(trimmed);
  }
  return [...forms].filter((f) => f.trim().length >= SUBSTRING_MIN_LENGTH);
}

/** Characters a short secret may stand between to count as a word of its own. */
const WORD_LEFT = "(?<=^|[\\s\"'`=:(\\[{,<])";
const WORD_RIGHT = "(?=$|[\\s\"'`,;:.!?)\\]}>&])";

export interface RedactOptions {
  /**
   * Whether secrets shorter than 4 characters are redacted where they stand as words of their
   * own. Default true. Off only for already formatted output (a JSON report), where a one-digit
   * secret would match a number and break the structure; such output is redacted as a value first.
   */
  readonly words?: boolean;
}

/** One regular expression that finds every secret in every form, longest first. */
function secretPattern(secrets: readonly (string | undefined | null)[], options: RedactOptions = {}): RegExp | null {
  const long = new Set<string>();
  const short = new Set<string>();
  for (const secret of secrets) {
    if (typeof secret !== "string") continue;
    const core = secret.trim();
    if (core.length === 0) continue;
    if (core.length >= SUBSTRING_MIN_LENGTH) for (const form of echoForms(secret)) long.add(form.trim());
    else if (options.words !== false) short.add(core);
  }
  if (long.size === 0 && short.size === 0) return null;
  const alternatives = [...long]
    .sort((a, b) => b.length - a.length || (a < b ? -1 : 1))
    .map(whitespaceTolerant)
    .concat([...short].sort((a, b) => b.length - a.length || (a < b ? -1 : 1)).map((s) => `${WORD_LEFT}${escapeRegExp(s)}${WORD_RIGHT}`));
  return new RegExp(alternatives.join("|"), "g");
}

/**
 * Replaces every secret in a text with `[redacted]` (see the rules above).
 *
 * ```ts
 * redactText("login failed: password 'pa  ss' rejected", ["pa  ss"]);
 * // "login failed: password '[redacted]' rejected"
 * ```
 */
export function redactText(text: string, secrets: readonly (string | undefined | null)[], options: RedactOptions = {}): string {
  const pattern = secretPattern(secrets, options);
  return pattern === null ? text : text.replace(pattern, REDACTED_TEXT);
}

/**
 * Redacts a structured value before it is formatted (JSON, a table): every string in it,
 * object keys included, and a string that is exactly a secret whatever its length.
 */
export function redactValue<T>(value: T, secrets: readonly (string | undefined | null)[]): T {
  const exact = new Set(secrets.filter((s): s is string => typeof s === "string" && s.trim().length > 0));
  if (exact.size === 0) return value;
  const pattern = secretPattern([...exact]);
  const text = (s: string) => (exact.has(s) || exact.has(s.trim()) ? REDACTED_TEXT : pattern === null ? s : s.replace(pattern, REDACTED_TEXT));
  const walk = (v: unknown): unknown => {
    if (typeof v === "string") return text(v);
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) return v.map(walk);
    const out: Record<string, unknown> = {};
    for (const [k, inner] of Object.entries(v as Record<string, unknown>)) out[text(k)] = walk(inner);
    return out;
  };
  return walk(value) as T;
}

/**
 * The facade's historical name for {@link redactText}: replaces every secret in a text with
 * `[redacted]`.
 */
export function redact(text: string, secrets: readonly (string | undefined)[]): string {
  return redactText(text, secrets);
}
