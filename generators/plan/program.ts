/**
 * Evaluates a Pulumi program under `pulumi.runtime.setMocks` and records every resource it
 * registers: type, name, parent and inputs. No Pulumi CLI, engine or credentials are involved;
 * the mocks answer each registration with the inputs as outputs, so the program runs to the end
 * as it would in `pulumi preview`, minus the provider calls.
 *
 * The program runs in a child process (program-worker.ts), not in floe's: it is the user's code,
 * and whatever it does — `process.exit(0)`, an exception from a callback, a promise that never
 * settles, a busy loop — must end in a report that names it and its real error, never in a plan
 * that silently exits 0 or a bare timeout. The child answers over IPC; its output is forwarded
 * (redacted) to stderr, and the last lines of it go into the error when it fails.
 *
 * What the recording leaves out, and why:
 * - secret inputs become "[secret]": a plan is posted to a pull request; so do inputs named like
 *   credentials, and any string holding a credential value of the program's config;
 * - a dynamic resource's `__provider` input is the serialized provider code, not desired state
 *   (it changes whenever floe's own code does); only a short hash of it is kept.
 */
import { fork, type ChildProcess } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import type * as PulumiModule from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { CREDENTIAL_NAME, redactText, redactValue } from "../../errors/redact";
import { FloeError } from "../../errors";
import { credentialConfigValues, knownSecrets, rememberSecrets } from "../secrets";
import { compareText, sortKeys, type JsonValue } from "./json";
import { shortHash } from "./snapshot";

export interface ProgramResource {
  /** `<parent type chain>$<type>::<name>`: unique within a program (the URN without stack and project). */
  readonly key: string;
  readonly type: string;
  readonly name: string;
  /** Key of the parent resource, or null at the top level. */
  readonly parent: string | null;
  /** False for component resources. */
  readonly custom: boolean;
  readonly inputs: JsonValue;
  /** Dynamic resources: hash of the serialized provider, for reference only. */
  readonly providerHash?: string;
}

export interface ProgramSnapshot {
  /** The program file relative to the connector's root, or null when there is none. */
  readonly file: string | null;
  /** Sorted by key. */
  readonly resources: readonly ProgramResource[];
}

export interface EvaluateOptions {
  /** Pulumi project name; default: `name` from Pulumi.yaml beside the program, else "floe-plan". */
  readonly project?: string;
  /** Pulumi stack name; default "plan". Config is read from Pulumi.<stack>.yaml beside the program when present. */
  readonly stack?: string;
  /** Extra config, `project:key` → value, applied over the stack file's. */
  readonly config?: Readonly<Record<string, string>>;
  /** Give up after this many milliseconds. Default 60 000. */
  readonly timeoutMs?: number;
  /** Where the program's own output goes (redacted). Default: process.stderr. */
  readonly output?: NodeJS.WritableStream;
  /** Stops the evaluation (the worker is killed; the promise rejects). */
  readonly signal?: AbortSignal;
  /** Directory the recorded `file` is relative to. Default: the program's directory. */
  readonly root?: string;
}

const SECRET_SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const PROVIDER_INPUT = "__provider";
export const REDACTED = "[secret]";

/**
 * Input names whose values are credentials whatever the program marked: a plan is posted to a
 * pull request, and a connection's password passed as a plain string must not end up there.
 */
const SENSITIVE_NAME = CREDENTIAL_NAME;

/** Replaces secret values (Pulumi's signature objects, and credential-named inputs) by "[secret]", recursively. */
function redact(value: unknown): unknown {
  if (value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map(redact);
  const record = value as Record<string, unknown>;
  if (record[SECRET_SIG_KEY] === SECRET_SIG) return REDACTED;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record)) out[k] = SENSITIVE_NAME.test(k) && v !== undefined && v !== null && v !== "" ? REDACTED : redact(v);
  return out;
}

const STACK_TYPE = "pulumi:pulumi:Stack";

/**
 * `urn:pulumi:stack::project::a$b$type::name` → `a$b$type::name`: the URN without the stack and
 * project, so a base and a head evaluated under different names still match.
 */
function keyOfUrn(urn: string): string {
  const key = urn.split("::").slice(2).join("::");
  return key.startsWith(`${STACK_TYPE}$`) ? key.slice(STACK_TYPE.length + 1) : key;
}

/**
 * Makes sure `require` can load TypeScript. The CLI already runs under tsx; a test runner or
 * a plain Node script may not, so register tsx's CommonJS hook once.
 */
export function ensureTypeScriptRequire(): void {
  if (require.extensions[".ts"] !== undefined) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- tsx loads only when a program needs it
  const api = require("tsx/cjs/api") as { register: () => unknown };
  api.register();
}

function projectConfig(programDir: string, stack: string): { project?: string; config: Record<string, string> } {
  const config: Record<string, string> = {};
  let project: string | undefined;
  const projectFile = ["Pulumi.yaml", "Pulumi.yml"].map((f) => path.join(programDir, f)).find((f) => fs.existsSync(f));
  if (projectFile !== undefined) {
    const data = parseYaml(fs.readFileSync(projectFile, "utf8")) as { name?: unknown } | null;
    if (typeof data?.name === "string") project = data.name;
  }
  const stackFile = [`Pulumi.${stack}.yaml`, `Pulumi.${stack}.yml`].map((f) => path.join(programDir, f)).find((f) => fs.existsSync(f));
  if (stackFile !== undefined) {
    const data = parseYaml(fs.readFileSync(stackFile, "utf8")) as { config?: Record<string, unknown> } | null;
    for (const [key, value] of Object.entries(data?.config ?? {})) {
      // Encrypted values cannot be read without the stack's key; the program sees a placeholder.
      const secure = value !== null && typeof value === "object" && "secure" in (value as object);
      config[key] = secure ? REDACTED : typeof value === "string" ? value : JSON.stringify(value);
    }
  }
  return { ...(project === undefined ? {} : { project }), config };
}

/** `PULUMI_CONFIG`: the JSON object of `project:key` → value that Pulumi's language host passes. */
function configFromEnv(): Record<string, string> {
  const text = process.env.PULUMI_CONFIG;
  if (text === undefined || text.trim() === "") return {};
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new FloeError(`PULUMI_CONFIG must be a JSON object of "project:key": "value", but it does not parse: ${(e as Error).message}`);
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) throw new FloeError('PULUMI_CONFIG must be a JSON object of "project:key": "value".');
  return Object.fromEntries(Object.entries(data as Record<string, unknown>).map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]));
}

/**
 * The plan runs without credentials, and the mocks never connect; but a program may insist on
 * a connection in its config before it registers anything (the example program does). When the
 * config names no Snowflake connection at all, placeholders stand in for one. They are the same
 * for base and head, so they never show as a change, and the password is a secret.
 */
export const CONNECTION_PLACEHOLDERS: Readonly<Record<string, string>> = {
  "snowflake:account": "FLOE-PLAN",
  "snowflake:user": "FLOE_PLAN",
  "snowflake:password": REDACTED,
};

function withConnectionPlaceholders(config: Record<string, string>): Record<string, string> {
  const names = (keys: string[]) => keys.some((k) => config[k] !== undefined);
  if (names(["floe:connection", "snowflake:account", "snowflake:organizationName", "snowflake:accountName"])) return config;
  const out: Record<string, string> = { ...config, "snowflake:account": CONNECTION_PLACEHOLDERS["snowflake:account"] };
  if (config["snowflake:user"] === undefined) out["snowflake:user"] = CONNECTION_PLACEHOLDERS["snowflake:user"];
  if (!names(["snowflake:password", "snowflake:privateKey", "snowflake:authenticator"])) out["snowflake:password"] = CONNECTION_PLACEHOLDERS["snowflake:password"];
  return out;
}

interface RecordedCall {
  readonly type: string;
  readonly name: string;
  custom: boolean;
  inputs: Record<string, unknown>;
  /** The parent's URN, "" at the top level. */
  readonly parentUrn: string;
  /** Filled in when the monitor answers. */
  urn?: string;
}

interface RegisterRequest {
  getParent(): string;
  getType(): string;
  getName(): string;
  getCustom(): boolean;
}
type RegisterCallback = (err: unknown, res: { getUrn(): string } | undefined) => void;
type MonitorLike = { registerResource?: (req: RegisterRequest, callback: RegisterCallback) => unknown };

/** What the parent asks the worker to evaluate. */
export interface WorkerRequest {
  readonly file: string;
  /** The program as messages name it. */
  readonly shown: string;
  readonly project: string;
  readonly stack: string;
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys: readonly string[];
  /** Values to redact from whatever the worker reports. */
  readonly secrets: readonly string[];
  readonly timeoutMs: number;
  readonly root: string;
  /** The directory the program runs in (the worker's). */
  readonly cwd: string;
}

/** What the worker answers: the recorded program, or why there is none. */
export type WorkerReply =
  | { readonly kind: "started" }
  | { readonly kind: "done"; readonly snapshot: ProgramSnapshot }
  | { readonly kind: "failed"; readonly message: string };

/** The worker is this module's sibling, in TypeScript or compiled, whichever floe runs from. */
const WORKER = path.join(__dirname, `program-worker${path.extname(__filename) || ".js"}`);

/** How long past its own time limit the worker may take to report before it is killed. */
const KILL_GRACE_MS = 10_000;

/** How long a new worker may take to start (Node, tsx and Pulumi on a busy machine) before it is given up. */
const START_LIMIT_MS = 120_000;

/** Lines of the program's output kept for the error message. */
const TAIL_LINES = 20;

/** The config the program sees, and which of its keys hold secrets. */
function programConfig(dir: string, options: EvaluateOptions): { project: string; stack: string; config: Record<string, string>; secretKeys: string[] } {
  const stack = options.stack ?? "plan";
  const fromFiles = projectConfig(dir, stack);
  const project = options.project ?? fromFiles.project ?? "floe-plan";
  const config = withConnectionPlaceholders({ ...fromFiles.config, ...configFromEnv(), ...(options.config ?? {}) });
  const marked = secretKeysFromEnv();
  const secretKeys = Object.keys(config).filter((k) => config[k] === REDACTED || marked.includes(k));
  return { project, stack, config, secretKeys };
}

/** `PULUMI_CONFIG_SECRET_KEYS`: the JSON list of config keys Pulumi's language host marks secret. */
function secretKeysFromEnv(): string[] {
  const text = process.env.PULUMI_CONFIG_SECRET_KEYS;
  if (text === undefined || text.trim() === "") return [];
  try {
    const data = JSON.parse(text) as unknown;
    return Array.isArray(data) ? data.filter((k): k is string => typeof k === "string") : [];
  } catch {
    return [];
  }
}

/**
 * Evaluates `programFile` under Pulumi mocks, in a child process, and returns what it
 * registered. Throws FloeError naming --program when the program throws, rejects, exits, is
 * killed or does not settle within the timeout; the message carries the program's own error
 * (or its last output) and its exit, redacted.
 *
 * ```ts
 * const program = await evaluateProgram("index.ts");
 * program.resources.map((r) => `${r.type} ${r.name}`);
 * // ["snowflake:index/grantApplicationRole:GrantApplicationRole app-admin", ...]
 * ```
 */
export async function evaluateProgram(programFile: string, options: EvaluateOptions = {}): Promise<ProgramSnapshot> {
  const file = path.resolve(programFile);
  const shown = path.relative(process.cwd(), file) || file;
  if (!fs.existsSync(file)) throw new FloeError(`--program: ${programFile} does not exist.`);
  const dir = path.dirname(file);
  const { project, stack, config, secretKeys } = programConfig(dir, options);
  const configSecrets = [...credentialConfigValues(config, secretKeys)].filter((v) => v !== REDACTED);
  rememberSecrets(configSecrets);
  const secrets = () => [...configSecrets, ...knownSecrets()];
  const request: WorkerRequest = {
    file,
    shown,
    project,
    stack,
    config,
    secretKeys,
    secrets: secrets(),
    timeoutMs: options.timeoutMs ?? 60_000,
    root: options.root ?? dir,
    cwd: process.cwd(),
  };
  const output = options.output ?? process.stderr;

  return new Promise<ProgramSnapshot>((resolve, reject) => {
    const child = takeWorker(request);
    // The program's output is kept whole and redacted once the worker answers: a secret with a
    // newline in it spans two lines (and may span two chunks), so neither can be redacted alone.
    let printed = "";
    const collect = (chunk: Buffer) => {
      printed += chunk.toString("utf8");
    };
    child.stdout?.on("data", collect);
    child.stderr?.on("data", collect);
    let settled = false;
    let flushed: string | undefined;
    /** Writes what the program printed (redacted), once, and returns it. */
    const flush = (): string => {
      if (flushed === undefined) {
        flushed = redactText(printed, secrets());
        if (flushed !== "") output.write(flushed.endsWith("\n") ? flushed : flushed + "\n");
      }
      return flushed;
    };
    const lastOutput = () => {
      const lines = flush().split("\n").filter((l) => l.trim() !== "").slice(-TAIL_LINES);
      return lines.length === 0 ? " It printed nothing." : ` Its last output:\n${lines.map((l) => `  ${l}`).join("\n")}`;
    };
    const onMessage = (reply: WorkerReply) => {
      if (reply.kind === "started") {
        // The program's time limit runs from here, not from the worker's start.
        clearTimeout(killer);
        killer = setTimeout(() => {
          finish(new FloeError(`--program: ${shown} did not finish registering its resources within ${request.timeoutMs / 1000} s, and did not stop when asked; floe killed it.${lastOutput()}`));
        }, request.timeoutMs + KILL_GRACE_MS);
        return;
      }
      if (reply.kind === "done") {
        finish(undefined, reply.snapshot);
        return;
      }
      // The worker exits after a failure: wait for it (and the last of its output), briefly.
      const failure = () => new FloeError(redactText(reply.message, secrets()) + (/did not finish|process\.exit/.test(reply.message) ? lastOutput() : ""));
      child.off("exit", onExit);
      const fallback = setTimeout(() => finish(failure()), 2_000);
      child.once("close", () => {
        clearTimeout(fallback);
        finish(failure());
      });
    };
    const onError = (e: Error) => finish(new FloeError(`--program: ${shown} could not be evaluated: floe could not start its worker: ${e.message}`));
    const onExit = (code: number | null, signal: NodeJS.Signals | null) => {
      // Let buffered output and a last message arrive before deciding the program said nothing.
      setImmediate(() => {
        const how = signal !== null ? `was killed by ${signal}` : `exited with code ${code}`;
        finish(new FloeError(`--program: ${shown} ${how} before it finished registering its resources, without reporting an error (process.exit, process.kill or a crash).${lastOutput()}`));
      });
    };
    const onAbort = () => finish(new FloeError(`--program: ${shown}: the evaluation was stopped.`));
    let killer = setTimeout(() => {
      finish(new FloeError(`--program: ${shown} could not be evaluated: floe's worker process did not start within ${START_LIMIT_MS / 1000} s.${lastOutput()}`));
    }, START_LIMIT_MS);
    function finish(error: FloeError | undefined, snapshot?: ProgramSnapshot): void {
      if (settled) return;
      settled = true;
      clearTimeout(killer);
      options.signal?.removeEventListener("abort", onAbort);
      child.stdout?.off("data", collect);
      child.stderr?.off("data", collect);
      flush();
      child.off("message", onMessage);
      child.off("error", onError);
      child.off("exit", onExit);
      // A worker whose program failed may hold anything (timers, half-run code): it is not reused.
      if (error === undefined) releaseWorker(child);
      else if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
      if (error !== undefined) reject(error);
      else resolve(redactValue(snapshot as ProgramSnapshot, secrets()));
    }
    child.on("message", onMessage);
    child.on("error", onError);
    child.on("exit", onExit);
    if (options.signal?.aborted === true) onAbort();
    options.signal?.addEventListener("abort", onAbort, { once: true });
    if (!settled) child.send(request);
  });
}

/**
 * A worker left from an evaluation that succeeded. Starting one costs a Node process that loads
 * tsx and Pulumi (a second or two); a plan evaluates one program, but tests and the benchmark
 * evaluate many in one process, one after the other, as floe did in-process before.
 */
let idleWorker: ChildProcess | undefined;

function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null && child.connected;
}

function takeWorker(request: WorkerRequest): ChildProcess {
  const idle = idleWorker;
  idleWorker = undefined;
  if (idle !== undefined && alive(idle) && idle.spawnargs.includes(request.cwd)) {
    idle.ref();
    idle.channel?.ref();
    (idle.stdout as { ref?: () => void } | null)?.ref?.();
    (idle.stderr as { ref?: () => void } | null)?.ref?.();
    return idle;
  }
  if (idle !== undefined && alive(idle)) idle.kill();
  return fork(WORKER, [request.cwd], {
    execArgv: ["--require", require.resolve("tsx/cjs")],
    stdio: ["ignore", "pipe", "pipe", "ipc"],
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
    cwd: request.cwd,
    serialization: "advanced",
  });
}

/** Keeps a healthy worker for the next evaluation without keeping this process alive for it. */
function releaseWorker(child: ChildProcess): void {
  if (!alive(child)) return;
  if (idleWorker !== undefined && alive(idleWorker)) idleWorker.kill();
  idleWorker = child;
  child.unref();
  child.channel?.unref();
  (child.stdout as { unref?: () => void } | null)?.unref?.();
  (child.stderr as { unref?: () => void } | null)?.unref?.();
}

/**
 * The evaluation itself, in the worker process: loads the program under mocks and records
 * what it registers. Failures are thrown as FloeError with the program's own message.
 * @internal
 */
export async function evaluateInThisProcess(request: WorkerRequest): Promise<ProgramSnapshot> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pulumi = require("@pulumi/pulumi") as typeof PulumiModule;
  const { file, shown, project, stack, config } = request;

  const calls: RecordedCall[] = [];
  // The request being registered: the mock monitor calls newResource synchronously from its
  // registerResource, so the wrapper below can hand the request's parent to the mocks this way.
  let current: RecordedCall | undefined;
  await pulumi.runtime.setMocks(
    {
      newResource(args) {
        const call: RecordedCall = current ?? { type: args.type, name: args.name, custom: args.custom ?? true, inputs: {}, parentUrn: "" };
        current = undefined;
        call.inputs = (args.inputs ?? {}) as Record<string, unknown>;
        calls.push(call);
        return { id: `${args.name}-id`, state: args.inputs };
      },
      call(args) {
        return args.inputs;
      },
    },
    project,
    stack,
    false,
  );
  // The mocks' arguments lack the parent and the URN; the monitor's request and response have
  // them. Wrap the monitor (a fresh one per setMocks) to see both.
  const monitor = pulumi.runtime.getMonitor() as unknown as MonitorLike | undefined;
  if (monitor?.registerResource !== undefined) {
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, callback) => {
      const call: RecordedCall = { type: req.getType(), name: req.getName(), custom: req.getCustom(), inputs: {}, parentUrn: req.getParent() };
      current = call;
      try {
        return original(req, (err, res) => {
          if ((err === null || err === undefined) && res !== undefined) call.urn = res.getUrn();
          callback(err, res);
        });
      } finally {
        current = undefined;
      }
    };
  }
  pulumi.runtime.setAllConfig({ ...config }, [...request.secretKeys]);

  // The first failure anywhere — an exception or a rejection nobody awaits (a failed Output
  // rejects several) — is the program's error: report it at once rather than wait for a
  // timeout that would hide it.
  let failWith: (reason: unknown) => void = () => undefined;
  const failed = new Promise<never>((_, reject) => {
    failWith = reject;
  });
  const onFailure = (reason: unknown) => failWith(reason);
  process.on("unhandledRejection", onFailure);
  process.on("uncaughtException", onFailure);
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), request.timeoutMs);
  });
  // The report goes to stdout (JSON or Markdown a bot parses): what the program prints goes to stderr.
  console.log = console.info = (...args: unknown[]) => console.error(...args);
  try {
    const outcome = await Promise.race([runProgram(pulumi, file, calls).then(() => "done" as const), timedOut, failed]);
    if (outcome === "timeout") {
      const pending = calls.filter((c) => c.urn === undefined && c.type !== STACK_TYPE).length;
      throw new FloeError(
        `--program: ${shown} did not finish registering its resources within ${request.timeoutMs / 1000} s` +
          ` (${calls.length} registered${pending > 0 ? `, ${pending} still waiting for an answer` : ""}): something it awaits never settles.`,
      );
    }
  } catch (e) {
    if (e instanceof FloeError) throw e;
    // Whatever the program threw (a FloeError of floe's components included) is reported as the
    // program's failure, so the message says which argument led there.
    const message = e instanceof Error ? e.message : String(e);
    throw new FloeError(`--program: ${shown} failed under Pulumi mocks: ${message}`);
  } finally {
    clearTimeout(timer);
    process.off("unhandledRejection", onFailure);
    process.off("uncaughtException", onFailure);
  }

  const resources = calls
    .filter((c) => c.type !== STACK_TYPE)
    .map((c): ProgramResource => {
      const inputs = { ...c.inputs };
      const provider = inputs[PROVIDER_INPUT];
      delete inputs[PROVIDER_INPUT];
      const parent = c.parentUrn === "" ? null : keyOfUrn(c.parentUrn);
      return {
        key: c.urn !== undefined ? keyOfUrn(c.urn) : `${c.type}::${c.name}`,
        type: c.type,
        name: c.name,
        parent: parent === null || parent.startsWith(`${STACK_TYPE}::`) ? null : parent,
        custom: c.custom,
        // Redacted before anything formats them: by Pulumi's secret marks and credential names,
        // then by the credential values of the config.
        inputs: sortKeys(redactValue(redact(inputs), request.secrets)),
        ...(typeof provider === "string" ? { providerHash: shortHash(provider) } : {}),
      };
    })
    .sort((a, b) => compareText(a.key, b.key));
  return { file: path.relative(request.root, file).split(path.sep).join("/"), resources };
}

/** Loads the program, awaits what it exports, then waits until no registration is in flight. */
async function runProgram(pulumi: typeof PulumiModule, file: string, calls: RecordedCall[]): Promise<void> {
  ensureTypeScriptRequire();
  // A second evaluation in the same process must run the program's top level again.
  delete require.cache[file];
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the user's program, known only at run time
  let exported: unknown = require(file);
  const main = (exported as { default?: unknown })?.default ?? exported;
  // A program may export a function (Pulumi runs `export = async () => {...}`).
  if (typeof main === "function") exported = await (main as () => unknown)();
  await awaitOutputs(pulumi, exported);
  await settle(pulumi, calls);
}

/**
 * Resolves when every Output the program exports has resolved, and rejects when one fails. The
 * mocks run as an update, not a preview, so every value is known and `apply` callbacks run.
 */
async function awaitOutputs(pulumi: typeof PulumiModule, exported: unknown): Promise<void> {
  const values = exported !== null && typeof exported === "object" ? Object.values(exported as object) : [exported];
  const outputs = values.filter((v) => pulumi.Output.isInstance(v)) as PulumiModule.Output<unknown>[];
  await Promise.all(
    outputs.map((o) => {
      // `promise()` is how Pulumi's own tests read an Output; it rejects when the Output failed.
      const promised = (o as unknown as { promise?: () => Promise<unknown> }).promise;
      return promised !== undefined ? promised.call(o) : new Promise<void>((resolve) => o.apply(() => resolve()));
    }),
  );
}

/**
 * Registration is asynchronous: resources created inside `apply` or by a component after an
 * await arrive later. Wait for Pulumi's RPC queue to drain and for the record to stop growing.
 */
async function settle(pulumi: typeof PulumiModule, calls: RecordedCall[]): Promise<void> {
  const waitForRPCs = (pulumi.runtime as unknown as { waitForRPCs?: () => Promise<void> }).waitForRPCs;
  let stable = 0;
  let seen = -1;
  while (stable < 3) {
    if (waitForRPCs !== undefined) await waitForRPCs();
    await new Promise((r) => setImmediate(r));
    if (calls.length === seen) stable++;
    else {
      stable = 0;
      seen = calls.length;
    }
  }
}
