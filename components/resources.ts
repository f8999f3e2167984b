/**
 * The dynamic resources floe adds to what @pulumi/snowflake has: application package, staged
 * file, version/patch, application, privilege granted to an application, and application role
 * granted to an account role. Their providers
 * (providers/) issue SQL through the facade over a snowflake-sdk session.
 *
 * Types are `pulumi-nodejs:dynamic/floe:<Type>`. The connection is a secret input, kept secret
 * in the outputs (the state needs it: Pulumi calls delete with the recorded outputs).
 */
import * as pulumi from "@pulumi/pulumi";
import { FLOE_ROOT } from "../generators/floe-root";
import type { Providers } from "./providers";
import { hostedProviders, installedSpecifier } from "./providers/hosted";
import { sdkProviders } from "./providers/sdk";
import type { SnowflakeConnection } from "../snowflake/driver";

const INSTALLED = installedSpecifier(FLOE_ROOT);

/**
 * The providers every resource uses: one object per kind, so Pulumi serializes each once per
 * program (it caches by provider object). Installed under node_modules, floe hands Pulumi
 * stand-ins that load `floe/providers` in the provider process (providers/hosted.ts); from
 * its own checkout, the providers themselves, serialized by value.
 */
export const defaultProviders: Providers = INSTALLED === undefined ? sdkProviders : hostedProviders(INSTALLED, sdkProviders);

const MODULE = "floe";

type ConnectionInput = pulumi.Input<SnowflakeConnection>;

/**
 * A floe resource: `pulumi-nodejs:dynamic/floe:<type>`, its connection a secret input kept
 * secret in the outputs, and `computed` the outputs only its provider knows (undefined inputs).
 */
abstract class FloeResource extends pulumi.dynamic.Resource {
  constructor(
    provider: pulumi.dynamic.ResourceProvider,
    type: string,
    name: string,
    args: { readonly connection: ConnectionInput },
    computed: readonly string[],
    opts: pulumi.CustomResourceOptions | undefined,
  ) {
    const outputs = Object.fromEntries(computed.map((key) => [key, undefined]));
    const secretOutputs = [...(opts?.additionalSecretOutputs ?? []), "connection"];
    super(provider, name, { ...args, connection: pulumi.secret(args.connection), ...outputs }, { ...opts, additionalSecretOutputs: secretOutputs }, MODULE, type);
  }
}

export interface ApplicationPackageArgs {
  readonly connection: ConnectionInput;
  readonly name: pulumi.Input<string>;
  readonly comment: pulumi.Input<string>;
  readonly distribution: pulumi.Input<"INTERNAL" | "EXTERNAL">;
}

/** An application package with schema FLOE and stage BUNDLE, where the bundle is staged. */
export class ApplicationPackage extends FloeResource {
  declare readonly name: pulumi.Output<string>;
  /** `@PKG.FLOE.BUNDLE/app` */
  declare readonly location: pulumi.Output<string>;

  constructor(name: string, args: ApplicationPackageArgs, opts?: pulumi.CustomResourceOptions) {
    super(defaultProviders.applicationPackage, "ApplicationPackage", name, args, ["location"], opts);
  }
}

export interface StageFileArgs {
  readonly connection: ConnectionInput;
  readonly location: pulumi.Input<string>;
  readonly path: pulumi.Input<string>;
  readonly content: pulumi.Input<string>;
  /** sha256 (hex) of the content. */
  readonly hash: pulumi.Input<string>;
}

/** One bundle file, uploaded with PUT to `location/path`. */
export class StageFile extends FloeResource {
  declare readonly path: pulumi.Output<string>;
  declare readonly hash: pulumi.Output<string>;
  declare readonly size: pulumi.Output<number>;

  constructor(name: string, args: StageFileArgs, opts?: pulumi.CustomResourceOptions) {
    super(defaultProviders.stageFile, "StageFile", name, args, ["size"], opts);
  }
}

export interface PackageVersionArgs {
  readonly connection: ConnectionInput;
  readonly packageName: pulumi.Input<string>;
  readonly location: pulumi.Input<string>;
  readonly version: pulumi.Input<string>;
  readonly files: pulumi.Input<Record<string, string>>;
  readonly bundleHash: pulumi.Input<string>;
}

/** The staged bundle released as a version (the first time) or a new patch of it. */
export class PackageVersion extends FloeResource {
  declare readonly version: pulumi.Output<string>;
  declare readonly patch: pulumi.Output<number>;
  declare readonly bundleHash: pulumi.Output<string>;

  constructor(name: string, args: PackageVersionArgs, opts?: pulumi.CustomResourceOptions) {
    super(defaultProviders.packageVersion, "PackageVersion", name, args, ["patch"], opts);
  }
}

export interface ApplicationArgs {
  readonly connection: ConnectionInput;
  readonly name: pulumi.Input<string>;
  readonly packageName: pulumi.Input<string>;
  readonly version: pulumi.Input<string>;
  readonly patch: pulumi.Input<number>;
  readonly allowReplace: pulumi.Input<boolean>;
  /** Signature → content hash of the procedures the bundle defines: what a refresh checks. */
  readonly procedures?: pulumi.Input<Record<string, string>>;
}

/** The application, upgraded in place to every new patch; never replaced unless allowReplace. */
export class Application extends FloeResource {
  declare readonly name: pulumi.Output<string>;
  declare readonly version: pulumi.Output<string>;
  declare readonly patch: pulumi.Output<number>;

  constructor(name: string, args: ApplicationArgs, opts?: pulumi.CustomResourceOptions) {
    super(defaultProviders.application, "Application", name, args, [], opts);
  }
}

export interface ApplicationPrivilegeArgs {
  readonly connection: ConnectionInput;
  readonly application: pulumi.Input<string>;
  readonly privilege: pulumi.Input<string>;
}

/** `GRANT <privilege> ON ACCOUNT TO APPLICATION <app>`, revoked when removed. */
export class ApplicationPrivilege extends FloeResource {
  declare readonly application: pulumi.Output<string>;
  declare readonly privilege: pulumi.Output<string>;

  constructor(name: string, args: ApplicationPrivilegeArgs, opts?: pulumi.CustomResourceOptions) {
    super(defaultProviders.applicationPrivilege, "ApplicationPrivilege", name, args, [], opts);
  }
}

export interface ApplicationRoleGrantArgs {
  readonly connection: ConnectionInput;
  readonly application: pulumi.Input<string>;
  /** The application role, `ADMIN`. */
  readonly applicationRole: pulumi.Input<string>;
  /** The account role granted it. */
  readonly accountRole: pulumi.Input<string>;
}

/** `GRANT APPLICATION ROLE <app>.<role> TO ROLE <accountRole>`, revoked when removed. */
export class ApplicationRoleGrant extends FloeResource {
  declare readonly application: pulumi.Output<string>;
  declare readonly applicationRole: pulumi.Output<string>;
  declare readonly accountRole: pulumi.Output<string>;

  constructor(name: string, args: ApplicationRoleGrantArgs, opts?: pulumi.CustomResourceOptions) {
    super(defaultProviders.applicationRoleGrant, "ApplicationRoleGrant", name, args, [], opts);
  }
}
