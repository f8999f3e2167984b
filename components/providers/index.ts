/**
 * The dynamic providers, built around one way of opening a Snowflake session.
 * SERIALIZATION RULE: see snowflake/facade.ts.
 */
import { applicationProvider } from "./application";
import { applicationPackageProvider } from "./application-package";
import { applicationPrivilegeProvider } from "./application-privilege";
import { applicationRoleGrantProvider } from "./application-role-grant";
import type { OpenRunner } from "./common";
import { packageVersionProvider } from "./package-version";
import { stageFileProvider } from "./stage-file";

export interface Providers {
  readonly applicationPackage: ReturnType<typeof applicationPackageProvider>;
  readonly stageFile: ReturnType<typeof stageFileProvider>;
  readonly packageVersion: ReturnType<typeof packageVersionProvider>;
  readonly application: ReturnType<typeof applicationProvider>;
  readonly applicationPrivilege: ReturnType<typeof applicationPrivilegeProvider>;
  readonly applicationRoleGrant: ReturnType<typeof applicationRoleGrantProvider>;
}

/** The six providers, each opening its sessions with `open`. */
export function makeProviders(open: OpenRunner): Providers {
  return {
    applicationPackage: applicationPackageProvider(open),
    stageFile: stageFileProvider(open),
    packageVersion: packageVersionProvider(open),
    application: applicationProvider(open),
    applicationPrivilege: applicationPrivilegeProvider(open),
    applicationRoleGrant: applicationRoleGrantProvider(open),
  };
}

export type { OpenRunner, FloeProvider } from "./common";
export * from "./application";
export * from "./application-package";
export * from "./application-privilege";
export * from "./application-role-grant";
export * from "./package-version";
export * from "./stage-file";
