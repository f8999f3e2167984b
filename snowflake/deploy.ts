/**
 * Installs a rendered bundle through the Snowflake facade, the same statements the Pulumi
 * providers run: application package (with its stage), PUT of every file (one PUT per stage
 * directory here, where the providers upload each file as a resource of its own), a version (or
 * a new patch of it), then the application (or its upgrade) and the manifest's privileges. Used by
 * `floe simulate`, `npm start` and the end-to-end tests, against the sandbox or a real account.
 */
import type { Bundle } from "../generators/render";
import type { SnowflakeFacade } from "./facade";
import { statements } from "./statements";

export interface DeployTarget {
  readonly packageName: string;
  readonly applicationName: string;
  readonly version: string;
  /** Account privileges to grant to the application (the manifest's, unless told otherwise). */
  readonly privileges: readonly string[];
}

export interface Deployed {
  readonly packageName: string;
  readonly applicationName: string;
  readonly version: string;
  readonly patch: number;
  /** "created" for a new application, "upgraded" for an existing one. */
  readonly application: "created" | "upgraded";
}

export type DeployStep = (label: string) => void;

/** Deploys `bundle`; a second deploy of a changed bundle adds a patch and upgrades the application. */
export async function deployBundle(facade: SnowflakeFacade, bundle: Bundle, target: DeployTarget, onStep: DeployStep = () => undefined): Promise<Deployed> {
  const { packageName: pkg, applicationName: app, version } = target;
  const location = statements.stageLocation(pkg);
  if (!(await facade.applicationPackageExists(pkg))) {
    onStep(`creating application package ${pkg}`);
    await facade.createApplicationPackage(pkg, `floe: ${app}`, "INTERNAL");
  }
  onStep(`uploading ${bundle.size} files to ${location}`);
  const staged = new Set(await facade.listFiles(location));
  await facade.putFiles(location, bundle);
  for (const file of staged) if (!bundle.has(file)) await facade.removeFile(location, file);
  const { added, patch } = await facade.addVersionOrPatch(pkg, version, location);
  onStep(added === "version" ? `added version ${version}` : `added patch ${patch} of version ${version}`);
  const existing = await facade.findApplication(app);
  if (existing === undefined) {
    onStep(`creating application ${app} (runs setup.sql)`);
    await facade.createApplication(app, pkg, version, patch);
  } else {
    onStep(`upgrading application ${app} to ${version} patch ${patch} (runs setup.sql)`);
    await facade.upgradeApplication(app, version, patch);
  }
  for (const privilege of target.privileges) {
    onStep(`GRANT ${privilege} ON ACCOUNT TO APPLICATION ${app}`);
    await facade.grantToApplication(privilege, app);
  }
  return { packageName: pkg, applicationName: app, version, patch, application: existing === undefined ? "created" : "upgraded" };
}
