/**
 * The certificate as an A4 PDF, drawn by pdfkit with the Noto Sans Hans that @embedpdf/fonts-sc
 * ships (a fresh machine has no Chinese font). Drawing one takes about 200 ms of CPU, mostly
 * fontkit reading the 8 MB font, so the server runs it in a worker thread (certificate-pdf-worker.ts).
 */
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import PDFDocument from 'pdfkit';
import { shanghaiDate } from '../tickets/worktime.ts';
import type { serviceCertificates } from './tables.ts';

export type CertRow = typeof serviceCertificates.$inferSelect;

const hoursOf = (minutes: number) => Math.round(minutes / 6) / 10;
export const dateZh = (d: string) =>
  `${Number(d.slice(0, 4))}年${Number(d.slice(5, 7))}月${Number(d.slice(8, 10))}日`;

let fonts: { regular: Buffer; bold: Buffer } | undefined;
/** The npm package's fonts, read once (8 MB each); pdfkit embeds only the glyphs a page uses. */
function fontFiles() {
  if (!fonts) {
    const dir = path.join(
      path.dirname(createRequire(import.meta.url).resolve('@embedpdf/fonts-sc')),
      '..',
      'fonts',
    );
    fonts = {
      regular: fs.readFileSync(path.join(dir, 'NotoSansHans-Regular.otf')),
      bold: fs.readFileSync(path.join(dir, 'NotoSansHans-Bold.otf')),
    };
  }
  return fonts;
}

const RED = '#b3161b';
const INK = '#1f1f1f';
const GREY = '#666666';

/** The certificate as an A4 PDF: what was frozen at issue, its number and where to check it. */
export async function renderCertificatePdf(r: CertRow, verifyUrl: string): Promise<Buffer> {
  const f = fontFiles();
  const doc = new PDFDocument({
    size: 'A4',
    margin: 0,
    info: {
      Title: `志愿服务证明 ${r.number}`,
      Subject: `志愿服务证明 ${r.number}`,
      Author: r.issuer,
      Creator: '共治',
      CreationDate: r.issuedAt,
    },
  });
  doc.registerFont('regular', f.regular);
  doc.registerFont('bold', f.bold);
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });

  const W = doc.page.width;
  const H = doc.page.height;
  // A double frame.
  doc
    .lineWidth(2.5)
    .strokeColor(RED)
    .rect(30, 30, W - 60, H - 60)
    .stroke();
  doc
    .lineWidth(0.8)
    .rect(38, 38, W - 76, H - 76)
    .stroke();

  const left = 78;
  const width = W - 2 * left;
  doc
    .font('regular')
    .fontSize(10.5)
    .fillColor(GREY)
    .text(`编号：${r.number}`, left, 60, { width, align: 'right' });
  doc.font('bold').fontSize(32).fillColor(RED).text('志愿服务证明', left, 110, {
    width,
    align: 'center',
    characterSpacing: 8,
  });
  doc
    .moveTo(W / 2 - 90, 165)
    .lineTo(W / 2 + 90, 165)
    .lineWidth(1)
    .strokeColor(RED)
    .stroke();

  const hours = hoursOf(r.minutes);
  doc
    .font('regular')
    .fontSize(15)
    .fillColor(INK)
    .text(
      `兹证明 ${r.nameMasked} 同志（身份证号：${r.idMasked}）于 ${dateZh(r.periodFrom)} 至 ${dateZh(r.periodTo)} 期间参加志愿服务 ${r.times} 次，经组织单位核定，累计服务时长 ${hours} 小时。`,
      left,
      210,
      { width, lineGap: 10, indent: 30, align: 'left' },
    );
  doc.moveDown(1.2);
  doc.font('bold').fontSize(14).text('服务内容', { width });
  doc.moveDown(0.4);
  doc.font('regular').fontSize(13).text(r.content, { width, lineGap: 7, indent: 26, align: 'left' });
  doc.moveDown(1.2);
  doc.font('regular').fontSize(15).text('特此证明。', { width, indent: 30 });

  // Issuer and date, at the lower right.
  const issuedOn = shanghaiDate(r.issuedAt);
  doc
    .font('bold')
    .fontSize(15)
    .text(r.issuer, left, 600, { width: width - 20, align: 'right' });
  doc
    .font('regular')
    .fontSize(14)
    .text(dateZh(issuedOn), left, 630, { width: width - 20, align: 'right' });

  // How to check it.
  doc
    .moveTo(left, 700)
    .lineTo(W - left, 700)
    .lineWidth(0.5)
    .strokeColor('#cccccc')
    .stroke();
  doc
    .font('regular')
    .fontSize(10)
    .fillColor(GREY)
    .text(`本证明由“共治”平台出具。核验地址：${verifyUrl}`, left, 712, { width, lineGap: 4 })
    .text(
      `或在“共治”手机端“服务证明核验”中输入编号 ${r.number}。核验结果显示持证人姓名（部分遮挡）、服务次数与时长、期间、出具单位及证明是否有效。`,
      { width, lineGap: 4 },
    );

  if (r.revokedAt) {
    doc.save();
    doc.rotate(-30, { origin: [W / 2, H / 2] });
    doc
      .font('bold')
      .fontSize(90)
      .fillColor(RED)
      .fillOpacity(0.25)
      .text('已作废', 0, H / 2 - 60, {
        width: W,
        align: 'center',
      });
    doc.restore();
    doc
      .fillOpacity(1)
      .font('regular')
      .fontSize(11)
      .fillColor(RED)
      .text(`本证明已于 ${shanghaiDate(r.revokedAt as Date)} 作废：${r.revokeReason ?? ''}`, left, 672, {
        width,
      });
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
