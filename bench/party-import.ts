/**
 * The member ledger import at city scale (issue 5: 83,049 rows in ≤ 60 s on PostgreSQL): a
 * workbook of invented members spread over the demo's compounds is uploaded to a gongzhi server
 * as the city administrator would, through POST /api/v1/party/members/import. Three passes: the
 * first import (all new), the same file again (all unchanged), and a file with one row in ten
 * changed (phone, and every twentieth row's ledger).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import pg from 'pg';
import { makeIdNumber } from '../src/server/party/id-number.ts';
import { COLUMNS } from '../src/server/party/ledger-xlsx.ts';
import { login } from '../src/server/test/cluster-checks.ts';
import { multipart } from '../src/server/test/multipart.ts';
import { type NodeServer, startNode } from '../src/server/test/processes.ts';
import { prepareDemoDatabase } from './database.ts';
import { sampleProcesses } from './proc.ts';

export interface PartyImportFigures {
  rows: number;
  fileMb: number;
  passes: {
    pass: string;
    seconds: number;
    status: string;
    created: number;
    updated: number;
    unchanged: number;
    serverRssPeakMb: number | null;
    serverCpuPct: number | null;
  }[];
  target: { maxSeconds: number; met: boolean };
}

const LEDGERS = ['直管党员', '离退休党员', '在职党员', '流动党员'];

async function workbook(file: string, codes: string[], rows: number, variant: number) {
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    filename: file,
    useStyles: false,
    useSharedStrings: false,
  });
  const ws = wb.addWorksheet('党员台账');
  ws.columns = COLUMNS.map((c) => ({ header: c.header, key: c.key }));
  for (let i = 0; i < rows; i++) {
    const r = (i * 2654435761) >>> 0;
    const ledgerIdx = r % 100 < 45 ? 0 : r % 100 < 80 ? 1 : r % 100 < 97 ? 2 : 3;
    const changed = variant > 0 && i % 10 === 0;
    const ledger = LEDGERS[changed && i % 20 === 0 ? (ledgerIdx + 1) % 3 : ledgerIdx] as string;
    // A birth date per block of 500 rows and the row's place in the block as the sequence: every
    // ID number in the file is different, as on a real ledger.
    const birth = new Date(Date.UTC(1940, 0, 1) + Math.floor(i / 500) * 131 * 86_400_000)
      .toISOString()
      .slice(0, 10);
    const year = Number(birth.slice(0, 4));
    ws.addRow({
      name: `党员${i}`,
      idNumber: makeIdNumber('140202', birth, 2 * (i % 500), i % 2 ? 'male' : 'female'),
      phone: `13${String((changed ? 500_000_000 : 0) + i).padStart(9, '0')}`,
      compound: codes[i % codes.length],
      ledger,
      standing: r % 50 === 0 ? '预备党员' : '正式党员',
      joinedOn: `${Math.min(year + 22, 2024)}-07-01`,
      skills: r % 3 === 0 ? '电工、理发' : '',
      frail: r % 40 === 0 ? '是' : '否',
      ...(ledger === '流动党员'
        ? {
            mobileDirection: '流出',
            mobilePlace: '北京市朝阳区',
            mobileContact: '13900000000',
            mobileCertificate: `LD${i}`,
          }
        : {}),
    }).commit();
  }
  ws.commit();
  await wb.commit();
}

export async function runPartyImportBench(
  databaseUrl: string,
  rows = 83_049,
  log: (m: string) => void = (m) => process.stderr.write(`[bench] ${m}\n`),
): Promise<PartyImportFigures> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'gz-party-'));
  log(`party import: preparing ${databaseUrl.replace(/\/\/[^@]*@/, '//')}`);
  const prepared = await prepareDemoDatabase({ databaseUrl }, (m) => log(`  ${m}`));
  // Each run starts from an empty ledger (organisations kept).
  await prepared.session.query('delete from party_member_events');
  await prepared.session.query('delete from party_members');
  const codes = (await prepared.session.query('select code from compounds order by code')).rows.map((r) =>
    String(r.code),
  );
  await prepared.close();
  const files = ['first', 'again', 'changed'].map((p) => path.join(work, `${p}.xlsx`));
  log(`party import: writing ${rows.toLocaleString('en')} rows`);
  await workbook(files[0] as string, codes, rows, 0);
  fs.copyFileSync(files[0] as string, files[1] as string);
  await workbook(files[2] as string, codes, rows, 1);
  const fileMb = Math.round((fs.statSync(files[0] as string).size / 1048576) * 10) / 10;

  const server: NodeServer = await startNode({
    name: 'gongzhi',
    args: ['src/server/main.ts', '--no-demo'],
    env: {
      ...process.env,
      NODE_ENV: 'production',
      DATABASE_URL: databaseUrl,
      PII_KEY: Buffer.alloc(32, 7).toString('base64'),
      DEADLINE_SWEEP_SECONDS: '0',
      LOG_LEVEL: 'warn',
    },
    logFile: path.join(work, 'gongzhi.log'),
    readyPath: '/api/health',
  });
  const passes: PartyImportFigures['passes'] = [];
  try {
    const cookie = await login(server.url, '10000000001');
    for (const [i, name] of ['first', 'again', 'changed'].entries()) {
      const body = multipart([
        { name: 'file', filename: `${name}.xlsx`, data: fs.readFileSync(files[i] as string) },
      ]);
      const proc = sampleProcesses([server.pid]);
      const t0 = performance.now();
      const res = await fetch(`${server.url}/api/v1/party/members/import`, {
        method: 'POST',
        headers: { ...body.headers, cookie, origin: server.url },
        body: body.payload,
      });
      const json = (await res.json()) as Record<string, unknown>;
      const seconds = Math.round((performance.now() - t0) / 100) / 10;
      const p = proc.stop();
      if (!res.ok || json.status !== 'imported')
        throw new Error(`import ${name}: ${res.status} ${JSON.stringify(json).slice(0, 600)}`);
      passes.push({
        pass: name,
        seconds,
        status: String(json.status),
        created: Number(json.created),
        updated: Number(json.updated),
        unchanged: Number(json.unchanged),
        serverRssPeakMb: p.rssPeakMb,
        serverCpuPct: p.cpuPct,
      });
      log(
        `  ${name}: ${seconds} s (${json.created} new, ${json.updated} updated, ${json.unchanged} unchanged)`,
      );
    }
  } finally {
    await server.stop();
  }
  const check = new pg.Client({ connectionString: databaseUrl });
  await check.connect();
  const n = Number((await check.query('select count(*)::int as n from party_members')).rows[0].n);
  await check.end();
  if (n !== rows) throw new Error(`${n} members in the database after importing ${rows} rows`);
  fs.rmSync(work, { recursive: true, force: true });
  const first = passes[0]?.seconds ?? Number.POSITIVE_INFINITY;
  return { rows, fileMb, passes, target: { maxSeconds: 60, met: first <= 60 } };
}

export function printPartyImport(f: PartyImportFigures) {
  console.log(
    `\nMember ledger import: ${f.rows.toLocaleString('en')} rows, ${f.fileMb} MB .xlsx, over HTTP as the city administrator`,
  );
  console.log('| pass | seconds | new | updated | unchanged | server RSS peak MB | server CPU % |');
  console.log('|---|---|---|---|---|---|---|');
  for (const p of f.passes)
    console.log(
      `| ${p.pass} | ${p.seconds} | ${p.created} | ${p.updated} | ${p.unchanged} | ${p.serverRssPeakMb ?? '–'} | ${p.serverCpuPct ?? '–'} |`,
    );
  console.log(`target: first import ≤ ${f.target.maxSeconds} s: ${f.target.met ? 'met' : '**missed**'}`);
}
