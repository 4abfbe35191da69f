/** Preprocessing layers that change or keep shape. */
import { LayerSpec } from "../spec";

export const preprocessingLayers: LayerSpec[] = [];
