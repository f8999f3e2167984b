/**
 * Where the sandbox keeps files on the host, and the only way it derives a host path.
 *
 * Object names come from SQL, and a quoted identifier may hold anything: `"../../home"`, `/`,
 * NUL, 255 characters of emoji. None of that may ever become part of a host path, so a name is
 * never used as a path segment: each name maps to a fixed-length segment made of a hash of the
 * name (plus a readable prefix of its plain characters, for whoever looks at the folder). Paths
 * below a stage (`@S/some/prefix`) are checked segment by segment. Every path is then checked to
 * lie strictly inside the sandbox's own folder before anything is created, listed or removed.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { SnowflakeError } from "./types";

/** The host segment for one object name: safe on every file system, never `.`/`..`, ≤ 50 bytes. */
export function nameSegment(name: string): string {
  const readable = name.replace(/[^A-Za-z0-9_]/g, "").slice(0, 24);
  const hash = createHash("sha256").update(name, "utf8").digest("hex").slice(0, 24);
  return `${readable}_${hash}`;
}

function invalidPath(text: string, why: string): SnowflakeError {
  return new SnowflakeError("001003", "42000", `SQL compilation error:\ninvalid stage path '${text}': ${why}`);
}

/**
 * The segments of a path below a stage (`dir/file.sql`), refused when one could leave the stage
 * or cannot be a file name: `..`, `.`, NUL, backslashes, over-long segments.
 */
export function stagePathSegments(prefix: string): string[] {
  if (prefix === "") return [];
  const segments = prefix.split("/").filter((s) => s !== "");
  for (const segment of segments) {
    if (segment === "." || segment === "..") throw invalidPath(prefix, `'${segment}' is not allowed`);
    if (segment.includes("\0")) throw invalidPath(prefix.replace(/\0/g, "\\0"), "NUL is not allowed");
    if (segment.includes("\\")) throw invalidPath(prefix, "backslashes are not allowed");
    if (Buffer.byteLength(segment, "utf8") > 255) throw invalidPath(prefix.slice(0, 60) + "...", "a path segment is longer than 255 bytes");
  }
  return segments;
}

/** True when a path relative to a base points at or above the base's parent. */
function leaves(relative: string): boolean {
  return relative === ".." || relative.startsWith(".." + path.sep) || path.isAbsolute(relative);
}

/** The sandbox's folder on the host. Every path the sandbox touches is built here. */
export class SandboxFolder {
  constructor(readonly root: string) {}

  /** The directory of a stage: `<root>/stages/<db>/<schema>/<stage>`, each name mapped. */
  stageDirectory(database: string, schema: string, stage: string): string {
    return this.inside(path.join(this.root, "stages", nameSegment(database), nameSegment(schema), nameSegment(stage)));
  }

  /** The directory holding every stage of a database. */
  databaseDirectory(database: string): string {
    return this.inside(path.join(this.root, "stages", nameSegment(database)));
  }

  /** `directory/segments...`, refused unless it stays inside `directory` (and the sandbox). */
  below(directory: string, segments: readonly string[]): string {
    const base = this.inside(directory);
    const target = path.join(base, ...segments);
    const relative = path.relative(base, target);
    if (leaves(relative)) throw invalidPath(segments.join("/"), "it leaves the stage");
    return this.inside(target);
  }

  /** Removes a directory or file inside the sandbox's folder; anything else is a bug, refused loudly. */
  remove(target: string): void {
    fs.rmSync(this.inside(target), { recursive: true, force: true });
  }

  /** Returns `target` when it lies strictly inside the root; throws otherwise. */
  inside(target: string): string {
    const resolved = path.resolve(target);
    const relative = path.relative(this.root, resolved);
    if (relative === "" || leaves(relative) || resolved.includes("\0")) {
      throw new SnowflakeError("000603", "XX000", `SQL execution internal error: floe sandbox refused a host path outside its folder (${JSON.stringify(target)})`);
    }
    return resolved;
  }
}

/**
 * `@db.schema.stage/some/path` (or `'@"My Stage"/x'`) read into the stage's name parts and the
 * path below it. Quoted parts keep their case and may hold dots and slashes; unquoted parts are
 * upper-cased, as Snowflake resolves them.
 */
export function parseStageLocation(location: string): { readonly name: string[]; readonly path: string } {
  let text = location.trim();
  if (text.length >= 2 && text.startsWith("'") && text.endsWith("'")) text = text.slice(1, -1).replace(/''/g, "'");
  if (!text.startsWith("@")) throw invalidPath(location, "a stage location starts with @");
  const name: string[] = [];
  let i = 1;
  for (;;) {
    if (text[i] === '"') {
      let part = "";
      i++;
      for (;;) {
        if (i >= text.length) throw invalidPath(location, "unterminated quoted name");
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            part += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        part += text[i++];
      }
      name.push(part);
    } else {
      const match = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(text.slice(i));
      if (match === null) throw invalidPath(location, "expected a stage name");
      name.push(match[0].toUpperCase());
      i += match[0].length;
    }
    if (text[i] === ".") {
      i++;
      continue;
    }
    break;
  }
  if (i < text.length && text[i] !== "/") throw invalidPath(location, `unexpected '${text[i]}' after the stage name`);
  if (name.length > 3) throw invalidPath(location, "a stage name has at most three parts");
  return { name, path: text.slice(i + 1) };
}
