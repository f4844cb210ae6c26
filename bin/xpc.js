#!/usr/bin/env node
require('../dist/cli.js').main(process.argv.slice(2)).then(
  (code) => { process.exitCode = code; },
  (e) => { console.error(`xpc: internal error: ${e && e.stack ? e.stack : e}`); process.exitCode = 70; },
);
