/**
 * All layer specs, by Keras class name and alias, and PyTorch's by their paths (`torch/index.ts`). Adding a layer is adding a
 * spec to its family file; adding a family is one import here.
 */
import { LayerSpec } from "../spec";
import { coreLayers } from "./core";
import { convolutionLayers } from "./convolution";
import { poolingLayers } from "./pooling";
import { reshapingLayers } from "./reshaping";
import { normalizationLayers } from "./normalization";
import { activationLayers } from "./activation";
import { regularizationLayers } from "./regularization";
import { embeddingLayers } from "./embedding";
import { preprocessingLayers } from "./preprocessing";
import { recurrentLayers } from "./recurrent";
import { wrapperLayers } from "./wrappers";
import { functionalForms, mergingLayers } from "./merging";
import { attentionLayers } from "./attention";
import { tfOps } from "./tfops";
import { elementwiseOps } from "./elementwise";
import { tensorOps } from "./tensorops";
import { indexingSpecs } from "./indexing";
import { locallyConnectedLayers } from "./locally_connected";
import { torchFamilies } from "./torch";

const families: readonly (readonly LayerSpec[])[] = [
  coreLayers,
  convolutionLayers,
  poolingLayers,
  reshapingLayers,
  normalizationLayers,
  activationLayers,
  regularizationLayers,
  embeddingLayers,
  preprocessingLayers,
  recurrentLayers,
  wrapperLayers,
  mergingLayers,
  attentionLayers,
  tfOps,
  elementwiseOps,
  tensorOps,
  indexingSpecs,
  locallyConnectedLayers,
  ...torchFamilies,
];

function buildIndex(): ReadonlyMap<string, LayerSpec> {
  const index = new Map<string, LayerSpec>();
  for (const spec of families.flat()) {
    for (const name of [spec.name, ...(spec.aliases ?? [])]) {
      if (index.has(name)) throw new Error(`layer name registered twice: ${name}`);
      index.set(name, spec);
    }
  }
  return index;
}

const index = buildIndex();

export function findLayer(name: string): LayerSpec | undefined {
  return index.get(name);
}

export function allLayers(): LayerSpec[] {
  return families.flat();
}

/**
 * The spec behind a Keras functional form such as `keras.layers.concatenate(inputs, axis=1)`:
 * the first argument is the list of tensors, the others bind to the spec's params.
 */
export function findFunctionalForm(name: string): LayerSpec | undefined {
  return functionalForms.get(name);
}
