// Entry point of dist/debug-adapter.js (scripts/build.mjs): the adapter on stdio. `xpc dap`
// runs the same through stdio.ts (this file starts the server when loaded, so nothing imports it).

import { serveDapStdio } from './stdio';

serveDapStdio();
