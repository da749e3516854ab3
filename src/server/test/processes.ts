/**
 * Servers as child processes on loopback, for the browser tests, the multi-instance test and the
 * benchmarks: the real entry point run by Node with tsx, its output in a log file, ready once a
 * health URL answers 200.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../..', import.meta.url));

/** A TCP port nobody listens on right now (the OS picks it). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** The last lines of a log file ('' when there is none). */
export function tailOf(file: string, lines = 30): string {
  try {
    return fs.readFileSync(file, 'utf8').split('\n').slice(-lines).join('\n');
  } catch {
    return '';
  }
}

export interface NodeServer {
  name: string;
  proc: ChildProcess;
  pid: number;
  port: number;
  /** http://127.0.0.1:<port> */
  url: string;
  logFile: string;
  /** Exit code once it has exited (128 + nothing for a signal), else null. */
  exitCode(): number | null;
  /** Resolves when the process has exited. */
  exited: Promise<void>;
  /** Sends a signal and waits for the exit. SIGKILL is a crash: nothing is finished or closed. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** SIGTERM (a graceful stop), SIGKILL after `graceMs`; safe to call twice. */
  stop(graceMs?: number): Promise<void>;
}

export interface StartNodeOptions {
  name: string;
  /** Arguments after `node --import tsx`: the script and its flags, possibly Node flags first. */
  args: string[];
  env: NodeJS.ProcessEnv;
  /** Its output (stdout and stderr) goes here. */
  logFile: string;
  /** Path polled until it answers 200. */
  readyPath: string;
  /** Port to listen on (PORT, with HOST=127.0.0.1); a free one by default. */
  port?: number;
  readyTimeoutMs?: number;
}

/** Starts a TypeScript entry point and waits until it answers on `readyPath`. */
export async function startNode(o: StartNodeOptions): Promise<NodeServer> {
  const port = o.port ?? (await freePort());
  const fd = fs.openSync(o.logFile, 'a');
  const proc = spawn(process.execPath, ['--import', 'tsx', ...o.args], {
    cwd: ROOT,
    env: { ...o.env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', fd, fd],
  });
  fs.closeSync(fd);
  let code: number | null = null;
  const exited = new Promise<void>((resolve) =>
    proc.once('exit', (c, signal) => {
      code = c ?? (signal ? 128 : 1);
      resolve();
    }),
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (o.readyTimeoutMs ?? 180_000);
  for (;;) {
    if (code !== null)
      throw new Error(`${o.name} exited (${code}) before it was ready:\n${tailOf(o.logFile)}`);
    try {
      const r = await fetch(`${url}${o.readyPath}`);
      await r.arrayBuffer();
      if (r.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(
        `${o.name} not ready after ${(o.readyTimeoutMs ?? 180_000) / 1000} s:\n${tailOf(o.logFile)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  const kill = async (signal: NodeJS.Signals = 'SIGTERM') => {
    if (code !== null) return;
    proc.kill(signal);
    await exited;
  };
  let stopping: Promise<void> | undefined;
  return {
    name: o.name,
    proc,
    pid: proc.pid as number,
    port,
    url,
    logFile: o.logFile,
    exitCode: () => code,
    exited,
    kill,
    stop(graceMs = 20_000) {
      stopping ??= (async () => {
        if (code !== null) return;
        const t = setTimeout(() => proc.kill('SIGKILL'), graceMs);
        await kill('SIGTERM');
        clearTimeout(t);
      })();
      return stopping;
    },
  };
}
