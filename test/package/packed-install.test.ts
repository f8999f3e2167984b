/**
 * floe as a user gets it: packed with `npm pack`, installed from the tarball into a new project
 * (from the npm cache that `npm ci` filled; the network only for what it lacks), scaffolded with
 * `floe init`, and driven through the commands of the README's "Use floe in your own
 * repository" section — read from README.md and run line by line, exactly as written there, with
 * /tmp replaced by this test's temporary directory. Then what the README promises about them:
 *
 * - the tarball holds the compiled package and its data files, and no tests or sources;
 * - render, simulate, plan (JSON, and Markdown through the workflow's own command) run from
 *   node_modules, and commands without a connector definition point at `floe init`;
 * - the user's strict tsconfig type-checks the scaffold against floe's declarations;
 * - the Pulumi program runs under mocks, and the dynamic providers it serializes run in a plain
 *   Node process (no TypeScript loader) from the installed package, against floe's sandbox:
 *   create, diff, update, read and delete;
 * - with a Pulumi CLI (findPulumi: on PATH, or built by scripts/install-pulumi), `pulumi up`,
 *   an upgrade after a hook change, and `pulumi destroy` against the sandbox.
 *
 * The temporary directory's name contains "floe" on purpose: Pulumi's serializer mis-resolves
 * modules by reference when the project path contains the package's name, which floe's
 * providers must not depend on.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { findPulumi, pulumiEnv } from "../helpers/pulumi-cli";
import { tempDir } from "../helpers/tmp";

const ROOT = path.resolve(__dirname, "..", "..");
const HERE = __dirname;
const work = tempDir("floe-package-");

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

/**
 * The environment of a user's shell: nothing of the `npm test` that runs this file (npm passes
 * its own config down as npm_* variables, and a nested npm would take the checkout for its
 * project), the npm cache preferred over the network, and a git identity for the commit.
 */
function userEnv(extra: Readonly<Record<string, string>> = {}, base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(base)) {
    if (/^npm_/i.test(key) || key === "NODE_OPTIONS" || key === "NODE_ENV" || key.startsWith("VITEST") || key === "INIT_CWD") continue;
    env[key] = value;
  }
  return {
    ...env,
    npm_config_prefer_offline: "true",
    npm_config_audit: "false",
    npm_config_fund: "false",
    npm_config_update_notifier: "false",
    NO_COLOR: "1",
    GIT_AUTHOR_NAME: "floe test",
    GIT_AUTHOR_EMAIL: "floe@example.invalid",
    GIT_COMMITTER_NAME: "floe test",
    GIT_COMMITTER_EMAIL: "floe@example.invalid",
    ...extra,
  };
}

function run(command: string, args: readonly string[], cwd: string, env: NodeJS.ProcessEnv = userEnv()): Promise<Run> {
  const started = Date.now();
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd, env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", (e) => resolve({ code: null, stdout, stderr: stderr + String(e), seconds: 0 }));
    child.on("close", (code) => resolve({ code, stdout, stderr, seconds: (Date.now() - started) / 1000 }));
  });
}

const bash = (script: string, cwd: string, env?: NodeJS.ProcessEnv) => run("bash", ["-c", `set -eo pipefail\n${script}`], cwd, env);

function expectOk(result: Run, what: string): void {
  expect(result.code, `${what} failed:\n${result.stdout}\n${result.stderr}`).toBe(0);
}

/** The shell block of the README's "Use floe in your own repository" section, one command a line. */
function readmeCommands(): string[] {
  const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
  const section = readme.split(/^## /m).find((s) => s.startsWith("Use floe in your own repository"));
  if (section === undefined) throw new Error('README.md has no "## Use floe in your own repository" section');
  const block = /```sh\n([\s\S]*?)```/.exec(section);
  if (block === null) throw new Error("the README section has no sh block");
  return block[1].split("\n").filter((line) => line.trim() !== "" && !line.trim().startsWith("#"));
}

/**
 * A copy of this checkout's files (tracked, and new ones git does not ignore) beside the test's
 * other files, sharing the checkout's node_modules. The README's `npm pack` runs there: its
 * `prepare` rebuilds dist/ from nothing, and doing that in the checkout itself would pull dist/
 * from under the tests that load it at the same time (the Pulumi engine test does).
 */
function checkoutCopy(): string {
  const listed = spawnSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: ROOT, encoding: "utf8" });
  if (listed.status !== 0) throw new Error(`git ls-files failed in ${ROOT}: ${listed.stderr}`);
  const copy = path.join(work, "floe-checkout");
  for (const file of listed.stdout.split("\0")) {
    if (file === "" || !fs.existsSync(path.join(ROOT, file))) continue; // deleted but not yet staged
    fs.mkdirSync(path.dirname(path.join(copy, file)), { recursive: true });
    fs.copyFileSync(path.join(ROOT, file), path.join(copy, file));
  }
  fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(copy, "node_modules"), "dir");
  return copy;
}

function sha256(file: string): string {
  return createHash("sha256").update(fs.readFileSync(file)).digest("hex");
}

const HOOK_BEFORE = 'return ok("Ingestion resumed.");';
const HOOK_AFTER = 'return ok("Ingestion resumed, with a change under review.");';

describe("floe installed from its packed tarball", { timeout: 600_000 }, () => {
  const timings: Record<string, number> = {};
  const readmeRuns = new Map<string, Run>();
  let project = "";
  let tarball = "";
  let floeBin = "";
  let installToFirstRender = 0;

  beforeAll(async () => {
    // The README's commands, in order, each in the directory the previous one left.
    let cwd = checkoutCopy();
    const cwdFile = path.join(work, ".cwd");
    let installStarted: number | undefined;
    for (const line of readmeCommands()) {
      const command = line.replace(/(^|[\s=])\/tmp(?=\/|\s|$)/g, `$1${work}`);
      const started = Date.now();
      if (installStarted === undefined && /^npm install \S+\.tgz/.test(command)) installStarted = started;
      const result = await bash(`${command}\npwd -P > ${JSON.stringify(cwdFile)}`, cwd);
      expectOk(result, `README command \`${line}\``);
      readmeRuns.set(line.replace(/\s+#.*$/, "").trim(), result);
      timings[line.replace(/\s+#.*$/, "").trim()] = result.seconds;
      cwd = fs.readFileSync(cwdFile, "utf8").trim();
      if (installStarted !== undefined && installToFirstRender === 0 && /^npx floe render\b/.test(command)) installToFirstRender = (Date.now() - installStarted) / 1000;
    }
    project = cwd;
    tarball = fs.readdirSync(work).filter((f) => f.endsWith(".tgz")).map((f) => path.join(work, f))[0] ?? "";
    floeBin = path.join(project, "node_modules", ".bin", "floe");
  }, 600_000);

  afterAll(() => {
    if (tarball === "" || !fs.existsSync(tarball)) return;
    const lines = Object.entries(timings).map(([command, seconds]) => `  ${seconds.toFixed(1).padStart(6)} s  ${command}`);
    process.stdout.write(
      `packed install: tarball ${(fs.statSync(tarball).size / 1024).toFixed(1)} kB; install to first render ${installToFirstRender.toFixed(1)} s\n${lines.join("\n")}\n`,
    );
  });

  it("runs the README's commands in a new project", () => {
    const commands = readmeCommands();
    expect(commands[0]).toMatch(/^npm pack\b/);
    expect(commands.some((c) => c.startsWith("npx floe init"))).toBe(true);
    expect(path.basename(project)).toBe("my-connector");
    expect(fs.existsSync(path.join(project, "node_modules", "floe", "dist", "api", "index.js"))).toBe(true);
    // The README names the tarball npm pack wrote.
    expect(commands.join("\n")).toContain(path.basename(tarball));
  });

  it("packs the compiled package, its data files and templates, and nothing of the repository's tests or sources", async () => {
    const listing = await run("tar", ["-tvzf", tarball], work);
    expectOk(listing, "tar -t");
    const entries = listing.stdout
      .trim()
      .split("\n")
      .map((line) => {
        const parts = line.trim().split(/\s+/);
        return { size: Number(parts[2]), file: parts.slice(5).join(" ").replace(/^package\//, "") };
      });
    const files = entries.map((e) => e.file);
    for (const needed of [
      "package.json",
      "README.md",
      "bin/floe.js",
      "dist/api/index.js",
      "dist/api/index.d.ts",
      "dist/api/index.js.map",
      "dist/cli/floe.js",
      "dist/components/providers/sdk.js",
      "dist/sandbox/tables/duckdb-worker.cjs",
      "lifecycle/hook-api.ts",
      "lifecycle/procedures.ts",
      "sql-templates/core.sql",
      "sql-templates/scheduler/scheduler.sql",
      "templates/init/connector.ts",
      "templates/init/hooks/resume.ts",
      "templates/init/hooks/flow.ts",
      "templates/init/gitignore",
      "templates/init/github/workflows/floe-plan.yml",
    ]) {
      expect(files, needed).toContain(needed);
    }
    // The repository's sources, tests, benchmarks, docs, example connector and build set-up stay home.
    const unwanted = files.filter((f) => /^(api|cli|components|generators|sandbox|snowflake|sql|test|bench|docs|scripts|hooks|\.ci)\/|^(connector|index)\.ts$|^tsconfig|^vitest|\.test\./.test(f));
    expect(unwanted).toEqual([]);
    // TypeScript ships only as declarations, and as the lifecycle sources procedures are compiled from.
    expect(files.filter((f) => f.endsWith(".ts") && !f.endsWith(".d.ts") && !f.startsWith("lifecycle/") && !f.startsWith("templates/"))).toEqual([]);

    const manifest = JSON.parse((await run("tar", ["-xzOf", tarball, "package/package.json"], work)).stdout) as Record<string, any>;
    expect(manifest.private).toBeUndefined();
    expect(Object.keys(manifest.peerDependencies).sort()).toEqual(["@pulumi/pulumi", "@pulumi/snowflake"]);
    expect(manifest.dependencies["@pulumi/pulumi"]).toBeUndefined();
    const targets = (value: unknown): string[] => (typeof value === "string" ? [value] : Object.values(value as object).flatMap(targets));
    for (const target of [...targets(manifest.exports), ...targets(manifest.bin)]) expect(files, target).toContain(target.replace(/^\.\//, ""));

    const unpacked = entries.reduce((sum, e) => sum + e.size, 0);
    process.stdout.write(`tarball: ${fs.statSync(tarball).size} bytes packed, ${unpacked} bytes unpacked, ${files.filter((f) => !f.endsWith("/")).length} files\n`);
  });

  it("scaffolds the connector repository with floe init", () => {
    const init = readmeRuns.get("npx floe init")!;
    for (const file of ["connector.ts", "hooks/resume.ts", "index.ts", "Pulumi.yaml", "tsconfig.json", ".gitignore", ".github/workflows/floe-plan.yml", "README.md"]) {
      expect(fs.existsSync(path.join(project, file)), file).toBe(true);
      expect(init.stdout).toContain(`created  ${file}`);
    }
    const pkg = JSON.parse(fs.readFileSync(path.join(project, "package.json"), "utf8")) as Record<string, any>;
    const own = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as Record<string, any>;
    // What npm install wrote is kept; floe's peers are pinned to the versions floe is tested with.
    expect(pkg.dependencies.floe).toMatch(/^file:.*floe-[\d.]+\.tgz$/);
    expect(pkg.dependencies["@pulumi/pulumi"]).toBe(own.devDependencies["@pulumi/pulumi"]);
    expect(pkg.dependencies["@pulumi/snowflake"]).toBe(own.devDependencies["@pulumi/snowflake"]);
    expect(pkg.name).toBe("my-connector");
    expect(fs.readFileSync(path.join(project, "connector.ts"), "utf8")).toContain('name: "MY_CONNECTOR"');
    const tsconfig = JSON.parse(fs.readFileSync(path.join(project, "tsconfig.json"), "utf8")) as { compilerOptions: Record<string, unknown> };
    expect(tsconfig.compilerOptions).toMatchObject({ strict: true, noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: true, skipLibCheck: false });
  });

  it("refuses to scaffold over an existing repository, and with --force keeps every file", async () => {
    const before = Object.fromEntries(["connector.ts", "hooks/resume.ts", "README.md", "package.json"].map((f) => [f, sha256(path.join(project, f))]));
    const refused = await run(floeBin, ["init"], project);
    expect(refused.code).toBe(1);
    // Not .floe-cache, which the renders above filled: floe's own cache is not the user's work.
    expect(refused.stderr).toMatch(/^error: \. is not empty \(it holds \.github, \.gitignore, Pulumi\.yaml, README\.md, build, and \d+ more\)\. .* pass --force /);
    const forced = await run(floeBin, ["init", "--force"], project);
    expectOk(forced, "floe init --force");
    expect(forced.stdout).toContain("kept     connector.ts (it exists; not overwritten)");
    expect(forced.stdout).not.toContain("created");
    for (const [file, hash] of Object.entries(before)) expect(sha256(path.join(project, file)), file).toBe(hash);
  });

  it("renders and simulates from node_modules", () => {
    const render = readmeRuns.get("npx floe render")!;
    expect(render.stdout).toContain("MY_CONNECTOR V1 → build/app");
    expect(render.stdout).toMatch(/PUBLIC\.RESUME_CONNECTOR_INTERNAL\(\) .* hook hooks\/resume\.ts:\d+/);
    expect(fs.readFileSync(path.join(project, "build", "app", "setup.sql"), "utf8")).toContain("Ingestion resumed.");
    const simulate = readmeRuns.get("npx floe simulate resume")!;
    expect(simulate.stdout).toContain('response:   {"response_code":"OK","message":"Connector successfully resumed."}');
    expect(simulate.stdout).toContain("status:     STARTED / FINALIZED");
  });

  it("fails without a connector definition, pointing at floe init", async () => {
    const empty = fs.mkdtempSync(path.join(work, "empty-"));
    for (const command of [["render"], ["simulate", "resume"], ["plan", "--base", "HEAD"]]) {
      const result = await run(floeBin, command, empty);
      expect(result.code, command.join(" ")).toBe(1);
      expect(result.stderr, command.join(" ")).toContain(`error: no connector definition: there is no connector.ts in ${fs.realpathSync(empty)}.`);
      expect(result.stderr).toContain("npx floe init");
    }
    expect(fs.readdirSync(empty)).toEqual([]);
  });

  it("type-checks the scaffold against floe's declarations with the strict tsconfig, and catches a misuse", async () => {
    expect(readmeRuns.get("npm run typecheck")!.code).toBe(0);
    // Proof that floe's types are what tsc checked against: a wrong call is an error.
    const probe = path.join(project, "misuse.ts");
    fs.writeFileSync(probe, 'import { defineConnector } from "floe";\nexport default defineConnector({ name: 42, root: __dirname });\n');
    try {
      const result = await run("npm", ["run", "--silent", "typecheck"], project);
      expect(result.code).not.toBe(0);
      expect(result.stdout).toMatch(/misuse\.ts\(2,\d+\): error TS2322: Type 'number' is not assignable to type 'string'/);
    } finally {
      fs.rmSync(probe);
    }
  });

  describe("after a hook change", () => {
    beforeAll(() => {
      const hooks = path.join(project, "hooks", "resume.ts");
      const text = fs.readFileSync(hooks, "utf8");
      expect(text).toContain(HOOK_BEFORE);
      fs.writeFileSync(hooks, text.replace(HOOK_BEFORE, HOOK_AFTER));
    });

    it("plans it as JSON against the committed base", async () => {
      expect(readmeRuns.get("npx floe plan --base HEAD --format markdown")!.stdout).toMatch(/^<!-- floe-plan -->\n## floe plan: `MY_CONNECTOR` `V1`/);
      const json = await run(floeBin, ["plan", "--base", "HEAD", "--format", "json"], project);
      expectOk(json, "floe plan --format json");
      // The installed floe is the base's floe: it renders the base itself, without tsx re-reading it.
      expect(json.stderr).toMatch(/note: the base was rendered by the running floe \d+\.\d+\.\d+\S*, in this process \(this repository is not floe's own\)\./);
      const plan = JSON.parse(json.stdout) as { procedures: { changed: { after: { signature: string }; changes: string[] }[] }; resources: { changed: { name: string }[] } };
      expect(plan.procedures.changed.map((p) => [p.after.signature, p.changes])).toEqual([["PUBLIC.RESUME_CONNECTOR_INTERNAL()", ["body"]]]);
      // The staged file, the new patch, and the application's procedure hashes (what a refresh checks).
      expect(plan.resources.changed.map((r) => r.name).sort()).toEqual(["connector-app", "connector-file-setup.sql", "connector-version"]);
    });

    it("runs the pull-request workflow's plan command as written", async () => {
      const workflow = parseYaml(fs.readFileSync(path.join(project, ".github", "workflows", "floe-plan.yml"), "utf8")) as {
        jobs: { plan: { steps: { name?: string; run?: string; env?: Record<string, string> }[] } };
      };
      const step = workflow.jobs.plan.steps.find((s) => s.name === "floe plan")!;
      expect(step.run).toContain("npx floe plan --base \"origin/$BASE_REF\" --format markdown --out plan.md");
      // The checkout action leaves the base branch as a remote-tracking ref.
      expectOk(await bash("git update-ref refs/remotes/origin/main HEAD", project), "git update-ref");
      const output = path.join(work, "github-output");
      const result = await bash(step.run!, project, userEnv({ BASE_REF: "main", GITHUB_OUTPUT: output }));
      expectOk(result, "the workflow's plan step");
      expect(fs.readFileSync(output, "utf8")).toBe("exit=0\n");
      // The comment the next step posts: the Markdown plan of the change.
      const markdown = fs.readFileSync(path.join(project, "plan.md"), "utf8");
      fs.rmSync(path.join(project, "plan.md"));
      expect(markdown).toMatch(/^<!-- floe-plan -->\n## floe plan: `MY_CONNECTOR` `V1`\n\nCompared with `origin\/main`/);
      expect(markdown).toContain("| changed | `PUBLIC.RESUME_CONNECTOR_INTERNAL()` |");
      // Bodies are printed by the bundler, two spaces a level.
      expect(markdown).toContain(`+    ${HOOK_AFTER}`);
      expect(markdown).toContain("`connector-version` (`pulumi-nodejs:dynamic/floe:PackageVersion`)");
    });
  });

  describe("the Pulumi program", () => {
    const before = path.join(work, "program-before.json");
    const after = path.join(work, "program-after.json");

    beforeAll(async () => {
      // Under mocks as Pulumi.yaml runs it (tsx preloaded), before and after the hook change.
      const hooks = path.join(project, "hooks", "resume.ts");
      const changed = fs.readFileSync(hooks, "utf8");
      fs.writeFileSync(hooks, changed.replace(HOOK_AFTER, HOOK_BEFORE));
      try {
        expectOk(await run(process.execPath, ["--require", "tsx/cjs", path.join(HERE, "evaluate-program.cjs"), before], project), "the program under mocks");
      } finally {
        fs.writeFileSync(hooks, changed);
      }
      expectOk(await run(process.execPath, ["--require", "tsx/cjs", path.join(HERE, "evaluate-program.cjs"), after], project), "the changed program under mocks");
    });

    it("registers the connector app, with providers that load floe/providers from the project", () => {
      const { resources, outputs } = JSON.parse(fs.readFileSync(before, "utf8")) as { resources: { type: string; name: string; inputs: Record<string, unknown> }[]; outputs: Record<string, unknown> };
      expect(outputs.applicationName).toBe("MY_CONNECTOR");
      const dynamic = resources.filter((r) => r.type.startsWith("pulumi-nodejs:dynamic/floe:"));
      expect(dynamic.map((r) => r.name)).toEqual(expect.arrayContaining(["connector-package", "connector-file-setup.sql", "connector-version", "connector-app", "connector-privilege-execute-task"]));
      for (const r of dynamic) {
        const text = r.inputs.__provider as string;
        // A few kilobytes of delegating functions, not floe's code captured by value.
        expect(text.length, r.name).toBeLessThan(4096);
        expect(text).toContain('specifier: "floe/providers"');
        expect([...new Set(text.match(/require\([^)]*\)/g))]).toEqual(["require(specifier)"]);
        expect(text).not.toContain(project);
        expect(text).not.toContain("pw-not-a-real-one");
      }
    });

    it("runs the serialized providers in plain Node from node_modules against the sandbox: create, diff, update, read, delete", async () => {
      const result = await run(process.execPath, [path.join(HERE, "run-providers.cjs"), before, after], project);
      expectOk(result, "run-providers.cjs");
      const report = JSON.parse(result.stdout) as Record<string, any>;
      expect(report.creates).toEqual(expect.arrayContaining(["connector-package", "connector-version", "connector-app", "connector-privilege-execute-task"]));
      expect(report.statusAfterCreate).toEqual({ GET_CONNECTOR_STATUS: { response_code: "OK", status: "CONFIGURING", configurationStatus: "INSTALLED" } });
      expect(report.updates).toEqual(["connector-file-setup.sql", "connector-version", "connector-app"]);
      for (const diff of Object.values(report.diffs) as { replaces: string[] }[]) expect(diff.replaces).toEqual([]);
      expect(report.application).toMatchObject({ name: "MY_CONNECTOR", version: "V1", patch: 1 });
      expect(report.readAfterUpdate).toBe(1);
      expect(report.statusAfterUpdate.GET_CONNECTOR_STATUS.response_code).toBe("OK");
      expect(report.readAfterDelete).toEqual({ package: {}, application: {} });
      // The code that ran: floe's compiled modules in the project's node_modules, no TypeScript loader.
      expect(report.typescriptLoader).toBe(false);
      expect(report.floeModules).toContain(path.join("node_modules", "floe", "dist", "components", "providers", "sdk.js"));
      expect(report.floeModules.filter((f: string) => !f.startsWith(path.join("node_modules", "floe", "dist") + path.sep))).toEqual([]);
    });

    const cli = findPulumi();
    it.skipIf(cli === null)("deploys, upgrades and destroys with the Pulumi CLI against floe's sandbox", async () => {
      const home = fs.mkdtempSync(path.join(work, "pulumi-home-"));
      const state = fs.mkdtempSync(path.join(work, "pulumi-state-"));
      const env = userEnv({}, pulumiEnv(cli!, home, { PULUMI_BACKEND_URL: `file://${state}`, PULUMI_CONFIG_PASSPHRASE: "floe-test" }));
      const sandbox: ChildProcess = spawn(floeBin, ["sandbox"], { cwd: project, env: userEnv() });
      try {
        const url = await new Promise<string>((resolve, reject) => {
          let out = "";
          sandbox.stdout!.on("data", (d: Buffer) => {
            out += d.toString();
            const found = /listening on (http:\/\/\S+)/.exec(out);
            if (found) resolve(found[1]);
          });
          sandbox.on("exit", () => reject(new Error(`floe sandbox exited: ${out}`)));
        });
        const pulumi = (args: string[]) => run(cli!.pulumi, [...args, "--non-interactive"], project, env);
        expectOk(await pulumi(["stack", "init", "dev"]), "pulumi stack init");
        for (const [key, value, secret] of [
          ["snowflake:account", "floe_sandbox", false],
          ["snowflake:user", "floe", false],
          ["snowflake:password", "floe", true],
          ["floe:accessUrl", url, false],
        ] as const) {
          expectOk(await pulumi(["config", "set", ...(secret ? ["--secret"] : []), key, value]), `pulumi config set ${key}`);
        }
        const hooks = path.join(project, "hooks", "resume.ts");
        const changed = fs.readFileSync(hooks, "utf8");
        fs.writeFileSync(hooks, changed.replace(HOOK_AFTER, HOOK_BEFORE));
        try {
          expectOk(await pulumi(["up", "--yes"]), "pulumi up");
        } finally {
          fs.writeFileSync(hooks, changed);
        }
        const first = JSON.parse((await pulumi(["stack", "output", "--json"])).stdout) as Record<string, unknown>;
        expect(first).toMatchObject({ applicationName: "MY_CONNECTOR", version: "V1", patch: 0 });
        const exported = JSON.parse((await pulumi(["stack", "export"])).stdout) as { deployment: { resources: { urn: string; inputs?: Record<string, unknown> }[] } };
        const providers = exported.deployment.resources.map((r) => r.inputs?.__provider).filter((p): p is string => typeof p === "string");
        expect(providers.length).toBeGreaterThan(4);
        for (const text of providers) expect(text).toContain('specifier: "floe/providers"');

        const upgrade = await pulumi(["up", "--yes"]);
        expectOk(upgrade, "pulumi up after the hook change");
        expect(upgrade.stdout).toMatch(/3 updated/);
        const second = JSON.parse((await pulumi(["stack", "output", "--json"])).stdout) as Record<string, unknown>;
        expect(second).toMatchObject({ patch: 1 });
        expectOk(await pulumi(["destroy", "--yes"]), "pulumi destroy");
      } finally {
        sandbox.kill("SIGINT");
      }
    });
  });
});
