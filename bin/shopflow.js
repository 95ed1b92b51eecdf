#!/usr/bin/env node
// The `shopflow` command (package bin): runs the TypeScript CLI through tsx, no build needed.
require('tsx/cjs');
require('../server/main/cli.ts').runCli(process.argv.slice(2));
