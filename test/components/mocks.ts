/**
 * Pulumi under mocks, recording every registered resource with what the engine would see:
 * type, name, URN, parent, inputs (secret ones flagged), dependencies, and the resource options
 * that matter here (deletedWith, replaceWith, deleteBeforeReplace, additionalSecretOutputs).
 * The mock monitor itself passes only type, name and inputs to `newResource`; the rest is read
 * from the RegisterResourceRequest by wrapping the monitor.
 */
import * as pulumi from "@pulumi/pulumi";
import { statements } from "../../snowflake/statements";

export interface Registration {
  readonly type: string;
  readonly name: string;
  urn: string;
  readonly parent: string;
  readonly custom: boolean;
  /** Inputs with secrets unwrapped. */
  readonly inputs: Record<string, unknown>;
  /** Top-level inputs that were sent as secrets. */
  readonly secretInputs: readonly string[];
  readonly dependencies: readonly string[];
  readonly deletedWith: string;
  readonly replaceWith: readonly string[];
  readonly deleteBeforeReplace: boolean;
  readonly additionalSecretOutputs: readonly string[];
  readonly provider: string;
}

export interface MockSession {
  readonly registrations: Registration[];
  /** Waits until every registration has been answered and no new one arrives. */
  settle(): Promise<void>;
  byName(name: string): Registration;
  byType(type: string): Registration[];
}

export interface MockOptions {
  readonly config?: Record<string, string>;
  readonly secretKeys?: readonly string[];
  readonly preview?: boolean;
  /** The patch number the mocked PackageVersion reports. Default 0. */
  readonly patch?: number;
}

const SIG = pulumi.runtime.specialSigKey;
const SECRET = pulumi.runtime.specialSecretSig;

function isSecret(value: unknown): boolean {
  return value !== null && typeof value === "object" && (value as Record<string, unknown>)[SIG] === SECRET;
}

function unwrapSecrets(value: unknown): unknown {
  if (isSecret(value)) return unwrapSecrets((value as { value: unknown }).value);
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value !== null && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapSecrets(v)]));
  return value;
}

/** What the mocked providers report beyond the inputs. */
function computed(type: string, inputs: Record<string, unknown>, options: MockOptions): Record<string, unknown> {
  if (type.endsWith("floe:ApplicationPackage")) return { location: statements.stageLocation(String(inputs.name)) };
  if (type.endsWith("floe:PackageVersion")) return { patch: options.patch ?? 0 };
  if (type.endsWith("floe:StageFile")) return { size: Buffer.byteLength(String(inputs.content), "utf8") };
  return {};
}

export function installMocks(options: MockOptions = {}): MockSession {
  const registrations: Registration[] = [];
  let pending = 0;
  pulumi.runtime.setAllConfig(options.config ?? {}, [...(options.secretKeys ?? [])]);
  pulumi.runtime.setMocks(
    {
      newResource(args) {
        const inputs = args.inputs as Record<string, unknown>;
        return { id: args.custom ? `${args.name}-id` : "", state: { ...inputs, ...computed(args.type, unwrapSecrets(inputs) as Record<string, unknown>, options) } };
      },
      call(args) {
        return args.inputs;
      },
    },
    "floe",
    "test",
    options.preview ?? false,
  );
  const monitor = pulumi.runtime.getMonitor() as unknown as {
    registerResource(req: unknown, callback: (err: unknown, resp: unknown) => void): void;
  };
  const original = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback) => {
    const raw = req.getObject()?.toJavaScript() ?? {};
    const registration: Registration = {
      type: req.getType(),
      name: req.getName(),
      urn: "",
      parent: req.getParent(),
      custom: req.getCustom(),
      inputs: unwrapSecrets(raw) as Record<string, unknown>,
      secretInputs: Object.keys(raw).filter((k) => isSecret(raw[k])),
      dependencies: req.getDependenciesList(),
      deletedWith: req.getDeletedwith(),
      replaceWith: req.getReplaceWithList(),
      deleteBeforeReplace: req.getDeletebeforereplace(),
      additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
      provider: req.getProvider(),
    };
    registrations.push(registration);
    pending++;
    original(req, (err, resp: any) => {
      pending--;
      if (!err && resp) registration.urn = resp.getUrn();
      callback(err, resp);
    });
  };
  const session: MockSession = {
    registrations,
    async settle() {
      let stable = 0;
      let seen = -1;
      for (let i = 0; i < 2000 && stable < 5; i++) {
        await new Promise((r) => setTimeout(r, 5));
        if (pending === 0 && registrations.length === seen) stable++;
        else stable = 0;
        seen = registrations.length;
      }
    },
    byName(name) {
      const found = registrations.filter((r) => r.name === name);
      if (found.length !== 1) throw new Error(`expected one resource named ${name}, found ${found.length}: ${registrations.map((r) => r.name).join(", ")}`);
      return found[0];
    },
    byType(type) {
      return registrations.filter((r) => r.type === type);
    },
  };
  return session;
}

/** The value of an output (mocks run as an update, so apply fires). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => output.apply((v) => resolve(v)));
}

export const TYPES = {
  component: "floe:connector:ConnectorApp",
  package: "pulumi-nodejs:dynamic/floe:ApplicationPackage",
  file: "pulumi-nodejs:dynamic/floe:StageFile",
  version: "pulumi-nodejs:dynamic/floe:PackageVersion",
  application: "pulumi-nodejs:dynamic/floe:Application",
  privilege: "pulumi-nodejs:dynamic/floe:ApplicationPrivilege",
  roleGrant: "pulumi-nodejs:dynamic/floe:ApplicationRoleGrant",
  snowflakeProvider: "pulumi:providers:snowflake",
  accountRole: "snowflake:index/accountRole:AccountRole",
  warehouse: "snowflake:index/warehouse:Warehouse",
} as const;
