/** The `layerLens` settings the server reads from the client. */
import { HintOptions } from "../engine/report";

export interface Settings extends HintOptions {
  readonly totals: boolean;
}

export const defaultSettings: Settings = { shapes: true, parameters: true, totals: true, batchDimension: true };

/** Reads the `layerLens` section; anything missing or of the wrong type keeps its default. */
export function readSettings(section: unknown): Settings {
  const hints = (section as { hints?: Record<string, unknown> } | null)?.hints ?? {};
  const flag = (key: keyof Settings) => (typeof hints[key] === "boolean" ? (hints[key] as boolean) : defaultSettings[key]);
  return { shapes: flag("shapes"), parameters: flag("parameters"), totals: flag("totals"), batchDimension: flag("batchDimension") };
}
