/**
 * The Pulumi program: deploys the connector (connector.ts) as a Snowflake Native App —
 * application package, staged bundle, version and patch, application, and EXECUTE TASK granted
 * to the application. A changed hook becomes a new patch and an upgrade, never a new application.
 *
 *   pulumi preview --diff
 *   pulumi up
 *
 * Stack config: snowflake:account, snowflake:user, snowflake:role and the secret
 * snowflake:privateKey (or snowflake:password); or floe:connection, the name of a connection in
 * your Snowflake CLI's connections.toml. Optional: floe:adminRole, an account role granted the
 * application role ADMIN (so that it may call RESUME_CONNECTOR); floe:allowReplace.
 */
import * as pulumi from "@pulumi/pulumi";
import { ConnectorApp } from "floe/pulumi";
import connector from "./connector";

const config = new pulumi.Config("floe");
const adminRole = config.get("adminRole");

// Rendering (type-checking and compiling the hooks) is asynchronous; the stack outputs wait for
// it, which keeps the program running until every resource is registered.
const app = ConnectorApp.fromDefinition("connector", connector, {
  ...(adminRole === undefined ? {} : { roles: { ADMIN: [adminRole] } }),
  allowReplace: config.getBoolean("allowReplace") ?? false,
});

export const applicationName = pulumi.output(app.then((a) => a.applicationName));
export const packageName = pulumi.output(app.then((a) => a.packageName));
export const version = pulumi.output(app.then((a) => a.version));
export const patch = pulumi.output(app.then((a) => a.patch));
export const procedures = pulumi.output(app.then((a) => a.procedures));
export const grants = pulumi.output(app.then((a) => a.grants));
