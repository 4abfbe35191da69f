/** The `layerLens` settings the server reads from the client. */
import { HintOptions } from "../engine/report";
import { KerasVersion } from "../python/libraries/generation";

export interface Settings extends HintOptions {
  readonly totals: boolean;
  /** `layerLens.kerasVersion`: "auto" (each file's imports tell), or the Keras generation every file is read as. */
  readonly kerasVersion: KerasVersion;
}

export const defaultSettings: Settings = { shapes: true, parameters: true, totals: true, batchDimension: true, kerasVersion: "auto" };

/** Reads the `layerLens` section; anything missing or of the wrong type keeps its default. */
export function readSettings(section: unknown): Settings {
  const hints = (section as { hints?: Record<string, unknown> } | null)?.hints ?? {};
  const flag = (key: keyof HintOptions | "totals") => (typeof hints[key] === "boolean" ? (hints[key] as boolean) : defaultSettings[key]);
  const version = (section as { kerasVersion?: unknown } | null)?.kerasVersion;
  const kerasVersion = version === "2" || version === 2 ? 2 : version === "3" || version === 3 ? 3 : "auto";
  return { shapes: flag("shapes"), parameters: flag("parameters"), totals: flag("totals"), batchDimension: flag("batchDimension"), kerasVersion };
}

/** Whether two readings of the settings agree on every one (each reading has them all). */
export function sameSettings(a: Settings, b: Settings): boolean {
  return (Object.keys(a) as (keyof Settings)[]).every((key) => a[key] === b[key]);
}
