/**
 * Secrets never reach an artifact: a full run — render, simulate (text and JSON), plan --save,
 * plan against it in every format, and a plan whose program fails quoting a secret — with test
 * secrets of every length (1, 2, 3 characters, and long ones with two spaces, a tab and a
 * newline) in the environment and in the Pulumi config (PULUMI_CONFIG and Pulumi.plan.yaml).
 * Then every artifact is searched: stdout and stderr of each process, every file written in the
 * project (bundle, snapshot, reports), and snowflake.log wherever the driver could have put it.
 *
 * The program prints the secrets, passes them as inputs under innocent names and quotes them in
 * its error, as careless programs do; only floe's redaction stands between them and the output.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeTempDir, ROOT, runFloe, type FloeRun } from "./helpers";

/** Long secrets: replaced wherever they occur, whitespace variants included. */
const LONG = {
  envPassword: "Hunter2-pa  ss\tw0rd\nline2-x9",
  configPassword: "cfg-S3cret-Value-7731",
  yamlPassword: "yaml-plain-Passw0rd-5519",
  token: "ghp_floeTestToken0123456789",
};
/** Short secrets: redacted where they stand as words of their own (see errors/redact.ts). */
const SHORT = { one: "Q", two: "zq", three: "k9x" };

const PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
const config = new pulumi.Config("snowflake");
const env = process.env;
const secrets = {
  config: config.require("password"),
  yaml: config.require("yamlPassword"),
  envPassword: env.SNOWFLAKE_PASSWORD ?? "",
  token: env.GITHUB_TOKEN ?? "",
  one: env.SNOWFLAKE_PRIVATE_KEY_PASSPHRASE ?? "",
  two: env.FLOE_TEST_SECRET ?? "",
  three: env.FLOE_TEST_API_KEY ?? "",
};
// Careless: prints every secret, and passes them as inputs under names no rule knows.
console.log("connecting with", JSON.stringify(secrets));
for (const [k, v] of Object.entries(secrets)) console.error(\`\${k} = \${v}\`);
export const thing = new pulumi.CustomResource("floetest:index:Thing", "thing", {
  note: \`revision \${env.FLOE_TEST_REVISION ?? "1"} logs in with \${secrets.config} and \${secrets.envPassword}\`,
  yaml: secrets.yaml,
  token: secrets.token,
  code1: secrets.one,
  code2: secrets.two,
  code3: secrets.three,
  quoted: \`passphrase "\${secrets.three}" and "\${secrets.two}" and "\${secrets.one}"\`,
});
if (env.FLOE_TEST_FAIL === "1") throw new Error(\`login refused for \${secrets.envPassword} (token \${secrets.token}, code "\${secrets.three}")\`);
`;

const HOOKS = `import { defineResumeHooks, ok, type HookContext } from "floe";
export default defineResumeHooks({
  validate(ctx: HookContext) {
    return ctx.sql<{ N: number }>("SELECT 1 AS N").length > 0 ? ok() : ok();
  },
});
`;

let project: string;
const runs: { name: string; run: FloeRun }[] = [];

const env: Record<string, string> = {
  SNOWFLAKE_PASSWORD: LONG.envPassword,
  GITHUB_TOKEN: LONG.token,
  SNOWFLAKE_PRIVATE_KEY_PASSPHRASE: SHORT.one,
  FLOE_TEST_SECRET: SHORT.two,
  FLOE_TEST_API_KEY: SHORT.three,
  PULUMI_CONFIG: JSON.stringify({ "snowflake:account": "ORG-ACCOUNT", "snowflake:user": "DEPLOYER", "snowflake:password": LONG.configPassword }),
};

async function floe(name: string, args: string[], extraEnv: Record<string, string> = {}): Promise<FloeRun> {
  const run = await runFloe(args, { cwd: project, env: { ...env, ...extraEnv } });
  runs.push({ name, run });
  return run;
}

beforeAll(async () => {
  project = makeTempDir("floe-secrets-");
  // The program imports @pulumi/pulumi from the project's node_modules, as a user's would.
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(project, "node_modules"), "dir");
  fs.writeFileSync(path.join(project, "connector.ts"), `export default { name: "SECRETS_CONNECTOR", hooks: ["hooks.ts"] };\n`);
  fs.writeFileSync(path.join(project, "hooks.ts"), HOOKS);
  fs.writeFileSync(path.join(project, "index.ts"), PROGRAM);
  fs.writeFileSync(path.join(project, "Pulumi.yaml"), "name: secrets-test\nruntime: nodejs\n");
  // A plaintext credential in the stack file (as a careless user would commit it).
  fs.writeFileSync(path.join(project, "Pulumi.plan.yaml"), `config:\n  snowflake:yamlPassword: ${LONG.yamlPassword}\n`);

  await Promise.all([floe("render", ["render", "--out", "build/app"]), floe("plan --save", ["plan", "--save", "snapshots/base"])]);
  // Independent of one another (each writes its own files): run side by side.
  await Promise.all([
    floe("simulate", ["simulate", "resume"]),
    floe("simulate --json", ["simulate", "resume", "--json"]),
    floe("plan terminal", ["plan", "--base", "snapshots/base"], { FLOE_TEST_REVISION: "2" }),
    floe("plan markdown", ["plan", "--base", "snapshots/base", "--format", "markdown", "--out", "plan.md", "--save", "snapshots/head"], { FLOE_TEST_REVISION: "2" }),
    floe("plan json", ["plan", "--base", "snapshots/base", "--format", "json", "--out", "plan.json"], { FLOE_TEST_REVISION: "2" }),
    floe("plan, failing program", ["plan", "--base", "snapshots/base"], { FLOE_TEST_FAIL: "1" }),
  ]);
}, 600_000);

afterAll(() => {
  fs.rmSync(project, { recursive: true, force: true });
});

/** Files floe wrote in the project: everything but the inputs and the node_modules link. */
function artifacts(): { file: string; content: string }[] {
  const inputs = new Set(["connector.ts", "hooks.ts", "index.ts", "Pulumi.yaml", "Pulumi.plan.yaml", "node_modules"]);
  const out: { file: string; content: string }[] = [];
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      const rel = path.relative(project, full);
      if (inputs.has(rel)) continue;
      if (entry.isDirectory()) walk(full);
      else out.push({ file: rel, content: fs.readFileSync(full, "utf8") });
    }
  };
  walk(project);
  for (const log of [path.join(project, "snowflake.log"), path.join(ROOT, "snowflake.log")]) {
    if (fs.existsSync(log)) out.push({ file: log, content: fs.readFileSync(log, "utf8") });
  }
  return out;
}

/** How a long secret could show: as is, with its whitespace collapsed, JSON-escaped, its first line alone. */
function longForms(secret: string): string[] {
  return [secret, secret.replace(/\s+/g, " "), JSON.stringify(secret).slice(1, -1), secret.split("\n")[0]];
}

/** A short secret as a word of its own: between whitespace, quotes, `=` or `:` and punctuation. */
function shortWord(secret: string): RegExp {
  return new RegExp(`(^|[\\s"'\`=:(\\[{,])${secret}($|[\\s"'\`,;:.!?)\\]}&])`, "m");
}

describe("no secret reaches an artifact of a full run", { timeout: 60_000 }, () => {
  it("ran every command as expected", () => {
    const code = (name: string) => runs.find((r) => r.name === name)?.run.code;
    expect(code("render")).toBe(0);
    expect(code("plan --save")).toBe(0);
    expect(code("simulate")).toBe(0);
    expect(code("simulate --json")).toBe(0);
    expect(code("plan terminal")).toBe(0);
    expect(code("plan markdown")).toBe(0);
    expect(code("plan json")).toBe(0);
    expect(code("plan, failing program")).toBe(1);
    // The redaction did its work where the program leaked (rather than nothing being printed).
    const failed = runs.find((r) => r.name === "plan, failing program")?.run.stderr ?? "";
    expect(failed).toContain('login refused for [redacted] (token [redacted], code "[redacted]")');
    expect(fs.readFileSync(path.join(project, "plan.md"), "utf8")).toContain("[redacted]");
    JSON.parse(fs.readFileSync(path.join(project, "plan.json"), "utf8"));
  });

  it("leaves no long secret in any output or file, in any form", () => {
    const texts = [...runs.map((r) => ({ where: `${r.name} (stdout+stderr)`, text: r.run.stdout + r.run.stderr })), ...artifacts().map((a) => ({ where: a.file, text: a.content }))];
    expect(texts.length).toBeGreaterThan(10);
    const leaks: string[] = [];
    for (const secret of Object.values(LONG)) {
      for (const form of longForms(secret)) {
        for (const { where, text } of texts) if (text.includes(form)) leaks.push(`${JSON.stringify(form)} in ${where}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it("leaves no short secret standing as a word or a quoted value", () => {
    // The compiler's V8 code cache is bytecode compiled from node_modules' JavaScript only (no
    // run-time values), and as binary it holds any one letter between two spaces somewhere; the
    // long secrets are still looked for in it above.
    const text = artifacts().filter((a) => !a.file.startsWith(path.join(".floe-cache", "floe", "v8") + path.sep));
    const texts = [...runs.map((r) => ({ where: `${r.name} (stdout+stderr)`, text: r.run.stdout + r.run.stderr })), ...text.map((a) => ({ where: a.file, text: a.content }))];
    const leaks: string[] = [];
    for (const secret of Object.values(SHORT)) {
      for (const { where, text } of texts) {
        const found = shortWord(secret).exec(text);
        if (found !== null) leaks.push(`${JSON.stringify(secret)} in ${where}: …${text.slice(Math.max(0, found.index - 30), found.index + 30)}…`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it("leaves no snowflake.log behind", () => {
    expect(fs.existsSync(path.join(project, "snowflake.log"))).toBe(false);
  });
});
