/**
 * Finding a Pulumi CLI for the tests that run the real engine: a `pulumi` on PATH first (a
 * user's own installation, with its own language host), else the one scripts/install-pulumi
 * builds into .floe-cache/pulumi/v<version>/bin for the @pulumi/pulumi in node_modules, else
 * none (those tests then show as skipped).
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

export interface PulumiCli {
  /** The `pulumi` executable. */
  readonly pulumi: string;
  /** Its directory: put it first on PATH so that the engine finds the language host beside it. */
  readonly binDir: string;
  readonly source: "PATH" | "cache";
  /** `v3.248.0` */
  readonly version: string;
}

/** The version of @pulumi/pulumi that the repository (or `root`) has installed. */
export function sdkVersion(root = REPO_ROOT): string {
  return (JSON.parse(fs.readFileSync(path.join(root, "node_modules", "@pulumi", "pulumi", "package.json"), "utf8")) as { version: string }).version;
}

/** Where scripts/install-pulumi puts its build for the installed @pulumi/pulumi. */
export function cacheBinDir(root = REPO_ROOT): string {
  return path.join(root, ".floe-cache", "pulumi", `v${sdkVersion(root)}`, "bin");
}

function versionOf(pulumi: string): string | undefined {
  const run = spawnSync(pulumi, ["version"], { encoding: "utf8", env: { ...process.env, PULUMI_SKIP_UPDATE_CHECK: "true" }, timeout: 30_000 });
  return run.status === 0 ? run.stdout.trim() : undefined;
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? "").split(path.delimiter)) {
    if (dir === "") continue;
    const candidate = path.join(dir, name);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

/** A `pulumi` on PATH, else the cache build, else null. */
export function findPulumi(root = REPO_ROOT): PulumiCli | null {
  const fromPath = onPath("pulumi");
  if (fromPath !== undefined) {
    const version = versionOf(fromPath);
    if (version !== undefined) return { pulumi: fromPath, binDir: path.dirname(fromPath), source: "PATH", version };
  }
  const bin = cacheBinDir(root);
  const cached = path.join(bin, "pulumi");
  const complete = ["pulumi", "pulumi-language-nodejs", "pulumi-resource-pulumi-nodejs"].every((f) => fs.existsSync(path.join(bin, f)));
  if (complete) {
    const version = versionOf(cached);
    if (version !== undefined) return { pulumi: cached, binDir: bin, source: "cache", version };
  }
  return null;
}

/**
 * The environment for running the CLI in tests: the CLI's directory first on PATH, its home
 * (plugins, credentials) in `home`, no update check, and never a plugin download (this machine
 * cannot reach Pulumi's plugin servers, and a test must not depend on them).
 */
export function pulumiEnv(cli: PulumiCli, home: string, extra: Readonly<Record<string, string>> = {}): NodeJS.ProcessEnv {
  return {
    ...process.env,
    PATH: `${cli.binDir}${path.delimiter}${process.env.PATH ?? ""}`,
    PULUMI_HOME: home,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    PULUMI_AUTOMATION_API_SKIP_VERSION_CHECK: "true",
    NO_COLOR: "1",
    ...extra,
  };
}
