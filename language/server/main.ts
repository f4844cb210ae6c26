// Entry point of the language server bundle (dist/language-server.js): the transport comes
// from the command line as the client launches it (--stdio, --node-ipc, --socket=N).
// `xpc lsp --stdio` serves through serveStdio instead; nothing imports this file.

import { ProposedFeatures, createConnection } from 'vscode-languageserver/node';
import { startServer } from './server';

startServer(createConnection(ProposedFeatures.all));
