/** The `layerLens` settings the server reads from the client. */
import { HintOptions, MAX_HINT_LINE } from "../engine/report";
import { KerasVersion } from "../python/libraries/generation";

export interface Settings extends HintOptions {
  readonly totals: boolean;
  /**
   * `layerLens.hints.maximumLength`: the characters a line's hints may take together (0: no limit).
   * VS Code's own `editor.inlayHints.maximumLength` by default; other editors have no such limit.
   */
  readonly maximumLength: number;
  readonly macs: boolean;
  /** `layerLens.kerasVersion`: "auto" (each file's imports tell), or the Keras generation every file is read as. */
  readonly kerasVersion: KerasVersion;
}

export const defaultSettings: Settings = {
  shapes: true,
  parameters: true,
  totals: true,
  batchDimension: true,
  macs: false,
  maximumLength: MAX_HINT_LINE,
  kerasVersion: "auto",
};

/** Reads the `layerLens` section; anything missing or of the wrong type keeps its default. */
export function readSettings(section: unknown): Settings {
  const hints = (section as { hints?: Record<string, unknown> } | null)?.hints ?? {};
  const flag = (key: Exclude<keyof Settings, "kerasVersion" | "maximumLength">) => (typeof hints[key] === "boolean" ? (hints[key] as boolean) : defaultSettings[key]);
  const length = hints.maximumLength;
  const maximumLength = typeof length === "number" && Number.isInteger(length) && length >= 0 ? length : defaultSettings.maximumLength;
  const version = (section as { kerasVersion?: unknown } | null)?.kerasVersion;
  const kerasVersion = version === "2" || version === 2 ? 2 : version === "3" || version === 3 ? 3 : "auto";
  return { shapes: flag("shapes"), parameters: flag("parameters"), totals: flag("totals"), batchDimension: flag("batchDimension"), macs: flag("macs"), maximumLength, kerasVersion };
}

/** The characters a line's hints may take together: no limit is an infinite budget. */
export function lineBudget(settings: Settings): number {
  return settings.maximumLength === 0 ? Infinity : settings.maximumLength;
}

/** Whether two readings of the settings agree on every one (each reading has them all). */
export function sameSettings(a: Settings, b: Settings): boolean {
  return (Object.keys(a) as (keyof Settings)[]).every((key) => a[key] === b[key]);
}
