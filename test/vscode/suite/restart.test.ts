/// <reference types="mocha" />
// Layer Lens: Restart Server, as a user runs it from the command palette: the server the extension
// started as it was loaded is stopped, another is started, and it answers as the first did.
import * as vscode from "vscode";
import { closeAllEditors, examplePath, hintsOnLine, lineOf, openFile } from "./helpers";

suite("Restart Server", () => {
  suiteTeardown(closeAllEditors);

  test("a new server gives the hints again", async () => {
    const doc = (await openFile(examplePath("mnist_cnn.py"))).document;
    const conv = lineOf(doc, "layers.Conv2D(32");
    // Conv2D(32, (3, 3)) on 28×28×1: 28 − 3 + 1 = 26; (3·3·1 + 1)·32 = 320 parameters.
    const label = ["(None, 26, 26, 32) · 320 params"];
    await hintsOnLine(doc, conv, label);
    // Resolves once the client has stopped the server and started another (an error message otherwise):
    // a stopped client has no hint provider, so the hints come back only from a running server.
    await vscode.commands.executeCommand("layerLens.restartServer");
    await hintsOnLine(doc, conv, label);
    await vscode.commands.executeCommand("layerLens.restartServer");
    await hintsOnLine(doc, conv, label);
  });
});
