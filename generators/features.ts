/**
 * Features of a connector app, the SQL files they bring, and selection with dependency closure.
 * A feature's files come from the templates directory; asking for a feature whose file is
 * missing is an error naming the file.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { FloeError } from "../errors";
import type { FeatureSwitches } from "./definition";

export type FeatureName =
  | "core"
  | "app_config"
  | "resume"
  | "pause"
  | "finalize"
  | "prerequisites"
  | "connector_configuration"
  | "connection_configuration"
  | "task_reactor"
  | "scheduler";

export type FeatureLevel = "required" | "recommended" | "optional";

export interface FeatureSpec {
  readonly name: FeatureName;
  /** Bundle-relative path of the SQL file (also its path under the templates directory). */
  readonly file: string;
  readonly requires: readonly FeatureName[];
  readonly level: FeatureLevel;
  /** Included unless turned off. */
  readonly byDefault: boolean;
  /** What leaving it out costs, for the warning. */
  readonly without: string;
}

/** In dependency order: every feature comes after what it requires. */
export const FEATURES: readonly FeatureSpec[] = [
  { name: "core", file: "core.sql", requires: [], level: "required", byDefault: true, without: "" },
  { name: "app_config", file: "configuration/app_config.sql", requires: ["core"], level: "required", byDefault: true, without: "" },
  { name: "prerequisites", file: "configuration/prerequisites.sql", requires: ["core"], level: "optional", byDefault: true, without: "" },
  {
    name: "connector_configuration",
    file: "configuration/connector_configuration.sql",
    requires: ["core", "app_config"],
    level: "optional",
    byDefault: true,
    without: "",
  },
  {
    name: "connection_configuration",
    file: "configuration/connection_configuration.sql",
    requires: ["core", "app_config"],
    level: "optional",
    byDefault: true,
    without: "",
  },
  {
    name: "finalize",
    file: "configuration/finalize_configuration.sql",
    requires: ["core", "app_config"],
    level: "recommended",
    byDefault: true,
    without: "the wizard cannot finish: nothing moves the connector from CONFIGURING to STARTED",
  },
  { name: "task_reactor", file: "task_reactor/task_reactor.sql", requires: ["core"], level: "optional", byDefault: false, without: "" },
  { name: "scheduler", file: "scheduler/scheduler.sql", requires: ["core"], level: "optional", byDefault: false, without: "" },
  { name: "resume", file: "lifecycle/resume.sql", requires: ["core", "app_config"], level: "required", byDefault: true, without: "" },
  {
    name: "pause",
    file: "lifecycle/pause.sql",
    requires: ["core", "app_config"],
    level: "recommended",
    byDefault: true,
    without: "a started connector cannot be paused (PAUSE_CONNECTOR does not exist)",
  },
];

const BY_NAME = new Map(FEATURES.map((f) => [f.name, f]));

export function featureSpec(name: FeatureName): FeatureSpec {
  const spec = BY_NAME.get(name);
  if (spec === undefined) throw new FloeError(`unknown feature '${name}'`);
  return spec;
}

export function isFeatureName(name: string): name is FeatureName {
  return BY_NAME.has(name as FeatureName);
}

export interface FeatureSelection {
  /** Selected features in dependency order. */
  readonly features: readonly FeatureSpec[];
  readonly warnings: readonly string[];
}

/**
 * Resolves the features of an app: required and default ones, plus those turned on, minus
 * those turned off, closed over their requirements; then checks every file exists.
 */
export function selectFeatures(requested: FeatureSwitches, templatesDir: string): FeatureSelection {
  // A definition written in JavaScript, or cast, may still name a feature that does not exist.
  for (const name of Object.keys(requested)) {
    if (!isFeatureName(name)) {
      throw new FloeError(`[features] has an unknown feature '${name}'; the features are: ${FEATURES.map((f) => f.name).join(", ")}.`);
    }
  }
  const wanted = new Set<FeatureName>();
  for (const spec of FEATURES) {
    const asked = requested[spec.name];
    if (spec.level === "required" && asked === false) {
      throw new FloeError(`[features] cannot turn off '${spec.name}': resume requires ${spec.file}.`);
    }
    if (asked ?? spec.byDefault) wanted.add(spec.name);
  }
  const visit = (name: FeatureName, by: FeatureName | null) => {
    if (requested[name] === false && by !== null) {
      throw new FloeError(`[features] turns off '${name}', but '${by}' requires it (${featureSpec(name).file}).`);
    }
    wanted.add(name);
    for (const dep of featureSpec(name).requires) visit(dep, name);
  };
  for (const name of [...wanted]) visit(name, null);
  const features = FEATURES.filter((f) => wanted.has(f.name));
  for (const feature of features) {
    const file = path.join(templatesDir, feature.file);
    if (!fs.existsSync(file)) {
      throw new FloeError(`feature '${feature.name}' requires ${feature.file}, which is missing from ${templatesDir}.`);
    }
  }
  const warnings = FEATURES.filter((f) => f.level === "recommended" && !wanted.has(f.name)).map(
    (f) => `${f.file} is recommended but left out: ${f.without}.`,
  );
  return { features, warnings };
}
