// taplo's language server, the build VS Code's Even Better TOML extension runs (@taplo/lsp, WebAssembly), over
// standard input and output with Content-Length framing: what tests/taplo_lsp.py talks to. The environment is
// the extension's own (editors/vscode/src/server.ts in tamasfe/taplo) less the network: fetch refuses, so a
// schema is read from a local file only.
//
//     node tests/taplo-lsp.cjs NODE_MODULES_FOLDER
"use strict";

const fs = require("fs");
const fsPromise = require("fs/promises");
const path = require("path");

const { TaploLsp } = require(path.join(process.argv[2], "@taplo", "lsp"));

function refuse() {
  return Promise.reject(new Error("no network in tests"));
}

function frame(message) {
  const body = Buffer.from(JSON.stringify(message), "utf8");
  process.stdout.write(`Content-Length: ${body.length}\r\n\r\n`);
  process.stdout.write(body);
}

let server;
const ready = TaploLsp.initialize(
  {
    cwd: () => process.cwd(),
    envVar: (name) => process.env[name],
    envVars: () => Object.entries(process.env),
    findConfigFile: (from) => {
      for (const name of [".taplo.toml", "taplo.toml"]) {
        const full = path.join(from, name);
        if (fs.existsSync(full)) return full;
      }
      return undefined;
    },
    glob: () => [],
    isAbsolute: (p) => path.isAbsolute(p),
    now: () => new Date(),
    readFile: (p) => fsPromise.readFile(p),
    writeFile: (p, content) => fsPromise.writeFile(p, content),
    stderr: process.stderr,
    stdErrAtty: () => false,
    stdin: process.stdin,
    stdout: process.stdout,
    urlToFilePath: (url) => decodeURIComponent(url).slice("file://".length),
    fetch: { fetch: refuse, Headers: globalThis.Headers, Request: globalThis.Request, Response: globalThis.Response },
  },
  { onMessage: frame },
).then((lsp) => {
  server = lsp;
});

let buffer = Buffer.alloc(0);
process.stdin.on("data", async (chunk) => {
  buffer = Buffer.concat([buffer, chunk]);
  await ready;
  for (;;) {
    const end = buffer.indexOf("\r\n\r\n");
    if (end < 0) return;
    const header = buffer.subarray(0, end).toString("ascii");
    const length = Number(/content-length:\s*(\d+)/i.exec(header)[1]);
    if (buffer.length < end + 4 + length) return;
    const message = JSON.parse(buffer.subarray(end + 4, end + 4 + length).toString("utf8"));
    buffer = buffer.subarray(end + 4 + length);
    if (message.method === "exit") process.exit(0);
    server.send(message);
  }
});
process.stdin.on("end", () => process.exit(0));
process.on("unhandledRejection", (reason) => {
  process.stderr.write(`${reason}\n`);
  process.exit(1);
});
