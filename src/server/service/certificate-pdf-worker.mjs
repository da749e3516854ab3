/**
 * Draws certificate PDFs off the server's event loop (certificates.ts starts it). Plain
 * JavaScript that registers tsx for the TypeScript it imports, as scripts/start.mjs does: a
 * worker does not inherit the main thread's loader.
 */
import { parentPort } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { renderCertificatePdf } = await import('./certificate-pdf.ts');

parentPort?.on('message', async (m) => {
  try {
    const pdf = await renderCertificatePdf(m.r, m.verifyUrl);
    parentPort?.postMessage({ id: m.id, pdf: new Uint8Array(pdf.buffer, pdf.byteOffset, pdf.byteLength) });
  } catch (e) {
    parentPort?.postMessage({ id: m.id, error: e instanceof Error ? e.message : String(e) });
  }
});
