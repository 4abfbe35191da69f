/**
 * All layer specs, by Keras class name and alias, and PyTorch's by their paths (`torch/index.ts`). Adding a layer is adding a
 * spec to its family file; adding a family is one import here.
 *
 * PyTorch's specs (512 of them, 260 KB of the unminified bundle) are built only when a `torch.` name is first
 * looked up: a file that uses no PyTorch, the most common, does not wait for them as the server starts.
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
];

/** Every PyTorch name starts so, and no other family's does. */
const TORCH_PREFIX = "torch.";

function buildIndex(specs: readonly LayerSpec[], torch: boolean): ReadonlyMap<string, LayerSpec> {
  const index = new Map<string, LayerSpec>();
  for (const spec of specs) {
    for (const name of [spec.name, ...(spec.aliases ?? [])]) {
      if (index.has(name)) throw new Error(`layer name registered twice: ${name}`);
      if (name.startsWith(TORCH_PREFIX) !== torch) throw new Error(`layer name in the wrong index: ${name}`);
      index.set(name, spec);
    }
  }
  return index;
}

const index = buildIndex(families.flat(), false);

let torch: { readonly specs: readonly LayerSpec[]; readonly index: ReadonlyMap<string, LayerSpec> } | undefined;
function torchSpecs(): NonNullable<typeof torch> {
  if (!torch) {
    // A require, not an import: the bundler then evaluates the PyTorch modules only when this runs.
    const specs = (require("./torch") as typeof import("./torch")).torchFamilies.flat();
    torch = { specs, index: buildIndex(specs, true) };
  }
  return torch;
}

export function findLayer(name: string): LayerSpec | undefined {
  return name.startsWith(TORCH_PREFIX) ? torchSpecs().index.get(name) : index.get(name);
}

export function allLayers(): LayerSpec[] {
  return [...families.flat(), ...torchSpecs().specs];
}

/**
 * The spec behind a Keras functional form such as `keras.layers.concatenate(inputs, axis=1)`:
 * the first argument is the list of tensors, the others bind to the spec's params.
 */
export function findFunctionalForm(name: string): LayerSpec | undefined {
  return functionalForms.get(name);
}
