/**
 * The global dtype policy a file sets, from its syntax (libraries/dtypePolicy.ts): a layer reads the policy when
 * it is made, so it is the file's only when set once, at the top level, with a string, before anything runs.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { parsePython } from "../../server/src/python/parser";
import { treeDtypePolicy } from "../../server/src/python/libraries/dtypePolicy";

const policy = (source: string) => treeDtypePolicy(parsePython(source), source);

test("set once after the imports: the policy, under each name Keras and TensorFlow give the function", () => {
  assert.equal(policy(`import keras\nkeras.mixed_precision.set_global_policy("mixed_float16")\nmodel = keras.Sequential()\n`), "mixed_float16");
  assert.equal(policy(`from tensorflow.keras import mixed_precision\nmixed_precision.set_global_policy('mixed_bfloat16')\n`), "mixed_bfloat16");
  assert.equal(policy(`import keras\nkeras.config.set_dtype_policy("float16")\n`), "float16");
  // float32 is Keras's own default: no policy to carry.
  assert.equal(policy(`import keras\nkeras.mixed_precision.set_global_policy("float32")\n`), undefined);
  assert.equal(policy(`import keras\nBATCH = 32\nkeras.mixed_precision.set_global_policy("mixed_float16")\n`), "mixed_float16");
});

test("unknown (?) when layers may already exist, when it is set in a function or twice, or not with a string", () => {
  assert.equal(policy(`import keras\nd = keras.layers.Dense(3)\nkeras.mixed_precision.set_global_policy("mixed_float16")\n`), "?");
  assert.equal(policy(`import keras\ndef setup():\n    keras.mixed_precision.set_global_policy("mixed_float16")\n`), "?");
  assert.equal(policy(`import keras\nkeras.mixed_precision.set_global_policy("mixed_float16")\nkeras.mixed_precision.set_global_policy("float32")\n`), "?");
  assert.equal(policy(`import keras\nkeras.mixed_precision.set_global_policy(POLICY)\n`), "?");
});

test("a file that does not set one has none", () => {
  assert.equal(policy(`import keras\nmodel = keras.Sequential([keras.layers.Dense(3)])\n`), undefined);
});
