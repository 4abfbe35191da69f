#!/usr/bin/env node
// `layer-lens PATH...`: each Keras model's summary and the diagnostics (see `layer-lens --help`).
require("../dist/cli.js");
