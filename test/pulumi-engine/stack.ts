/**
 * A Pulumi stack of the example project (test/pulumi-engine/project) run by the real Pulumi CLI
 * against a fresh floe sandbox served over HTTP: what the engine tests and the engine benchmark
 * drive.
 *
 * - The project is copied to a temporary directory with the example hooks beside it, and a
 *   node_modules of links to the repository's packages plus `floe` itself, so that the program
 *   imports "floe" and "floe/pulumi" as a user's project does.
 * - The stack lives in a local backend in that directory (`pulumi login file://...`), with the
 *   passphrase secrets provider; PULUMI_HOME is there too, so nothing touches ~/.pulumi.
 * - Every statement and login the sandbox receives is recorded, in order.
 *
 * The CLI runs as a child process while the sandbox serves from this process, so everything
 * here is asynchronous: a synchronous spawn would block the sandbox's HTTP server.
 */
import { spawn } from "node:child_process";
import { generateKeyPairSync } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { startProtocolServer, type ProtocolServer } from "../../sandbox/protocol/server";
import { Sandbox } from "../../sandbox/sandbox";
import { pulumiEnv, REPO_ROOT, type PulumiCli } from "../helpers/pulumi-cli";

export const PROJECT_TEMPLATE = path.join(REPO_ROOT, "test", "pulumi-engine", "project");

export interface Received {
  readonly kind: "login" | "statement";
  /** The statement, or `user` for a login. */
  readonly text: string;
}

export interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly milliseconds: number;
}

export interface EngineStackOptions {
  /** Secrets of the stack's connection; default: a new encrypted RSA key and its passphrase. */
  readonly credentials?: { readonly privateKey: string; readonly privateKeyPassphrase: string } | { readonly password: string };
  readonly stack?: string;
}

/** A fresh encrypted PKCS#8 key, as `pulumi config set --secret snowflake:privateKey < key.p8` takes it. */
export function newKeyPair(passphrase: string): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    publicKeyEncoding: { type: "spki", format: "pem" },
    privateKeyEncoding: { type: "pkcs8", format: "pem", cipher: "aes-256-cbc", passphrase },
  });
  return { privateKey, publicKey };
}

export class EngineStack {
  private constructor(
    /** Everything the sandbox received, in order. */
    readonly received: Received[],
    readonly cli: PulumiCli,
    readonly sandbox: Sandbox,
    readonly server: ProtocolServer,
    /** The temporary root: project/, backend/, home/. */
    readonly root: string,
    readonly env: NodeJS.ProcessEnv,
    readonly stackName: string,
  ) {}

  get projectDir(): string {
    return path.join(this.root, "project");
  }

  get backendDir(): string {
    return path.join(this.root, "backend");
  }

  /** Statements received since `mark` (an index into {@link received}). */
  statementsSince(mark: number): string[] {
    return this.received.slice(mark).filter((r) => r.kind === "statement").map((r) => r.text);
  }

  loginsSince(mark: number): number {
    return this.received.slice(mark).filter((r) => r.kind === "login").length;
  }

  /**
   * Starts a sandbox with account role CONNECTOR_ADMIN, lays out the project, logs in to a
   * local backend and creates the stack with the sandbox's connection in its config.
   */
  static async create(cli: PulumiCli, options: EngineStackOptions = {}): Promise<EngineStack> {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "floe-engine-"));
    const sandbox = await Sandbox.start();
    let stack: EngineStack | undefined;
    try {
      const admin = sandbox.login({ account: "SANDBOX-TEST", user: "ADMIN" });
      sandbox.execute(admin, "CREATE ROLE CONNECTOR_ADMIN", []);
      const received: Received[] = [];
      const server = await startProtocolServer({
        login: (request) => {
          received.push({ kind: "login", text: request.user });
          return sandbox.login(request);
        },
        execute: (session, sqlText, binds) => {
          received.push({ kind: "statement", text: sqlText });
          return sandbox.execute(session, sqlText, binds);
        },
        close: () => undefined,
      });
      const project = path.join(root, "project");
      layOutProject(project);
      for (const dir of ["backend", "home"]) fs.mkdirSync(path.join(root, dir));
      const env = pulumiEnv(cli, path.join(root, "home"), { PULUMI_CONFIG_PASSPHRASE: "floe engine test passphrase" });
      stack = new EngineStack(received, cli, sandbox, server, root, env, options.stack ?? "dev");
      await stack.must(["login", `file://${stack.backendDir}`]);
      await stack.must(["stack", "init", stack.stackName]);
      const credentials = options.credentials ?? (() => {
        const passphrase = "key passphrase for the engine test";
        return { privateKey: newKeyPair(passphrase).privateKey, privateKeyPassphrase: passphrase };
      })();
      await stack.config("snowflake:account", "SANDBOX-TEST");
      await stack.config("snowflake:user", "FLOE_DEPLOYER");
      await stack.config("floe:accessUrl", server.url);
      for (const [key, value] of Object.entries(credentials)) await stack.config(`snowflake:${key}`, value, { secret: true });
      return stack;
    } catch (e) {
      if (stack !== undefined) await stack.close();
      else {
        await sandbox.close();
        fs.rmSync(root, { recursive: true, force: true });
      }
      throw e;
    }
  }

  /** Runs `pulumi <args>` in the project directory. */
  run(args: readonly string[], input?: string): Promise<Run> {
    const started = Date.now();
    return new Promise((resolve, reject) => {
      const child = spawn(this.cli.pulumi, [...args], { cwd: this.projectDir, env: this.env, stdio: ["pipe", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code: code ?? -1, stdout, stderr, milliseconds: Date.now() - started }));
      child.stdin.end(input ?? "");
    });
  }

  /** Runs `pulumi <args>` and fails with its output unless it exits 0. */
  async must(args: readonly string[], input?: string): Promise<Run> {
    const run = await this.run(args, input);
    if (run.code !== 0) throw new Error(`pulumi ${args.join(" ")} exited ${run.code}\n--- stdout\n${run.stdout}\n--- stderr\n${run.stderr}`);
    return run;
  }

  /** `pulumi config set [--secret] key` with the value on stdin (how a key file is passed). */
  async config(key: string, value: string, options: { secret?: boolean } = {}): Promise<void> {
    await this.must(["config", "set", ...(options.secret === true ? ["--secret"] : []), key], value);
  }

  /** `pulumi stack output --json`. */
  async outputs(): Promise<Record<string, unknown>> {
    return JSON.parse((await this.must(["stack", "output", "--json", "--show-secrets=false"])).stdout) as Record<string, unknown>;
  }

  /** `pulumi stack export`: the deployment. */
  async exportState(): Promise<{ deployment: { resources?: { urn: string; type: string; outputs?: Record<string, unknown>; inputs?: Record<string, unknown> }[] } }> {
    return JSON.parse((await this.must(["stack", "export"])).stdout) as { deployment: { resources?: { urn: string; type: string }[] } };
  }

  /** Every file of the local backend (stack checkpoints, backups, history), as text. */
  backendFiles(): Map<string, string> {
    const files = new Map<string, string>();
    const walk = (dir: string) => {
      for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) walk(full);
        else files.set(path.relative(this.backendDir, full), fs.readFileSync(full, "utf8"));
      }
    };
    walk(this.backendDir);
    return files;
  }

  /** Rewrites a file of the project (a hook change, for instance). */
  editProject(file: string, edit: (text: string) => string): void {
    const full = path.join(this.projectDir, file);
    const before = fs.readFileSync(full, "utf8");
    const after = edit(before);
    if (after === before) throw new Error(`editing ${file} changed nothing`);
    fs.writeFileSync(full, after);
  }

  async close(): Promise<void> {
    try {
      await this.server.close();
      await this.sandbox.close();
    } finally {
      fs.rmSync(this.root, { recursive: true, force: true });
    }
  }
}

/**
 * The project template, the example hooks, a package.json, and a node_modules of links: every
 * package of the repository's node_modules, and `floe` → the repository (whose package.json
 * `exports` maps "floe" and "floe/pulumi").
 */
function layOutProject(project: string): void {
  fs.mkdirSync(path.join(project, "hooks"), { recursive: true });
  for (const file of fs.readdirSync(PROJECT_TEMPLATE)) fs.copyFileSync(path.join(PROJECT_TEMPLATE, file), path.join(project, file));
  fs.copyFileSync(path.join(REPO_ROOT, "hooks", "resume.ts"), path.join(project, "hooks", "resume.ts"));
  const sdk = (name: string) => (JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "node_modules", ...name.split("/"), "package.json"), "utf8")) as { version: string }).version;
  fs.writeFileSync(
    path.join(project, "package.json"),
    JSON.stringify({ name: "floe-engine-test", private: true, dependencies: { floe: "file:" + REPO_ROOT, "@pulumi/pulumi": sdk("@pulumi/pulumi"), tsx: sdk("tsx") } }, null, 2) + "\n",
  );
  const modules = path.join(project, "node_modules");
  fs.mkdirSync(modules);
  const repoModules = path.join(REPO_ROOT, "node_modules");
  for (const entry of fs.readdirSync(repoModules)) {
    if (entry === ".package-lock.json") continue;
    fs.symlinkSync(path.join(repoModules, entry), path.join(modules, entry));
  }
  fs.symlinkSync(REPO_ROOT, path.join(modules, "floe"));
}
