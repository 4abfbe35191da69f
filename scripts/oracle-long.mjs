// The differential tests against TensorFlow.js and PyTorch in long mode: ORACLE_RUNS (default 10)
// multiplies the number of random cases and models (PyTorch's: TORCH_ORACLE_CASES per module, 12 in
// `npm test`, and TORCH_ORACLE_SCRIPTS, 60 in `npm test`). Usage: npm run test:oracle:long
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";

const runs = process.env.ORACLE_RUNS ?? "10";
const result = spawnSync(
  process.execPath,
  ["--import", "tsx", "--test", "--test-reporter=spec", ...process.argv.slice(2), ...readdirSync("test/oracle").filter((f) => f.endsWith(".test.ts")).map((f) => `test/oracle/${f}`)],
  {
    stdio: "inherit",
    env: {
      ...process.env,
      ORACLE_RUNS: runs,
      TORCH_ORACLE_CASES: process.env.TORCH_ORACLE_CASES ?? String(12 * Number(runs)),
      TORCH_ORACLE_SCRIPTS: process.env.TORCH_ORACLE_SCRIPTS ?? String(60 * Number(runs)),
    },
  },
);
process.exit(result.status ?? 1);
