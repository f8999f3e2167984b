/**
 * vitest runs floe's TypeScript through its own module system, where Node's `require` cannot
 * load a `.ts` file: the modules floe loads on first use (generators/deferred.ts) are handed
 * over here, as the same instances the tests import.
 */
import { provideDeferred } from "../../generators/deferred";
import * as hooks from "../../generators/hooks";
import * as lifecycleBuild from "../../generators/compile/lifecycle-build";

provideDeferred({ hooks, lifecycleBuild });
