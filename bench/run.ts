/**
 * `npm run bench`: runs every scenario in one process on this machine and writes
 * bench/results/<date>.json plus a readable table. Figures are only comparable within one run.
 */
import fs from 'node:fs';
import os from 'node:os';
import { printStall, runStall } from './stall.ts';

const started = new Date();
const stall = await runStall(Number(process.env.BENCH_SECONDS ?? 6));
printStall(stall);
const file = new URL(`./results/${started.toISOString().slice(0, 10)}.json`, import.meta.url);
fs.writeFileSync(
  file,
  `${JSON.stringify({ at: started.toISOString(), node: process.version, cpus: os.cpus().length, host: os.hostname(), stall }, null, 2)}\n`,
);
console.log(`\nwritten ${file.pathname}`);
