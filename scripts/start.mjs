// `npm start`: one process that builds the web apps if their sources changed, then runs the
// server (signals and memory are the server's own; no second process to supervise).
import { register } from 'tsx/esm/api';

register();
const { ensureWebBuilt } = await import('./web-build.ts');
await ensureWebBuilt();
await import('../src/server/main.ts');
