/**
 * `floe init [dir]`: scaffolds a connector repository — connector.ts, typed hooks, the Pulumi
 * program and project, a strict tsconfig, .gitignore, a GitHub Actions workflow that posts
 * `floe plan` on pull requests, a README, and package.json with floe and pinned Pulumi versions.
 *
 * It never overwrites a file. A directory is accepted when it is empty or holds only what
 * `npm install <floe>` and `git init` leave (package.json, package-lock.json, node_modules,
 * .git): package.json is then completed (entries it lacks are added, none is changed). Any
 * other content is refused unless --force, and with --force every existing file is kept and
 * listed as kept. Everything is read and checked before the first file is written.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { FloeError } from "../errors";
import { FLOE_ROOT, floeVersion } from "../generators/floe-root";
import { pc } from "./common";

export interface InitOptions {
  /** Add the scaffold to a directory that holds other files (existing files are kept). */
  readonly force?: boolean;
  /** The connector's name (an identifier); default from the directory's name. */
  readonly name?: string;
  /** How package.json depends on floe (a version range, `file:`/git spec, or a path to a tarball or checkout). */
  readonly floe?: string;
}

/** The scaffold: where each file goes; its template in templates/init/ has the same path without a leading dot. */
const TARGETS: readonly string[] = [
  "connector.ts",
  "hooks/resume.ts",
  "hooks/flow.ts",
  "index.ts",
  "Pulumi.yaml",
  "tsconfig.json",
  ".gitignore",
  ".github/workflows/floe-plan.yml",
  "README.md",
];
// npm leaves files named .gitignore out of packages, and a template directory should not act as
// a repository's own .github: both are stored without their dot.
const FILES = TARGETS.map((target) => ({ target, template: target.replace(/^\./, "") }));

/** What `npm install <floe>` and `git init` leave in a directory: init still counts it as new. */
// What `npm install floe` and git leave in a folder before the scaffold is written, and floe's
// own cache (a floe command run there, or the install's Pulumi CLI build, makes it): none of it
// is the user's work that --force would be needed to protect.
const NPM_AND_GIT = new Set(["package.json", "package-lock.json", "node_modules", ".git", ".floe-cache"]);

/** The names the templates carry, replaced by the project's own. */
const TEMPLATE_CONNECTOR = "MY_CONNECTOR";
const TEMPLATE_PROJECT = "my-connector";

const TEMPLATES_DIR = path.join(FLOE_ROOT, "templates", "init");

type PackageJson = Record<string, unknown> & {
  name?: unknown;
  scripts?: Record<string, string>;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
};

/** `my connector.v2` → `MY_CONNECTOR_V2`: a Snowflake identifier for the application. */
export function connectorNameOf(directoryName: string): string {
  const name = directoryName
    .toUpperCase()
    .replace(/[^A-Z0-9_]+/g, "_")
    .replace(/^_+|_+$/g, "");
  if (name === "") return "CONNECTOR";
  return /^[A-Z_]/.test(name) ? name : `C_${name}`;
}

/** `My Connector` → `my-connector`: an npm package and Pulumi project name. */
export function projectNameOf(directoryName: string): string {
  const name = directoryName
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, "-")
    .replace(/^[-._]+|[-._]+$/g, "");
  return name === "" ? "connector" : name;
}

function readJson(file: string): PackageJson {
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, "utf8"));
  } catch (e) {
    throw new FloeError(`${file} is not valid JSON (${(e as Error).message}); fix or remove it and run floe init again. Nothing was written.`);
  }
  if (data === null || typeof data !== "object" || Array.isArray(data)) throw new FloeError(`${file} must hold a JSON object. Nothing was written.`);
  return data as PackageJson;
}

/** floe's own package.json: the versions the scaffold pins are the ones floe is built and tested with. */
function ownPackage(): PackageJson {
  return readJson(path.join(FLOE_ROOT, "package.json"));
}

/** How the scaffold's package.json depends on floe, when it does not already. */
function floeSpec(option: string | undefined, dir: string): string {
  if (option === undefined) return `^${floeVersion()}`;
  if (option.trim() === "") throw new FloeError("--floe must not be empty: give a version range, a file: or git spec, or a path to a floe tarball.");
  // A path to a tarball or a checkout becomes a file: spec relative to the new package.json.
  if (!/^[a-z+]+:/i.test(option) && fs.existsSync(option)) {
    const relative = path.relative(dir, path.resolve(option)).split(path.sep).join("/");
    return `file:${relative.startsWith(".") ? relative : `./${relative}`}`;
  }
  return option;
}

interface PackagePlan {
  readonly text: string;
  readonly created: boolean;
  /** What was added, e.g. `dependencies.@pulumi/pulumi 3.248.0`. */
  readonly added: readonly string[];
  /** Entries the user already had, kept at their value although floe would pin another. */
  readonly kept: readonly string[];
}

/** The package.json to write: the user's own completed, or a new one. */
function planPackage(dir: string, projectName: string, options: InitOptions): PackagePlan {
  const file = path.join(dir, "package.json");
  const created = !fs.existsSync(file);
  const pkg: PackageJson = created ? {} : readJson(file);
  const own = ownPackage();
  const pinned = (section: "dependencies" | "devDependencies", name: string): string => {
    const version = own[section]?.[name] ?? own.peerDependencies?.[name];
    if (version === undefined) throw new FloeError(`floe's package.json has no version of ${name}: the floe installation is incomplete.`);
    return version;
  };
  const added: string[] = [];
  const kept: string[] = [];
  const has = (name: string) => [pkg.dependencies, pkg.devDependencies, pkg.peerDependencies].find((deps) => deps?.[name] !== undefined)?.[name];

  const field = (key: string, value: unknown) => {
    if (pkg[key] !== undefined) return;
    pkg[key] = value;
    added.push(key);
  };
  field("name", projectName);
  field("version", "0.1.0");
  // A connector repository is deployed, not published.
  field("private", true);

  const scripts: [string, string][] = [
    ["render", "floe render"],
    ["simulate", "floe simulate resume"],
    ["plan", "floe plan --base main"],
    ["typecheck", "tsc --noEmit -p ."],
  ];
  for (const [name, command] of scripts) {
    pkg.scripts ??= {};
    if (pkg.scripts[name] !== undefined) continue;
    pkg.scripts[name] = command;
    added.push(`scripts.${name}`);
  }

  const wanted: ["dependencies" | "devDependencies", string, string][] = [
    ["dependencies", "floe", has("floe") ?? floeSpec(options.floe, dir)],
    // floe's peers, at the versions floe is tested with: one Pulumi runtime in the program.
    ["dependencies", "@pulumi/pulumi", pinned("devDependencies", "@pulumi/pulumi")],
    ["dependencies", "@pulumi/snowflake", pinned("devDependencies", "@pulumi/snowflake")],
    // Pulumi.yaml preloads tsx/cjs: it must resolve from the project itself.
    ["dependencies", "tsx", pinned("dependencies", "tsx")],
    ["devDependencies", "typescript", pinned("devDependencies", "typescript")],
    ["devDependencies", "@types/node", pinned("devDependencies", "@types/node")],
  ];
  for (const [section, name, version] of wanted) {
    const existing = has(name);
    if (existing !== undefined) {
      if (name !== "floe" && existing !== version) kept.push(`${name} ${existing} (floe is tested with ${version})`);
      continue;
    }
    pkg[section] ??= {};
    const deps = pkg[section] as Record<string, string>;
    deps[name] = version;
    pkg[section] = Object.fromEntries(Object.entries(deps).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    added.push(`${section}.${name} ${version}`);
  }
  // npm's own order for the fields init adds; the user's other fields follow in their order.
  const FIRST = ["name", "version", "private", "description"];
  const LAST = ["scripts", "dependencies", "devDependencies"];
  const ordered = Object.fromEntries([
    ...FIRST.filter((key) => key in pkg).map((key) => [key, pkg[key]]),
    ...Object.entries(pkg).filter(([key]) => !FIRST.includes(key) && !LAST.includes(key)),
    ...LAST.filter((key) => key in pkg).map((key) => [key, pkg[key]]),
  ]);
  return { text: JSON.stringify(ordered, null, 2) + "\n", created, added, kept };
}

/** A path inside `dir` that is in the way of a file to write (a file where a directory must go). */
function blocker(dir: string, target: string): string | undefined {
  const parts = target.split("/");
  for (let i = 1; i < parts.length; i++) {
    const parent = path.join(dir, ...parts.slice(0, i));
    if (fs.existsSync(parent) && !fs.statSync(parent).isDirectory()) return parts.slice(0, i).join("/");
  }
  return undefined;
}

export async function initCommand(dirArgument: string | undefined, options: InitOptions, out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const dir = path.resolve(dirArgument ?? ".");
  const shown = path.relative(process.cwd(), dir) || ".";
  if (fs.existsSync(dir) && !fs.statSync(dir).isDirectory()) throw new FloeError(`${shown} exists and is not a directory.`);
  if (!fs.existsSync(TEMPLATES_DIR)) throw new FloeError(`floe's templates are missing (${TEMPLATES_DIR}): the floe installation is incomplete.`);

  const connectorName = options.name ?? connectorNameOf(path.basename(dir));
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(connectorName)) {
    throw new FloeError(`--name must be an identifier (letters, digits and _, not starting with a digit), got ${JSON.stringify(connectorName)}.`);
  }
  const projectName = projectNameOf(path.basename(dir));

  const present = fs.existsSync(dir) ? fs.readdirSync(dir) : [];
  const foreign = present.filter((entry) => !NPM_AND_GIT.has(entry)).sort();
  if (foreign.length > 0 && options.force !== true) {
    const listed = foreign.slice(0, 5).join(", ") + (foreign.length > 5 ? `, and ${foreign.length - 5} more` : "");
    throw new FloeError(
      `${shown} is not empty (it holds ${listed}). floe init scaffolds a new connector repository: run it in a new or empty directory, ` +
        `or pass --force to add the scaffold's files next to what is there (existing files are kept, never overwritten).`,
    );
  }

  // Everything is read and checked before anything is written.
  const writes: { target: string; text: string }[] = [];
  const keptFiles: string[] = [];
  for (const { target, template } of FILES) {
    const destination = path.join(dir, ...target.split("/"));
    const blocked = blocker(dir, target);
    if (blocked !== undefined) throw new FloeError(`${path.join(shown, blocked)} is a file, but floe init needs a directory there for ${target}. Nothing was written.`);
    if (fs.existsSync(destination) || isSymlink(destination)) {
      keptFiles.push(target);
      continue;
    }
    const text = fs
      .readFileSync(path.join(TEMPLATES_DIR, ...template.split("/")), "utf8")
      .split(TEMPLATE_CONNECTOR)
      .join(connectorName)
      .split(TEMPLATE_PROJECT)
      .join(projectName);
    writes.push({ target, text });
  }
  const pkg = planPackage(dir, projectName, options);

  fs.mkdirSync(dir, { recursive: true });
  for (const { target, text } of writes) {
    const destination = path.join(dir, ...target.split("/"));
    fs.mkdirSync(path.dirname(destination), { recursive: true });
    // "wx": a file that appeared since the check is not overwritten either.
    fs.writeFileSync(destination, text, { flag: "wx" });
  }
  if (pkg.created || pkg.added.length > 0) fs.writeFileSync(path.join(dir, "package.json"), pkg.text);

  out.write(`${pc.bold(connectorName)} scaffolded in ${shown}\n`);
  for (const { target } of writes) out.write(`  ${pc.green("created")}  ${target}\n`);
  if (pkg.created) out.write(`  ${pc.green("created")}  package.json\n`);
  else if (pkg.added.length > 0) out.write(`  ${pc.cyan("updated")}  package.json: added ${pkg.added.join(", ")}\n`);
  for (const target of keptFiles) out.write(`  ${pc.yellow("kept")}     ${target} (it exists; not overwritten)\n`);
  for (const entry of pkg.kept) out.write(`  ${pc.yellow("kept")}     package.json: ${entry}\n`);
  out.write("\nNext:\n");
  if (shown !== ".") out.write(`  cd ${shown}\n`);
  out.write("  npm install\n  npx floe render\n  npx floe simulate resume\n");
  return 0;
}

function isSymlink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}
