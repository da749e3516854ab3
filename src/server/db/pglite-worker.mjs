// Runs PGlite off the HTTP thread: a long query here cannot stall the event loop that serves
// requests. Plain JS so it loads in a worker without a TypeScript loader.
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

const { dataDir, socketPath } = workerData;
let db;
let server;
try {
  db = new PGlite({ dataDir, extensions: { pg_trgm } });
  await db.waitReady;
  // One connection only: more than one multiplexed socket client was seen to run a statement on
  // another client's session (see STACK-NOTES).
  server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 1 });
  await server.start();
  parentPort.postMessage({ type: 'ready' });
} catch (err) {
  parentPort.postMessage({ type: 'error', message: String(err?.stack ?? err) });
}

parentPort.on('message', async (msg) => {
  if (msg?.type !== 'close') return;
  try {
    await server?.stop();
    await db?.close();
    parentPort.postMessage({ type: 'closed' });
  } catch (err) {
    parentPort.postMessage({ type: 'closed', error: String(err) });
  }
});
