/**
 * floe's own lifecycle procedures, compiled ahead of any render. They depend on floe's code
 * only, never on the user's, so the package build compiles them once (scripts/build.js writes
 * dist/procedures.json) and `floe render` only appends each body's call line.
 *
 * The artifact names the lifecycle sources it was built from (a hash of lifecycle/*.ts) and the
 * floe build (its fingerprint); one that does not match the running floe is never used. From a
 * checkout, where dist/ may be stale or absent, the artifact is built on first use and kept in
 * the cache under the fingerprint of the sources (floe's own .floe-cache/), so an edit to any of
 * them builds a new one; an installed package whose artifact does not match builds one the same
 * way, into the project's cache. Building runs the TypeScript checks of the lifecycle code and
 * bundles each entry (lifecycle-build.ts), and also checks floe's fixed SQL — templates and
 * lifecycle procedures — with the parser gate, recording what passed: at render time only
 * statements that depend on the user's input go through the gate.
 */
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { floeFingerprint } from "../cache/fingerprint";
import { openCache } from "../cache/store";
import { lifecycleBuilder } from "../deferred";
import { FLOE_ROOT, FROM_DIST } from "../floe-root";

export const LIFECYCLE_SOURCE_DIR = path.join(FLOE_ROOT, "lifecycle");
/** Where the package build writes the artifact. */
export const ARTIFACT_FILE = path.join(FLOE_ROOT, "dist", "procedures.json");
export const ARTIFACT_FORMAT = 2;

export interface LifecycleArtifact {
  readonly format: number;
  /** The floe build (or sources) it was made by. */
  readonly fingerprint: string;
  /** sha256 of lifecycle/*.ts, which it was compiled from. */
  readonly lifecycleHash: string;
  /** Per entry point: its bundled declarations and the entry's name in them. */
  readonly entries: Readonly<Record<string, { readonly code: string; readonly name: string }>>;
  /** sha256 of the SQL files and statements of floe's own that passed the parser gate. */
  readonly gated: { readonly files: readonly string[]; readonly statements: readonly string[] };
}

/** sha256 of the lifecycle sources, by name and content. */
export function lifecycleHash(dir: string = LIFECYCLE_SOURCE_DIR): string {
  const hash = createHash("sha256");
  for (const name of fs.readdirSync(dir).filter((f) => f.endsWith(".ts")).sort()) {
    hash.update(name).update("\0").update(fs.readFileSync(path.join(dir, name))).update("\0");
  }
  return hash.digest("hex");
}

function isArtifact(value: unknown): value is LifecycleArtifact {
  if (value === null || typeof value !== "object") return false;
  const a = value as Partial<LifecycleArtifact>;
  if (a.format !== ARTIFACT_FORMAT || typeof a.fingerprint !== "string" || typeof a.lifecycleHash !== "string") return false;
  if (a.entries === null || typeof a.entries !== "object" || a.gated === null || typeof a.gated !== "object") return false;
  if (!Array.isArray(a.gated.files) || !Array.isArray(a.gated.statements)) return false;
  return Object.values(a.entries).every((e) => e !== null && typeof e === "object" && typeof e.code === "string" && typeof e.name === "string");
}

/** The artifact when it was made from exactly these sources by exactly this floe. */
function matching(value: unknown, fingerprint: string, sources: string): LifecycleArtifact | undefined {
  return isArtifact(value) && value.fingerprint === fingerprint && value.lifecycleHash === sources ? value : undefined;
}

let loaded: LifecycleArtifact | undefined;
/** Set while an artifact is being built: the gate-set renders use its entries. */
let underConstruction: LifecycleArtifact | undefined;

/** Where the artifact came from, for the benchmarks and tests. */
export let artifactSource: "dist" | "cache" | "built" | undefined;

/**
 * The lifecycle artifact for this floe: dist/procedures.json when it matches, else the cached
 * one, else built now (and cached). `root` is the project whose cache an installed floe uses.
 */
export function lifecycleArtifact(root: string = process.cwd()): LifecycleArtifact {
  if (underConstruction !== undefined) return underConstruction;
  if (loaded !== undefined) return loaded;
  const fingerprint = floeFingerprint();
  const sources = lifecycleHash();
  if (FROM_DIST) {
    try {
      const found = matching(JSON.parse(fs.readFileSync(ARTIFACT_FILE, "utf8")), fingerprint, sources);
      if (found !== undefined) {
        artifactSource = "dist";
        return (loaded = found);
      }
    } catch {
      // Missing or unreadable: built below.
    }
  }
  const cache = openCache(FROM_DIST ? root : FLOE_ROOT);
  const key = ["lifecycle-artifact", String(ARTIFACT_FORMAT), fingerprint, sources];
  const cached = cache?.get("lifecycle", key, (v): v is LifecycleArtifact => matching(v, fingerprint, sources) !== undefined);
  if (cached !== undefined) {
    artifactSource = "cache";
    return (loaded = cached);
  }
  const built = buildLifecycleArtifact();
  cache?.put("lifecycle", key, built);
  artifactSource = "built";
  return (loaded = built);
}

/** Builds the artifact from the sources (the package build, or a first use from a checkout). */
export function buildLifecycleArtifact(): LifecycleArtifact {
  const builder = lifecycleBuilder();
  const base = { format: ARTIFACT_FORMAT, fingerprint: floeFingerprint(), lifecycleHash: lifecycleHash() };
  const entries = builder.compileLifecycleEntries();
  underConstruction = { ...base, entries, gated: { files: [], statements: [] } };
  try {
    const gated = builder.gateFixedSql();
    return Object.freeze({ ...base, entries, gated });
  } finally {
    underConstruction = undefined;
  }
}

/** Forgets the artifact loaded by this process (tests). */
export function forgetLifecycleArtifact(): void {
  loaded = undefined;
  artifactSource = undefined;
}
