#!/usr/bin/env node
// The `assess` command: runs the compiled CLI (npm install builds dist/).
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, env: process.env });
