/**
 * `floe/providers`: the dynamic providers over snowflake-sdk, as `pulumi up` runs them. Every
 * operation leases the shared session of its connection (snowflake/sessions.ts), so a
 * deployment logs in once, however many resources it creates.
 *
 * This is the entry point the provider process loads when floe is installed in a Pulumi project
 * (see hosted.ts); in floe's own checkout the same objects are serialized by value.
 * SERIALIZATION RULE: see snowflake/facade.ts.
 */
import { leaseSession } from "../../snowflake/sessions";
import { makeProviders, type Providers } from "./index";

export type { Providers } from "./index";

/** One object per kind, so Pulumi serializes each once per program (it caches by provider object). */
export const sdkProviders: Providers = makeProviders(leaseSession);
