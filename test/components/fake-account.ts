/**
 * A fake Snowflake account for the providers' tests: it understands exactly the statement shapes
 * the facade writes (application packages, stages and PUT/LIST/REMOVE, versions and patches,
 * applications, grants to applications), keeps their state in plain objects, records every
 * statement, and refuses anything else with a syntax error, so that a changed statement shows up
 * as a failing test. Errors carry Snowflake's codes (002003, 002002, 003001) as the driver does.
 */
import * as fs from "node:fs";
import type { OpenRunner } from "../../components/providers";
import type { SnowflakeConnection } from "../../snowflake/driver";
import type { Row, SnowflakeRunner, SqlBind } from "../../snowflake/facade";

/** An error shaped like the driver's: message, code, sqlState. */
export class DriverLikeError extends Error {
  readonly code: string;
  readonly sqlState: string;
  constructor(code: string, sqlState: string, message: string) {
    super(message);
    this.code = code;
    this.sqlState = sqlState;
  }
}

const ID = String.raw`("(?:[^"]|"")+"|[A-Za-z_][A-Za-z0-9_$]*)`;
const STR = String.raw`'((?:[^'\\]|\\.)*)'`;

function ident(text: string): string {
  return text.startsWith('"') ? text.slice(1, -1).replace(/""/g, '"') : text.toUpperCase();
}

function str(text: string): string {
  return text.replace(/\\(.)/g, "$1");
}

const notFound = (what: string) => new DriverLikeError("002003", "02000", `SQL compilation error:\n${what} does not exist or not authorized.`);
const exists = (what: string) => new DriverLikeError("002002", "42710", `SQL compilation error:\nObject '${what}' already exists.`);

interface Package {
  comment: string;
  distribution: string;
  schemas: Set<string>;
  stages: Set<string>;
  /** version → patches, each a snapshot of the staged files (path → content). */
  versions: Map<string, Map<string, string>[]>;
}

interface App {
  pkg: string;
  version: string;
  patch: number;
}

export interface FakeAccountOptions {
  /** Whether ADD VERSION / ADD PATCH answer with the version and patch (Snowflake does). Default true. */
  readonly answersPatch?: boolean;
}

export class FakeAccount {
  readonly packages = new Map<string, Package>();
  /** Stage `PKG.SCHEMA.STAGE` → path within the stage → content. */
  readonly stages = new Map<string, Map<string, string>>();
  readonly applications = new Map<string, App>();
  /** `PRIVILEGE|APP` */
  readonly grants = new Set<string>();
  /** `APP.ROLE|ACCOUNT_ROLE` */
  readonly roleGrants = new Set<string>();
  /** Application → procedure signature (`PUBLIC.X(VARIANT)`) → its COMMENT; staged by tests. */
  readonly procedures = new Map<string, Map<string, string>>();
  /** Every statement run, in order. */
  readonly statements: string[] = [];
  readonly logins: SnowflakeConnection[] = [];
  closed = 0;
  private readonly failures: { pattern: RegExp; error: Error }[] = [];
  private readonly answersPatch: boolean;

  constructor(options: FakeAccountOptions = {}) {
    this.answersPatch = options.answersPatch ?? true;
  }

  /** The next statement matching `pattern` fails with `error`. */
  failNext(pattern: RegExp, error: Error): void {
    this.failures.push({ pattern, error });
  }

  /** Statements run since the last call. */
  take(): string[] {
    return this.statements.splice(0, this.statements.length);
  }

  readonly open: OpenRunner = async (connection) => {
    this.logins.push(connection);
    const runner: SnowflakeRunner = {
      execute: async (sqlText: string, binds?: readonly SqlBind[]) => this.run(sqlText, binds),
      close: async () => {
        this.closed++;
      },
    };
    return runner;
  };

  /** The files of a version's patch. */
  patchFiles(pkg: string, version: string, patch: number): ReadonlyMap<string, string> | undefined {
    return this.packages.get(pkg)?.versions.get(version)?.[patch];
  }

  private pkg(name: string): Package {
    const found = this.packages.get(name);
    if (found === undefined) throw notFound(`Application package '${name}'`);
    return found;
  }

  /** `@PKG.FLOE.BUNDLE/app/dir` → stage key and path within the stage. */
  private location(text: string): { stage: string; path: string } {
    const m = new RegExp(String.raw`^@${ID}\.${ID}\.${ID}(?:/(.*))?$`).exec(text);
    if (m === null) throw new DriverLikeError("001003", "42000", `SQL compilation error: bad stage location ${text}`);
    const stage = [ident(m[1]), ident(m[2]), ident(m[3])].join(".");
    const files = this.stages.get(stage);
    if (files === undefined) throw notFound(`Stage '${stage}'`);
    return { stage, path: (m[4] ?? "").replace(/\/$/, "") };
  }

  /** Runs one statement synchronously (what a runner's execute does, and a sandbox backend calls). */
  run(sqlText: string, _binds?: readonly SqlBind[]): Row[] {
    this.statements.push(sqlText);
    const failure = this.failures.findIndex((f) => f.pattern.test(sqlText));
    if (failure >= 0) {
      const [{ error }] = this.failures.splice(failure, 1);
      throw error;
    }
    const match = (pattern: string) => new RegExp(`^${pattern}$`, "s").exec(sqlText);
    let m: RegExpExecArray | null;

    if ((m = match(`CREATE APPLICATION PACKAGE ${ID} COMMENT = ${STR} DISTRIBUTION = (INTERNAL|EXTERNAL)`))) {
      const name = ident(m[1]);
      if (this.packages.has(name)) throw exists(name);
      this.packages.set(name, { comment: str(m[2]), distribution: m[3], schemas: new Set(), stages: new Set(), versions: new Map() });
      return [{ status: `Application Package ${name} successfully created.` }];
    }
    if ((m = match(`CREATE SCHEMA ${ID}\\.${ID}`))) {
      const pkg = this.pkg(ident(m[1]));
      pkg.schemas.add(ident(m[2]));
      return [{ status: "Schema successfully created." }];
    }
    if ((m = match(`CREATE STAGE ${ID}\\.${ID}\\.${ID}`))) {
      const pkg = this.pkg(ident(m[1]));
      if (!pkg.schemas.has(ident(m[2]))) throw notFound(`Schema '${ident(m[2])}'`);
      const key = [ident(m[1]), ident(m[2]), ident(m[3])].join(".");
      pkg.stages.add(key);
      this.stages.set(key, new Map());
      return [{ status: "Stage area successfully created." }];
    }
    if ((m = match(`ALTER APPLICATION PACKAGE ${ID} SET COMMENT = ${STR}`))) {
      this.pkg(ident(m[1])).comment = str(m[2]);
      return [{ status: "Statement executed successfully." }];
    }
    if ((m = match(`ALTER APPLICATION PACKAGE ${ID} SET DISTRIBUTION = (INTERNAL|EXTERNAL)`))) {
      this.pkg(ident(m[1])).distribution = m[2];
      return [{ status: "Statement executed successfully." }];
    }
    if ((m = match(`SHOW APPLICATION PACKAGES LIKE ${STR}`))) {
      const like = new RegExp("^" + str(m[1]).replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/%/g, ".*").replace(/_/g, ".") + "$", "i");
      return [...this.packages.entries()].filter(([n]) => like.test(n)).map(([name, p]) => ({ name, comment: p.comment, distribution: p.distribution }));
    }
    if ((m = match(`DROP APPLICATION PACKAGE IF EXISTS ${ID}`))) {
      const name = ident(m[1]);
      const pkg = this.packages.get(name);
      if (pkg !== undefined) {
        if ([...this.applications.values()].some((a) => a.pkg === name)) {
          throw new DriverLikeError("093090", "42601", `Cannot drop application package ${name}: applications are installed from it.`);
        }
        for (const stage of pkg.stages) this.stages.delete(stage);
        this.packages.delete(name);
      }
      return [{ status: `${name} successfully dropped.` }];
    }
    if ((m = match(`PUT ${STR} ${STR} AUTO_COMPRESS = FALSE OVERWRITE = TRUE`))) {
      const uri = str(m[1]);
      if (!uri.startsWith("file://")) throw new DriverLikeError("001003", "42000", "PUT needs a file:// URI");
      const local = uri.slice("file://".length);
      const { stage, path } = this.location(str(m[2]));
      const name = local.slice(local.lastIndexOf("/") + 1);
      const content = fs.readFileSync(local, "utf8");
      this.stages.get(stage)!.set(path === "" ? name : `${path}/${name}`, content);
      return [{ source: name, target: name, source_size: content.length, target_size: content.length, source_compression: "NONE", target_compression: "NONE", status: "UPLOADED", message: "" }];
    }
    if ((m = match(`LIST ${STR}`))) {
      const { stage, path } = this.location(str(m[1]));
      const stageName = stage.split(".")[2].toLowerCase();
      return [...this.stages.get(stage)!.entries()]
        .filter(([p]) => path === "" || p.startsWith(path + "/"))
        .map(([p, content]) => ({ name: `${stageName}/${p}`, size: content.length, md5: "", last_modified: "Thu, 1 Jan 2026 00:00:00 GMT" }));
    }
    if ((m = match(`REMOVE ${STR}`))) {
      const { stage, path } = this.location(str(m[1]));
      const files = this.stages.get(stage)!;
      const removed = [...files.keys()].filter((p) => p.startsWith(path));
      for (const p of removed) files.delete(p);
      return removed.map((p) => ({ name: p, result: "removed" }));
    }
    if ((m = match(`SHOW VERSIONS IN APPLICATION PACKAGE ${ID}`))) {
      const pkg = this.pkg(ident(m[1]));
      return [...pkg.versions.entries()].flatMap(([version, patches]) => patches.map((_, patch) => ({ version, patch, label: null, state: "READY" })));
    }
    if ((m = match(`ALTER APPLICATION PACKAGE ${ID} ADD (VERSION|PATCH FOR VERSION) ${ID} USING ${STR}`))) {
      const pkg = this.pkg(ident(m[1]));
      const version = ident(m[3]);
      const { stage, path } = this.location(str(m[4]));
      const snapshot = new Map<string, string>();
      for (const [p, content] of this.stages.get(stage)!) if (p.startsWith(path + "/")) snapshot.set(p.slice(path.length + 1), content);
      if (!snapshot.has("manifest.yml") || !snapshot.has("setup.sql")) throw new DriverLikeError("093061", "42601", `The version directory ${str(m[4])} has no manifest.yml or setup.sql.`);
      const patches = pkg.versions.get(version);
      if (m[2] === "VERSION") {
        if (patches !== undefined) throw new DriverLikeError("093091", "42601", `Version ${version} already exists in application package ${ident(m[1])}.`);
        pkg.versions.set(version, [snapshot]);
      } else {
        if (patches === undefined) throw notFound(`Version '${version}'`);
        patches.push(snapshot);
      }
      const patch = pkg.versions.get(version)!.length - 1;
      return this.answersPatch ? [{ version, patch }] : [{ status: "Statement executed successfully." }];
    }
    if ((m = match(`CREATE APPLICATION ${ID} FROM APPLICATION PACKAGE ${ID} USING VERSION ${ID} PATCH (\\d+)`))) {
      const name = ident(m[1]);
      if (this.applications.has(name)) throw exists(name);
      const pkg = ident(m[2]);
      const version = ident(m[3]);
      const patch = Number(m[4]);
      if (this.patchFiles(pkg, version, patch) === undefined) throw notFound(`Version '${version}' patch ${patch} of application package '${pkg}'`);
      this.applications.set(name, { pkg, version, patch });
      return [{ status: `Application '${name}' created successfully.` }];
    }
    if ((m = match(`ALTER APPLICATION ${ID} UPGRADE USING VERSION ${ID} PATCH (\\d+)`))) {
      const app = this.applications.get(ident(m[1]));
      if (app === undefined) throw notFound(`Application '${ident(m[1])}'`);
      const version = ident(m[2]);
      const patch = Number(m[3]);
      if (this.patchFiles(app.pkg, version, patch) === undefined) throw notFound(`Version '${version}' patch ${patch}`);
      app.version = version;
      app.patch = patch;
      return [{ status: "Statement executed successfully." }];
    }
    if ((m = match(`SHOW APPLICATIONS LIKE ${STR}`))) {
      const like = new RegExp("^" + str(m[1]).replace(/[.*+?^${}()|[\]\\]/g, "\\$&").replace(/%/g, ".*").replace(/_/g, ".") + "$", "i");
      return [...this.applications.entries()].filter(([n]) => like.test(n)).map(([name, a]) => ({ name, source_type: "APPLICATION PACKAGE", source: a.pkg, version: a.version, patch: a.patch }));
    }
    if ((m = match(`DROP APPLICATION IF EXISTS ${ID}`))) {
      const name = ident(m[1]);
      this.applications.delete(name);
      for (const g of [...this.grants]) if (g.endsWith(`|${name}`)) this.grants.delete(g);
      return [{ status: `${name} successfully dropped.` }];
    }
    if ((m = match(`(GRANT|REVOKE) ([A-Z]+(?: [A-Z]+)*) ON ACCOUNT (TO|FROM) APPLICATION ${ID}`))) {
      const name = ident(m[4]);
      if (!this.applications.has(name)) throw notFound(`Application '${name}'`);
      if (m[1] === "GRANT") this.grants.add(`${m[2]}|${name}`);
      else this.grants.delete(`${m[2]}|${name}`);
      return [{ status: "Statement executed successfully." }];
    }
    if ((m = match(`SHOW GRANTS TO APPLICATION ${ID}`))) {
      const name = ident(m[1]);
      if (!this.applications.has(name)) throw notFound(`Application '${name}'`);
      return [...this.grants].filter((g) => g.endsWith(`|${name}`)).map((g) => ({ privilege: g.split("|")[0], granted_on: "ACCOUNT", name: "ACCOUNT", granted_to: "APPLICATION", grantee_name: name }));
    }
    if ((m = match(`(GRANT|REVOKE) APPLICATION ROLE ${ID}\\.${ID} (TO|FROM) ROLE ${ID}`))) {
      const app = ident(m[2]);
      if (!this.applications.has(app)) throw notFound(`Application '${app}'`);
      const key = `${app}.${ident(m[3])}|${ident(m[5])}`;
      if (m[1] === "GRANT") this.roleGrants.add(key);
      else this.roleGrants.delete(key);
      return [{ status: "Statement executed successfully." }];
    }
    if ((m = match(`SHOW GRANTS OF APPLICATION ROLE ${ID}\\.${ID}`))) {
      const role = `${ident(m[1])}.${ident(m[2])}`;
      if (!this.applications.has(ident(m[1]))) throw notFound(`Application '${ident(m[1])}'`);
      return [...this.roleGrants].filter((g) => g.startsWith(`${role}|`)).map((g) => ({ role, granted_to: "ROLE", grantee_name: g.split("|")[1], granted_by: ident(m![1]) }));
    }
    if ((m = match(`SHOW PROCEDURES IN APPLICATION ${ID}`))) {
      const name = ident(m[1]);
      if (!this.applications.has(name)) throw notFound(`Application '${name}'`);
      return [...(this.procedures.get(name) ?? [])].map(([signature, description]) => {
        const [schema, rest] = [signature.slice(0, signature.indexOf(".")), signature.slice(signature.indexOf(".") + 1)];
        return { name: rest.slice(0, rest.indexOf("(")), schema_name: schema, arguments: `${rest} RETURN VARIANT`, description };
      });
    }
    throw new DriverLikeError("001003", "42000", `SQL compilation error:\nthe fake account of the tests does not know: ${sqlText}`);
  }
}

/** The error a promise rejects with; fails the test if it resolves. */
export async function failureOf(promise: Promise<unknown>): Promise<Error & { kind?: string; code?: string }> {
  try {
    await promise;
  } catch (e) {
    return e as Error & { kind?: string; code?: string };
  }
  throw new Error("expected a failure, but the promise resolved");
}
