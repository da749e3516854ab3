import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const stampFile = path.join(root, 'dist/web/.build-stamp');
const SOURCES = ['src/web', 'src/contracts', 'vite.config.ts', 'package-lock.json'];

function newestMtime(p: string): number {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const e of fs.readdirSync(p)) max = Math.max(max, newestMtime(path.join(p, e)));
  return max;
}

/**
 * Builds the web apps when their sources changed since the last build, so `npm start` needs no
 * separate build step and a stale bundle is never served. The build runs in a child process:
 * Vite and Rollup take several hundred MB that would otherwise stay in the server's heap.
 */
export async function ensureWebBuilt({ quiet = false } = {}): Promise<boolean> {
  const srcTime = Math.max(...SOURCES.map((p) => newestMtime(path.join(root, p))));
  const stamp = Number(fs.existsSync(stampFile) ? fs.readFileSync(stampFile, 'utf8') : 0);
  if (stamp >= srcTime && fs.existsSync(path.join(root, 'dist/web/console/index.html'))) return false;
  const say = (s: string) => !quiet && process.stdout.write(`[gongzhi] ${s}\n`);
  say('正在构建网页（首次启动或网页代码有更新）… building the web apps');
  const t = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--build'], {
    cwd: root,
    stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'],
    env: { ...process.env, GZ_WEB_BUILD_QUIET: quiet ? '1' : '' },
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  if (code !== 0) throw new Error(`网页构建失败 / the web build failed (exit ${code})`);
  fs.writeFileSync(stampFile, String(srcTime));
  say(`网页构建完成（${Date.now() - t} ms）`);
  return true;
}

async function build(quiet: boolean) {
  const { build } = await import('vite');
  // Vite keeps an inherited NODE_ENV (vitest sets "test"), which would ship React's and antd's
  // development builds (ids like "test-id", dev-only class names) to real users.
  process.env.NODE_ENV = 'production';
  await build({
    configFile: path.join(root, 'vite.config.ts'),
    mode: 'production',
    logLevel: quiet ? 'silent' : 'warn',
  });
}

if (process.argv[2] === '--build' && process.argv[1] === fileURLToPath(import.meta.url)) {
  await build(process.env.GZ_WEB_BUILD_QUIET === '1');
}
