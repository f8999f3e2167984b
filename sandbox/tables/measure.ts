/**
 * Prints what the table store costs: start-up (worker + DuckDB + parser + macros) and the median
 * time of simple statements through the full synchronous path (parse, translate, bridge, convert).
 * Run with `npx tsx sandbox/tables/measure.ts`. Prints only; nothing is asserted.
 */
import { TableStore } from "./index";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length * p) / 100))]!;
}

async function main(): Promise<void> {
  const rssBefore = process.memoryUsage().rss;
  const t0 = performance.now();
  const store = await TableStore.start();
  const startMs = performance.now() - t0;

  const scope = { database: "BENCH", schema: "PUBLIC" };
  const hooks = { systemFunction: () => null };
  store.createSchema(scope.database, scope.schema);
  store.execute("create table kv (k string, v variant, n number)", [], scope, hooks);

  const time = (label: string, count: number, statement: (i: number) => [string, (string | number)[]]) => {
    const samples: number[] = [];
    for (let i = 0; i < count; i++) {
      const [sql, binds] = statement(i);
      const s = performance.now();
      store.execute(sql, binds, scope, hooks);
      samples.push(performance.now() - s);
    }
    console.log(
      `${label.padEnd(44)} median ${median(samples).toFixed(3)} ms   p95 ${percentile(samples, 95).toFixed(3)} ms   (n=${count})`,
    );
  };

  console.log(`start (worker + DuckDB + parser + macros)      ${startMs.toFixed(0)} ms`);
  time("SELECT 1", 1000, () => ["select 1", []]);
  time("INSERT ... SELECT ?, PARSE_JSON(?), ?", 1000, (i) => [
    "insert into kv (k, v, n) select ?, parse_json(?), ?",
    [`k${i}`, JSON.stringify({ status: "new", i }), i],
  ]);
  time("SELECT ... WHERE v:status::string = ? AND k = ?", 1000, (i) => [
    "select k, v:status from kv where v:status::string = ? and k = ?",
    ["new", `k${i}`],
  ]);
  time("UPDATE ... SET v = OBJECT_CONSTRUCT(...)", 1000, (i) => [
    "update kv set v = object_construct('status', 'done', 'i', ?) where k = ?",
    [i, `k${i}`],
  ]);
  console.log(`RSS growth ${((process.memoryUsage().rss - rssBefore) / 1e6).toFixed(0)} MB`);
  await store.close();
}

void main();
