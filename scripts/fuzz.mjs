// The long fuzzing run: the same properties as test/robustness/fuzz.test.ts and
// differential.test.ts (which `npm test` runs at a size that fits CI), with many more cases, and
// the request latencies printed. Usage: node scripts/fuzz.mjs [runs per property, default 500]
import { spawnSync } from "node:child_process";

const runs = process.argv[2] ?? "500";
const build = spawnSync(process.execPath, ["scripts/build.mjs"], { stdio: "inherit" });
if (build.status !== 0) process.exit(build.status ?? 1);
const result = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", "test/robustness/fuzz.test.ts", "test/robustness/differential.test.ts"], {
  stdio: "inherit",
  env: { ...process.env, FUZZ_RUNS: runs },
});
process.exit(result.status ?? 1);
