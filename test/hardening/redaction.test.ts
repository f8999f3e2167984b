/**
 * The one redaction path (errors/redact.ts): every secret length, secrets that
 * whitespace formatting would change, the forms an echo gives a secret, structured values
 * redacted before they are formatted, and the facade's error classifier redacting the driver's
 * text before it collapses it.
 */
import { describe, expect, it } from "vitest";
import { classifyError } from "../../snowflake/errors";
import { REDACTED_TEXT, redactText, redactValue } from "../../errors/redact";
import { credentialConfigValues, credentialVariables } from "../../generators/secrets";

const R = REDACTED_TEXT;

describe("redactText", () => {
  it.each([
    ["two spaces", "pa  ss-word", "driver said: bad password pa  ss-word (attempt 1)"],
    ["a tab", "pa\tss-word", "driver said: bad password pa\tss-word (attempt 1)"],
    ["a newline", "pa\nss-word", "driver said: bad password pa\nss-word (attempt 1)"],
  ])("redacts a secret with %s, as given and with its whitespace changed", (_name, secret, text) => {
    expect(redactText(text, [secret])).toBe(`driver said: bad password ${R} (attempt 1)`);
    // Formatting that already happened elsewhere (collapsed, re-wrapped) does not let it through.
    expect(redactText(text.replace(/\s+/g, " "), [secret])).not.toContain("ss-word");
    expect(redactText(text.replace(/\s+/g, "\n  "), [secret])).not.toContain("ss-word");
  });

  it("redacts the forms an echo gives a secret: JSON-escaped, URL-encoded, SQL-quoted", () => {
    const secret = `p"a'ss w\\rd/é`;
    const echoes = [JSON.stringify({ password: secret }), `https://x?pw=${encodeURIComponent(secret)}`, `'${secret.replace(/'/g, "''")}'`, `'${secret.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`];
    for (const echo of echoes) expect(redactText(echo, [secret]), echo).toContain(R);
    for (const echo of echoes) expect(redactText(echo, [secret]), echo).not.toContain("ss w");
  });

  it("redacts a private key line by line, its header lines excepted", () => {
    const key = "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEF\nAASCBKcwggSjAgEAAoIBAQDx5mJ3\n-----END PRIVATE KEY-----";
    const text = `key line: AASCBKcwggSjAgEAAoIBAQDx5mJ3 was rejected (-----BEGIN PRIVATE KEY-----)`;
    expect(redactText(text, [key])).toBe(`key line: ${R} was rejected (-----BEGIN PRIVATE KEY-----)`);
  });

  it.each([
    ["1 character", "Q"],
    ["2 characters", "zq"],
    ["3 characters", "k9x"],
  ])("redacts a %s secret where it stands as a word of its own, not inside other words", (_name, secret) => {
    const text = `password ${secret} rejected; passphrase "${secret}"; pw=${secret}&x; (${secret}). Also ${secret}: inside ${secret}abc and abc${secret}.`;
    const redacted = redactText(text, [secret]);
    expect(redacted).toBe(`password ${R} rejected; passphrase "${R}"; pw=${R}&x; (${R}). Also ${R}: inside ${secret}abc and abc${secret}.`);
  });

  it("never redacts blank or whitespace-only secrets (they cannot be told from the text)", () => {
    expect(redactText("a  b", ["  ", "", undefined])).toBe("a  b");
  });

  it("leaves formatted output whole when asked to skip word rules (the output safety net)", () => {
    const json = JSON.stringify({ statements: 12, ok: true }, null, 2);
    expect(redactText(json, ["12"], { words: false })).toBe(json);
  });
});

describe("redactValue: redact first, then format", () => {
  it("replaces strings equal to a secret of any length, and secrets inside strings and keys", () => {
    const value = { code: "Q", note: "uses cfg-Secret-1 here", list: ["zq", 1, true, null], "cfg-Secret-1": "key", nested: { pin: "k9x" } };
    const redacted = redactValue(value, ["Q", "zq", "k9x", "cfg-Secret-1"]);
    expect(redacted).toEqual({ code: R, note: `uses ${R} here`, list: [R, 1, true, null], [R]: "key", nested: { pin: R } });
    // Numbers are values, not text: a numeric secret does not turn them into strings.
    expect(redactValue({ n: 12 }, ["12"])).toEqual({ n: 12 });
  });
});

describe("the facade's error classifier", () => {
  it.each([
    ["two spaces", "Hunter2  pass"],
    ["a tab", "Hunter2\tpass"],
    ["a newline", "Hunter2\npass"],
    ["three characters", "h2p"],
  ])("redacts a password with %s before it collapses the driver's message", (_name, password) => {
    const error = Object.assign(new Error(`Incorrect username or password was specified: '${password}'\n  (login)`), { code: "390100" });
    const classified = classifyError(error, { what: "Logging in", needs: "a user" }, { secrets: [password] });
    expect(classified.message).toContain(R);
    expect(classified.message).not.toContain(password.replace(/\s+/g, " "));
    expect(classified.message).not.toContain("Hunter2");
    expect(classified.message).not.toContain("'h2p'");
  });
});

describe("where the command line finds secrets", () => {
  it("takes credential-named environment variables, not paths or flags", () => {
    const values = credentialVariables({ SNOWFLAKE_PASSWORD: "pw", SNOWFLAKE_PRIVATE_KEY_PATH: "/keys/k.p8", GITHUB_TOKEN: "t", HOME: "/root", MY_API_KEY: "k" });
    expect(values.sort()).toEqual(["k", "pw", "t"]);
  });

  it("takes config values marked secret or named like credentials", () => {
    const config = { "snowflake:account": "ORG", "snowflake:password": "pw", "app:apiKey": "k", "app:region": "eu", "app:other": "secret-by-mark" };
    expect(credentialConfigValues(config, ["app:other"]).sort()).toEqual(["k", "pw", "secret-by-mark"]);
  });
});
