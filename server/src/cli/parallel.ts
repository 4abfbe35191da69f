/**
 * Many files analysed at once, across worker threads: each worker runs this same bundle,
 * takes a file at a time and hands back its report (plain data). Workers start only when
 * there are enough files to repay their start-up, and the reports come back in the order
 * the files were named, whatever order they finish in.
 */
import { Worker, isMainThread, parentPort, workerData } from "node:worker_threads";
import { FileReport, RunSettings, analyseFile } from "./report";

/** A worker starts in about the time a few files take to analyse: fewer files per worker are done faster in one thread. */
const FILES_PER_WORKER = 4;

interface Job {
  readonly index: number;
  readonly file: string;
}

function analyseSafely(file: string, settings: RunSettings): FileReport {
  try {
    return analyseFile(file, settings);
  } catch (e) {
    return { file, models: [], diagnostics: [], text: "", error: `could not analyse ${file}: ${(e as Error).message}` };
  }
}

/** In a worker thread, serves the main thread's jobs and returns true; in the main thread returns false. */
export function serveAsWorker(): boolean {
  if (isMainThread || !parentPort) return false;
  const port = parentPort;
  const settings = workerData as RunSettings;
  port.on("message", (job: Job) => port.postMessage({ index: job.index, report: analyseSafely(job.file, settings) }));
  return true;
}

export async function analyseAll(files: readonly string[], settings: RunSettings, jobs: number): Promise<FileReport[]> {
  const workers = Math.min(jobs, Math.floor(files.length / FILES_PER_WORKER));
  if (workers <= 1) return files.map((file) => analyseSafely(file, settings));
  const reports: FileReport[] = new Array(files.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: workers }, () => {
      const worker = new Worker(__filename, { workerData: settings });
      return new Promise<void>((resolve, reject) => {
        const give = () => {
          if (next < files.length) {
            const index = next++;
            worker.postMessage({ index, file: files[index] } satisfies Job);
          } else void worker.terminate().then(() => resolve());
        };
        worker.on("message", ({ index, report }: { index: number; report: FileReport }) => {
          reports[index] = report;
          give();
        });
        worker.on("error", reject);
        give();
      });
    }),
  );
  return reports;
}
