/** Wrappers around another layer. */
import { LayerSpec } from "../spec";

export const wrapperLayers: LayerSpec[] = [];
