/**
 * PyTorch's modules, functions and tensor methods, as specs over the same engine as Keras's layers.
 * Names are PyTorch's paths: a module by its path under `torch.nn` (`torch.nn.Conv2d`), a function by its
 * own (`torch.nn.functional.relu`, `torch.cat`), a tensor method as `torch.Tensor.<name>` with the tensor
 * first. PyTorch's shapes are channels-first and concrete: the batch is a number, never None.
 */
import { LayerSpec } from "../../spec";
import { torchFactories } from "./factories";
import { torchLinearModules } from "./linear";
import { torchNormalizationModules } from "./normalization";
import { torchActivationModules } from "./activation";
import { torchDropoutModules } from "./dropout";
import { torchEmbeddingModules } from "./embedding";
import { torchRecurrentModules } from "./recurrent";
import { torchConvolutionModules } from "./convolution";
import { torchPoolingModules } from "./pooling";
import { torchTransformerModules } from "./transformer";
import { torchResamplingModules } from "./resampling";
import { torchLossModules } from "./loss";
import { torchFunctional } from "./functional";
import { torchFunctions } from "./tensorFunctions";
import { torchTensorMethods } from "./tensorMethods";

export const torchFamilies: readonly (readonly LayerSpec[])[] = [
  torchFactories,
  torchLinearModules,
  torchNormalizationModules,
  torchActivationModules,
  torchDropoutModules,
  torchEmbeddingModules,
  torchRecurrentModules,
  torchConvolutionModules,
  torchPoolingModules,
  torchTransformerModules,
  torchResamplingModules,
  torchLossModules,
  torchFunctional,
  torchFunctions,
  torchTensorMethods,
];
