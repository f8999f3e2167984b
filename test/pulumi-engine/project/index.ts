/**
 * The example program (the repository's index.ts and connector.ts) as a user writes it in a
 * project of their own: importing "floe" and "floe/pulumi", with its hooks in hooks/resume.ts
 * beside it. One addition for the tests: floe:applicationName (default: the connector's name).
 */
import * as pulumi from "@pulumi/pulumi";
import { defineConnector } from "floe";
import { ConnectorApp } from "floe/pulumi";

const connector = defineConnector({
  name: "EXAMPLE_CONNECTOR",
  description: "An example connector built on the Native SDK for Connectors lifecycle, provisioned with floe.",
  version: "V1",
  hooks: ["hooks/resume.ts"],
  privileges: ["EXECUTE TASK"],
  root: __dirname,
});

const config = new pulumi.Config("floe");
const app = ConnectorApp.fromDefinition("example", connector, {
  applicationName: config.get("applicationName"),
  roles: { ADMIN: [config.get("adminRole") ?? "CONNECTOR_ADMIN"] },
  privileges: ["EXECUTE TASK"],
  allowReplace: config.getBoolean("allowReplace") ?? false,
});

export const applicationName = pulumi.output(app.then((a) => a.applicationName));
export const packageName = pulumi.output(app.then((a) => a.packageName));
export const version = pulumi.output(app.then((a) => a.version));
export const patch = pulumi.output(app.then((a) => a.patch));
export const procedures = pulumi.output(app.then((a) => a.procedures));
export const grants = pulumi.output(app.then((a) => a.grants));
