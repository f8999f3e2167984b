/**
 * Prerequisites declared in the connector definition: what the consumer must do outside the
 * app before configuring it (grant a role, create an integration...). They are the rows of
 * STATE.PREREQUISITES, which the wizard shows through PUBLIC.PREREQUISITES and the consumer ticks
 * off with UPDATE_PREREQUISITE.
 *
 * The setup script seeds them on every install and upgrade: a declared prerequisite's texts,
 * links, properties and position follow the definition, its IS_COMPLETED is the consumer's and
 * is kept; a prerequisite no longer declared is deleted. An app whose definition declares no
 * `prerequisites` list at all leaves the table alone.
 */
import { FloeError } from "../errors";

export interface PrerequisiteDefinition {
  /** Stable identifier: the key UPDATE_PREREQUISITE takes and an upgrade matches rows by. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** LEARNMORE_URL. */
  readonly learnMoreUrl?: string;
  /** DOCUMENTATION_URL. */
  readonly documentationUrl?: string;
  /** GUIDE_URL. */
  readonly guideUrl?: string;
  /** Order in PUBLIC.PREREQUISITES. Default: the place in the list, from 1. */
  readonly position?: number;
  /** CUSTOM_PROPERTIES: any JSON object, for a UI of your own. */
  readonly customProperties?: Readonly<Record<string, unknown>>;
}

/** A checked prerequisite, every column decided. */
export interface PrerequisiteModel {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  readonly learnMoreUrl: string | null;
  readonly documentationUrl: string | null;
  readonly guideUrl: string | null;
  readonly position: number;
  /** JSON text of CUSTOM_PROPERTIES, or null. */
  readonly customProperties: string | null;
}

const FIELDS = new Set(["id", "title", "description", "learnMoreUrl", "documentationUrl", "guideUrl", "position", "customProperties"]);

/** Checks the `prerequisites` of a definition; every message names the entry and field at fault. */
export function resolvePrerequisites(value: unknown): readonly PrerequisiteModel[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw new FloeError("[prerequisites] must be a list of { id, title, description, ... } objects.");
  const seen = new Map<string, number>();
  return value.map((entry: unknown, index): PrerequisiteModel => {
    const at = `[prerequisites] entry ${index + 1}`;
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) throw new FloeError(`${at} must be an object such as { id: "grant_role", title: "...", description: "..." }.`);
    const record = entry as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!FIELDS.has(key)) throw new FloeError(`${at} has an unknown field '${key}'; the fields are ${[...FIELDS].join(", ")}.`);
    }
    const text = (field: string, required: boolean): string | null => {
      const v = record[field];
      if (v === undefined && !required) return null;
      if (typeof v !== "string" || v.trim().length === 0) throw new FloeError(`${at}: ${field} must be a non-empty string, got ${JSON.stringify(v)}.`);
      return v;
    };
    const id = text("id", true) as string;
    const earlier = seen.get(id);
    if (earlier !== undefined) throw new FloeError(`${at}: the id '${id}' is already used by entry ${earlier}; ids must be unique.`);
    seen.set(id, index + 1);
    const position = record.position ?? index + 1;
    if (typeof position !== "number" || !Number.isSafeInteger(position) || position < 0) {
      throw new FloeError(`${at} (${id}): position must be a whole number of 0 or more, got ${JSON.stringify(record.position)}.`);
    }
    const properties = record.customProperties;
    let customProperties: string | null = null;
    if (properties !== undefined) {
      if (properties === null || typeof properties !== "object" || Array.isArray(properties)) {
        throw new FloeError(`${at} (${id}): customProperties must be a JSON object, got ${JSON.stringify(properties)}.`);
      }
      customProperties = canonicalJson(properties, `${at} (${id}): customProperties`);
    }
    return Object.freeze({
      id,
      title: text("title", true) as string,
      description: text("description", true) as string,
      learnMoreUrl: text("learnMoreUrl", false),
      documentationUrl: text("documentationUrl", false),
      guideUrl: text("guideUrl", false),
      position,
      customProperties,
    });
  });
}

/** JSON text with sorted keys, so that the same properties always render the same bytes. */
function canonicalJson(value: unknown, where: string): string {
  const sorted = (v: unknown): unknown => {
    if (v === null || typeof v === "string" || typeof v === "boolean") return v;
    if (typeof v === "number") {
      if (!Number.isFinite(v)) throw new FloeError(`${where} holds ${v}, which JSON cannot represent.`);
      return v;
    }
    if (Array.isArray(v)) return v.map(sorted);
    if (typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(v as object).sort()) out[key] = sorted((v as Record<string, unknown>)[key]);
      return out;
    }
    throw new FloeError(`${where} holds a ${typeof v}, which JSON cannot represent.`);
  };
  return JSON.stringify(sorted(value));
}
