/**
 * The example Pulumi program: deploys the example connector (connector.ts, with the resume and
 * pause hooks of hooks/resume.ts) to the account of the stack's config, grants it EXECUTE TASK
 * and grants its ADMIN application role to an account role.
 *
 *   pulumi preview --diff     # what would change, file by file
 *   pulumi up
 *
 * Config (see Pulumi.example.yaml): snowflake:account, snowflake:user, snowflake:role, secret
 * snowflake:privateKey (or snowflake:password), or floe:connection; floe:adminRole (default
 * CONNECTOR_ADMIN); floe:allowReplace (default false). See docs/pulumi.md.
 *
 * At the top of the repository: this program and the example connector (connector.ts). May
 * import: components, api.
 */
import * as pulumi from "@pulumi/pulumi";
import connector from "./connector";
import { ConnectorApp } from "./components";

const config = new pulumi.Config("floe");
const adminRole = config.get("adminRole") ?? "CONNECTOR_ADMIN";

// Rendering (type-checking and compiling the hooks) is asynchronous; the stack outputs below
// wait for it, which keeps the program running until the app's resources are registered.
const app = ConnectorApp.fromDefinition("example", connector, {
  roles: { ADMIN: [adminRole] },
  privileges: ["EXECUTE TASK"],
  allowReplace: config.getBoolean("allowReplace") ?? false,
});

export const applicationName = pulumi.output(app.then((a) => a.applicationName));
export const packageName = pulumi.output(app.then((a) => a.packageName));
export const stageLocation = pulumi.output(app.then((a) => a.stageLocation));
export const version = pulumi.output(app.then((a) => a.version));
export const patch = pulumi.output(app.then((a) => a.patch));
export const procedures = pulumi.output(app.then((a) => a.procedures));
export const grants = pulumi.output(app.then((a) => a.grants));
