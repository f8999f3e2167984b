/**
 * Evaluates a Pulumi program in-process under `pulumi.runtime.setMocks` and records every
 * resource it registers: type, name, parent and inputs. No Pulumi CLI, engine or credentials
 * are involved; the mocks answer each registration with the inputs as outputs, so the program
 * runs to the end as it would in `pulumi preview`, minus the provider calls.
 *
 * What the recording leaves out, and why:
 * - secret inputs become "[secret]": a plan is posted to a pull request;
 * - a dynamic resource's `__provider` input is the serialized provider code, not desired state
 *   (it changes whenever floe's own code does); only a short hash of it is kept.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { parse as parseYaml } from "yaml";
import { FloeError } from "../errors";
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
const SENSITIVE_NAME = /password|passphrase|privatekey|private_key|secret|token|apikey|api_key|credential/i;

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
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  if (require.extensions[".ts"] !== undefined) return;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
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

/** Only one program can run under the mocks at a time: Pulumi's runtime state is process-global. */
let running: Promise<unknown> = Promise.resolve();

/**
 * Loads `programFile` under Pulumi mocks and returns what it registered. Throws FloeError when
 * the program throws, rejects, or does not settle within the timeout.
 *
 * ```ts
 * const program = await evaluateProgram("index.ts");
 * program.resources.map((r) => `${r.type} ${r.name}`);
 * // ["snowflake:index/grantApplicationRole:GrantApplicationRole app-admin", ...]
 * ```
 */
export function evaluateProgram(programFile: string, options: EvaluateOptions = {}): Promise<ProgramSnapshot> {
  const next = running.then(
    () => evaluateNow(programFile, options),
    () => evaluateNow(programFile, options),
  );
  running = next.catch(() => undefined);
  return next;
}

async function evaluateNow(programFile: string, options: EvaluateOptions): Promise<ProgramSnapshot> {
  const file = path.resolve(programFile);
  const shown = path.relative(process.cwd(), file) || file;
  if (!fs.existsSync(file)) throw new FloeError(`--program: ${programFile} does not exist.`);
  const dir = path.dirname(file);
  const stack = options.stack ?? "plan";
  const fromFiles = projectConfig(dir, stack);
  const project = options.project ?? fromFiles.project ?? "floe-plan";
  const config = withConnectionPlaceholders({ ...fromFiles.config, ...configFromEnv(), ...(options.config ?? {}) });

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
  pulumi.runtime.setAllConfig(config, Object.keys(config).filter((k) => config[k] === REDACTED));

  const failures: unknown[] = [];
  const onRejection = (reason: unknown) => failures.push(reason);
  process.on("unhandledRejection", onRejection);
  const timeoutMs = options.timeoutMs ?? 60_000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new FloeError(`--program: ${shown} did not finish registering its resources within ${timeoutMs / 1000} s.`);
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(timedOut), timeoutMs);
  });
  let failed = false;
  // The report goes to stdout (JSON or Markdown a bot parses): what the program prints, and what
  // pulumi.log prints without an engine, goes to stderr instead.
  const { log, info } = console;
  console.log = console.info = (...args: unknown[]) => console.error(...args);
  try {
    await Promise.race([runProgram(file, calls), timeout]);
    if (failures.length > 0) throw failures[0];
  } catch (e) {
    failed = true;
    if (e === timedOut) throw e;
    // Whatever the program threw (a FloeError of floe's components included) is reported as the
    // program's failure, so the message says which argument led there.
    const message = e instanceof Error ? e.message : String(e);
    throw new FloeError(`--program: ${shown} failed under Pulumi mocks: ${message}`);
  } finally {
    console.log = log;
    console.info = info;
    clearTimeout(timer);
    // A failed Output rejects several internal promises that nobody awaits; they surface a few
    // ticks after the failure. Keep absorbing them briefly so the user sees one clear error
    // rather than a crash with Pulumi's stack.
    if (failed) setTimeout(() => process.off("unhandledRejection", onRejection), 250).unref();
    else process.off("unhandledRejection", onRejection);
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
        inputs: sortKeys(redact(inputs)),
        ...(typeof provider === "string" ? { providerHash: shortHash(provider) } : {}),
      };
    })
    .sort((a, b) => compareText(a.key, b.key));
  return { file: path.relative(options.root ?? dir, file).split(path.sep).join("/"), resources };
}

/** Loads the program, awaits what it exports, then waits until no registration is in flight. */
async function runProgram(file: string, calls: RecordedCall[]): Promise<void> {
  ensureTypeScriptRequire();
  // A second evaluation in the same process must run the program's top level again.
  delete require.cache[file];
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  let exported: unknown = require(file);
  const main = (exported as { default?: unknown })?.default ?? exported;
  // A program may export a function (Pulumi runs `export = async () => {...}`).
  if (typeof main === "function") exported = await (main as () => unknown)();
  await awaitOutputs(exported);
  await settle(calls);
}

/**
 * Resolves when every Output the program exports has resolved, and rejects when one fails. The
 * mocks run as an update, not a preview, so every value is known and `apply` callbacks run.
 */
async function awaitOutputs(exported: unknown): Promise<void> {
  const values = exported !== null && typeof exported === "object" ? Object.values(exported as object) : [exported];
  const outputs = values.filter((v) => pulumi.Output.isInstance(v)) as pulumi.Output<unknown>[];
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
async function settle(calls: RecordedCall[]): Promise<void> {
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
