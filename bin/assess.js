#!/usr/bin/env node
// The `assess` command: runs the compiled CLI (npm install builds dist/) in a worker thread
// whose heap fits a country's year (dist/cli/heap.js says why).
import { runInWorker } from '../dist/cli/heap.js';

process.exitCode = await runInWorker(process.argv.slice(2));
