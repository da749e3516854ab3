// `npm start`: builds the web apps when their sources changed since the last build, then runs the
// server in this same process (one process: signals and memory are the server's own).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const root = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const stampFile = path.join(root, 'dist/web/.build-stamp');

function newestMtime(p) {
  const st = fs.statSync(p, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const e of fs.readdirSync(p)) max = Math.max(max, newestMtime(path.join(p, e)));
  return max;
}

export function webSourcesMtime() {
  return Math.max(
    ...['src/web', 'src/contracts', 'vite.config.ts', 'package-lock.json'].map((p) =>
      newestMtime(path.join(root, p)),
    ),
  );
}

export async function ensureWebBuilt({ quiet = false } = {}) {
  const srcTime = webSourcesMtime();
  const stamp = Number(fs.existsSync(stampFile) ? fs.readFileSync(stampFile, 'utf8') : 0);
  if (stamp >= srcTime && fs.existsSync(path.join(root, 'dist/web/console/index.html'))) return false;
  if (!quiet)
    process.stdout.write(
      '[gongzhi] 正在构建网页（首次启动或网页代码有更新，约需 30 秒）… building the web apps\n',
    );
  const t = Date.now();
  const { build } = await import('vite');
  await build({ configFile: path.join(root, 'vite.config.ts'), logLevel: quiet ? 'silent' : 'warn' });
  fs.writeFileSync(stampFile, String(srcTime));
  if (!quiet) process.stdout.write(`[gongzhi] 网页构建完成（${Date.now() - t} ms）\n`);
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  await ensureWebBuilt();
  register();
  await import('../src/server/main.ts');
}
