/**
 * The secret values this floe process knows of, so that nothing it prints or writes carries
 * them: credentials in the environment (read when a command starts) and the credential values
 * of the Pulumi config the plan evaluates a program with. The command line redacts its whole
 * output with them (cli/common.ts); the plan redacts a program's errors, output and inputs.
 *
 * The redaction itself is errors/redact.ts; this module only remembers values.
 */
import { CREDENTIAL_NAME, redactText } from "../errors/redact";

const known = new Set<string>();

/**
 * Values that credential-named settings often hold and that are never secret: treating
 * `SNOWFLAKE_PASSWORD_ENABLED=true` as the secret "true" would redact every `true` in a report.
 */
const NOT_SECRET = new Set(["", "true", "false", "yes", "no", "on", "off", "null", "undefined", "0", "1", "[secret]"]);

/** Adds secret values; blank values and flag-like values are ignored. */
export function rememberSecrets(values: Iterable<string | undefined | null>): void {
  for (const value of values) {
    if (typeof value !== "string" || NOT_SECRET.has(value.trim().toLowerCase())) continue;
    known.add(value);
  }
}

/** Every secret remembered so far. */
export function knownSecrets(): string[] {
  return [...known];
}

/**
 * Environment variables that hold credentials: `SNOWFLAKE_PASSWORD`, `SNOWFLAKE_PRIVATE_KEY`,
 * `PULUMI_CONFIG_PASSPHRASE`, `GITHUB_TOKEN`, any `*_SECRET`... A variable that names a file or
 * a path (`SNOWFLAKE_PRIVATE_KEY_PATH`) holds no secret itself.
 */
export function credentialVariables(env: NodeJS.ProcessEnv): string[] {
  const values: string[] = [];
  for (const [name, value] of Object.entries(env)) {
    if (value === undefined || !CREDENTIAL_NAME.test(name)) continue;
    if (/(_PATH|_FILE|_DIR|_ENABLED|_TYPE|_URL)$/i.test(name)) continue;
    values.push(value);
  }
  return values;
}

/** Config entries (`project:key` → value) that hold credentials, by name or because Pulumi marked them secret. */
export function credentialConfigValues(config: Readonly<Record<string, string>>, secretKeys: readonly string[] = []): string[] {
  const marked = new Set(secretKeys);
  return Object.entries(config)
    .filter(([key]) => marked.has(key) || CREDENTIAL_NAME.test(key.slice(key.indexOf(":") + 1)))
    .map(([, value]) => value);
}

/** Redacts every remembered secret from a text (see redact.ts for the rules). */
export function redactKnown(text: string): string {
  return known.size === 0 ? text : redactText(text, [...known]);
}
