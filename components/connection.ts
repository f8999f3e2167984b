/**
 * Connection settings for the providers, read the way a Pulumi user and a Snowflake CLI user
 * expect: from stack config (`snowflake:*`, secrets for the key and password), or from a named
 * connection of connections.toml / config.toml (snowflake/connection.ts).
 *
 * Runs in the Pulumi program, never inside a provider: secrets leave here wrapped in
 * `pulumi.secret` and reach the dynamic providers only as secret inputs.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as snowflake from "@pulumi/snowflake";
import { FloeError } from "../errors";
import { connectionFromToml, type ConnectionLookup } from "../snowflake/connection";
import type { SnowflakeConnection } from "../snowflake/driver";

/** {@link SnowflakeConnection} with every field a Pulumi input. */
export type SnowflakeConnectionArgs = { readonly [K in keyof SnowflakeConnection]: pulumi.Input<Exclude<SnowflakeConnection[K], undefined>> };

/** Wraps the secret fields of a plain connection in `pulumi.secret`. */
export function withSecretFields(connection: SnowflakeConnection): SnowflakeConnectionArgs {
  return {
    ...connection,
    password: connection.password === undefined ? undefined : pulumi.secret(connection.password),
    privateKey: connection.privateKey === undefined ? undefined : pulumi.secret(connection.privateKey),
    privateKeyPassphrase: connection.privateKeyPassphrase === undefined ? undefined : pulumi.secret(connection.privateKeyPassphrase),
  };
}

/**
 * The connection from stack config:
 * - `floe:connection`: a connection of connections.toml (see {@link connectionFromToml}); or
 * - `snowflake:account` (or `snowflake:organizationName` + `snowflake:accountName`),
 *   `snowflake:user`, `snowflake:role`, `snowflake:warehouse`, and either `snowflake:privateKey`
 *   (with `snowflake:privateKeyPassphrase`) or `snowflake:password`, as secrets;
 * - `floe:accessUrl` (or `snowflake:host`/`port`/`protocol`) to reach floe's sandbox.
 */
export function connectionFromConfig(lookup: ConnectionLookup = {}): SnowflakeConnectionArgs {
  const floe = new pulumi.Config("floe");
  const sf = new pulumi.Config("snowflake");
  // Presence is read without reading the value, so that secrets are only ever read as secrets.
  const has = (key: string) => pulumi.runtime.getConfig(`snowflake:${key}`) !== undefined;
  const named = floe.get("connection");
  const accessUrl = floe.get("accessUrl");
  if (named !== undefined) {
    const conflicting = ["account", "organizationName", "accountName", "user", "password", "privateKey"].filter(has);
    if (conflicting.length > 0) {
      throw new FloeError(`Only one of floe:connection, snowflake:${conflicting[0]} may be set: floe:connection takes the whole connection from connections.toml.`);
    }
    const connection = withSecretFields(connectionFromToml(named, lookup, "floe:connection"));
    return accessUrl === undefined ? connection : { ...connection, accessUrl };
  }
  if (has("password") && has("privateKey")) throw new FloeError("Only one of snowflake:password, snowflake:privateKey may be set.");
  if (has("account") && (has("organizationName") || has("accountName"))) {
    throw new FloeError("Only one of snowflake:account, snowflake:organizationName + snowflake:accountName may be set.");
  }
  let account = sf.get("account");
  if (account === undefined && (has("organizationName") || has("accountName"))) {
    const org = sf.get("organizationName");
    const name = sf.get("accountName");
    if (org === undefined || name === undefined) throw new FloeError("snowflake:organizationName and snowflake:accountName must be set together.");
    account = `${org}-${name}`;
  }
  if (account === undefined) {
    throw new FloeError(
      "snowflake:account is not set. Set it (pulumi config set snowflake:account ORGNAME-ACCOUNTNAME) with snowflake:user and a secret " +
        "snowflake:privateKey or snowflake:password, or set floe:connection to a connection of your connections.toml.",
    );
  }
  const user = sf.get("user");
  if (user === undefined) throw new FloeError("snowflake:user is not set: pulumi config set snowflake:user <user>.");
  if (!has("password") && !has("privateKey") && sf.get("authenticator") === undefined) {
    throw new FloeError("Neither snowflake:privateKey nor snowflake:password is set: pulumi config set --secret snowflake:privateKey < key.p8 (or snowflake:password).");
  }
  const port = sf.getNumber("port");
  const protocol = sf.get("protocol");
  if (protocol !== undefined && protocol !== "http" && protocol !== "https") throw new FloeError(`snowflake:protocol must be http or https, got ${JSON.stringify(protocol)}.`);
  return {
    account,
    user,
    role: sf.get("role"),
    warehouse: sf.get("warehouse"),
    password: has("password") ? sf.requireSecret("password") : undefined,
    privateKey: has("privateKey") ? sf.requireSecret("privateKey") : undefined,
    privateKeyPassphrase: has("privateKeyPassphrase") ? sf.requireSecret("privateKeyPassphrase") : undefined,
    authenticator: sf.get("authenticator"),
    accessUrl,
    host: sf.get("host"),
    port,
    protocol: protocol as "http" | "https" | undefined,
  };
}

const ACCOUNT = /^([A-Za-z][A-Za-z0-9_]*)-([A-Za-z0-9_]+)$/;

/** Checks the plain fields of a connection; Outputs are checked by Snowflake when used. */
export function checkConnection(connection: SnowflakeConnectionArgs, argument = "[connection]"): void {
  if (connection === null || typeof connection !== "object") throw new FloeError(`${argument} must be an object with account, user and a privateKey or password.`);
  const plain = (v: unknown): v is string => typeof v === "string";
  if (connection.account === undefined || (plain(connection.account) && connection.account.length === 0)) throw new FloeError(`${argument} must have an account (ORGNAME-ACCOUNTNAME).`);
  if (connection.user === undefined || (plain(connection.user) && connection.user.length === 0)) throw new FloeError(`${argument} must have a user.`);
  if (connection.password !== undefined && connection.privateKey !== undefined) throw new FloeError(`${argument} must have only one of password, privateKey.`);
  if (connection.accessUrl !== undefined && plain(connection.accessUrl) && !/^https?:\/\/[^/\s]+\/?$/.test(connection.accessUrl)) {
    throw new FloeError(`${argument} accessUrl must be http(s)://host[:port], got ${JSON.stringify(connection.accessUrl)}.`);
  }
}

/**
 * Arguments of a `@pulumi/snowflake` Provider for the same connection, so that the grants made
 * with @pulumi/snowflake use the account, user and key the dynamic providers use. The account
 * identifier is split into organization and account name, which that provider wants apart.
 */
export function snowflakeProviderArgs(connection: SnowflakeConnectionArgs): snowflake.ProviderArgs {
  const parts = pulumi.output(connection.account).apply((account) => {
    const match = ACCOUNT.exec(account);
    if (match === null) {
      throw new FloeError(
        `[connection] account ${JSON.stringify(account)} must be ORGNAME-ACCOUNTNAME for @pulumi/snowflake; give the provider organizationName and accountName yourself.`,
      );
    }
    return { organizationName: match[1], accountName: match[2] };
  });
  const url = connection.accessUrl === undefined ? undefined : pulumi.output(connection.accessUrl).apply((u) => new URL(u));
  const keyPair = connection.privateKey !== undefined;
  return {
    organizationName: parts.organizationName,
    accountName: parts.accountName,
    user: connection.user,
    role: connection.role,
    warehouse: connection.warehouse,
    password: connection.password === undefined ? undefined : pulumi.secret(connection.password),
    privateKey: connection.privateKey === undefined ? undefined : pulumi.secret(connection.privateKey),
    privateKeyPassphrase: connection.privateKeyPassphrase === undefined ? undefined : pulumi.secret(connection.privateKeyPassphrase),
    authenticator: connection.authenticator ?? (keyPair ? "SNOWFLAKE_JWT" : undefined),
    host: url === undefined ? connection.host : url.apply((u) => u.hostname),
    port: url === undefined ? connection.port : url.apply((u) => (u.port === "" ? (u.protocol === "http:" ? 80 : 443) : Number(u.port))),
    protocol: url === undefined ? connection.protocol : url.apply((u) => u.protocol.replace(/:$/, "")),
  };
}
