/** Recurrent layers. */
import { LayerSpec } from "../spec";

export const recurrentLayers: LayerSpec[] = [];
