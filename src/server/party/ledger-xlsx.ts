/**
 * The member ledger as a spreadsheet (.xlsx, Chinese headers): the template staff fill in, the
 * reading and checking of a filled one (every row, every column, before anything is saved), and
 * the export of a filtered list. exceljs's streaming reader and writer keep a city's ledger
 * (83,049 rows) out of memory as a whole workbook.
 */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import {
  EDUCATIONS,
  type Education,
  LEDGERS,
  type Ledger,
  type MobileDirection,
  type Standing,
} from '../../contracts/party-states.ts';
import { AppError } from '../core/errors.ts';
import { type IdNumberProblem, parseIdNumber } from './id-number.ts';

export const LEDGER_ZH: Record<Ledger, string> = {
  direct: '直管党员',
  retired: '离退休党员',
  inService: '在职党员',
  mobile: '流动党员',
};
export const EDUCATION_ZH: Record<Education, string> = {
  primary: '小学',
  juniorHigh: '初中',
  seniorHigh: '高中/中专',
  vocational: '大专',
  college: '大学专科',
  bachelor: '大学本科',
  master: '硕士研究生',
  doctorate: '博士研究生',
};
const STANDING_ZH: Record<Standing, string> = { full: '正式党员', probationary: '预备党员' };
const DIRECTION_ZH: Record<MobileDirection, string> = { out: '流出', in: '流入' };

const ID_REASONS: Record<IdNumberProblem, string> = {
  length: '身份证号应为 18 位',
  legacy15: '15 位旧号码已停用，请填写 18 位号码',
  chars: '身份证号前 17 位应为数字，最后一位为数字或 X',
  region: '身份证号前两位不是有效的省份代码',
  birthDate: '身份证号中的出生日期无效',
  checksum: '身份证号校验位不符，请核对是否输错',
};

export type ColumnKey =
  | 'name'
  | 'idNumber'
  | 'phone'
  | 'compound'
  | 'ledger'
  | 'standing'
  | 'education'
  | 'joinedOn'
  | 'relationAt'
  | 'workUnit'
  | 'skills'
  | 'frail'
  | 'mobileDirection'
  | 'mobilePlace'
  | 'mobileContact'
  | 'mobileCertificate'
  | 'mobileSince';

/** The template's columns, in order: header, whether required, a note for the instructions sheet. */
export const COLUMNS: { key: ColumnKey; header: string; required?: boolean; note: string; width: number }[] =
  [
    { key: 'name', header: '姓名', required: true, note: '最多 40 字', width: 10 },
    {
      key: 'idNumber',
      header: '身份证号',
      required: true,
      note: '18 位，出生日期和性别由此读取；再次导入时按身份证号更新',
      width: 22,
    },
    { key: 'phone', header: '手机号', note: '11 位手机号', width: 14 },
    {
      key: 'compound',
      header: '小区',
      required: true,
      note: '小区编码（见“小区编码”页）或本辖区内不重名的小区名称',
      width: 22,
    },
    {
      key: 'ledger',
      header: '台账类别',
      required: true,
      note: '直管党员 / 离退休党员 / 在职党员 / 流动党员',
      width: 12,
    },
    { key: 'standing', header: '党员类别', note: '正式党员 / 预备党员，不填为正式党员', width: 10 },
    { key: 'education', header: '学历', note: Object.values(EDUCATION_ZH).join(' / '), width: 10 },
    { key: 'joinedOn', header: '入党日期', note: '如 1998-07-01', width: 12 },
    { key: 'relationAt', header: '组织关系所在', note: '在职党员填写单位党组织', width: 20 },
    { key: 'workUnit', header: '工作单位', note: '', width: 20 },
    { key: 'skills', header: '特长', note: '多项用顿号分隔，如 电工、理发', width: 16 },
    { key: 'frail', header: '体弱', note: '是 / 否，不填为否', width: 6 },
    { key: 'mobileDirection', header: '流动方向', note: '流动党员必填：流出 / 流入', width: 10 },
    { key: 'mobilePlace', header: '流向地或来源地', note: '流动党员必填', width: 18 },
    { key: 'mobileContact', header: '流动党员联系方式', note: '流动党员必填', width: 16 },
    { key: 'mobileCertificate', header: '活动证号', note: '流动党员必填', width: 14 },
    { key: 'mobileSince', header: '流动起始日期', note: '如 2025-03-01', width: 12 },
  ];

/** What a checked row holds: every column given is a value (null when the cell was empty). */
export interface LedgerRow {
  row: number;
  name: string;
  idNumber: string;
  birthDate: string;
  sex: 'male' | 'female';
  compound: string;
  ledger: Ledger;
  phone?: string | null;
  standing?: Standing;
  education?: Education | null;
  joinedOn?: string | null;
  relationAt?: string | null;
  workUnit?: string | null;
  skills?: string[];
  frail?: boolean;
  mobile?: {
    direction: MobileDirection;
    place: string;
    contact: string;
    certificate: string;
    since: string | null;
  } | null;
}

export interface RowProblem {
  row: number;
  column: string;
  reason: string;
}

// Reading ----------------------------------------------------------------------------------------

const norm = (h: string) => h.replace(/[\s*＊]/g, '').replace(/[（(]必填[）)]/g, '');

/** A cell as text: strings trimmed, numbers without exponent, dates as YYYY-MM-DD. */
function cellText(v: ExcelJS.CellValue): string {
  if (v === null || v === undefined) return '';
  if (v instanceof Date) return v.toISOString().slice(0, 10);
  if (typeof v === 'number') return Number.isInteger(v) ? BigInt(v).toString() : String(v);
  if (typeof v === 'object') {
    if ('richText' in v)
      return v.richText
        .map((r) => r.text)
        .join('')
        .trim();
    if ('text' in v) return String(v.text).trim();
    if ('result' in v) return cellText(v.result as ExcelJS.CellValue);
    return '';
  }
  return String(v).trim();
}

/**
 * The first worksheet's rows as text by column key. Headers are matched by name (any order,
 * extra columns ignored); a required one missing is a problem of row 1.
 */
export async function readLedger(
  input: Buffer,
  maxRows: number,
): Promise<{
  rows: { row: number; cells: Partial<Record<ColumnKey, string>> }[];
  present: Set<ColumnKey>;
  problems: RowProblem[];
}> {
  // The whole workbook in memory (3.3 s and about 590 MB of RSS for 83,049 rows): exceljs's
  // streaming reader breaks a multi-byte character that straddles two inflated chunks into
  // U+FFFD (exceljs issues #2063, #2084; about one Chinese cell in 10,000 here).
  const wb = new ExcelJS.Workbook();
  try {
    await wb.xlsx.load(input as unknown as ArrayBuffer);
  } catch {
    throw new AppError('import.not_xlsx');
  }
  const rows: { row: number; cells: Partial<Record<ColumnKey, string>> }[] = [];
  const problems: RowProblem[] = [];
  const byHeader = new Map(COLUMNS.map((c) => [norm(c.header), c.key]));
  let columnOf = new Map<number, ColumnKey>();
  const present = new Set<ColumnKey>();
  const sheet = wb.worksheets[0];
  let full = false;
  sheet?.eachRow((r) => {
    if (full) return;
    const values = r.values as ExcelJS.CellValue[];
    if (columnOf.size === 0) {
      columnOf = new Map();
      values.forEach((v, i) => {
        const key = byHeader.get(norm(cellText(v)));
        if (key && !present.has(key)) {
          columnOf.set(i, key);
          present.add(key);
        }
      });
      if (columnOf.size === 0) return; // a title line above the headers
      for (const c of COLUMNS)
        if (c.required && !present.has(c.key))
          problems.push({ row: r.number, column: c.header, reason: `缺少“${c.header}”列，请使用导入模板` });
      return;
    }
    const cells: Partial<Record<ColumnKey, string>> = {};
    let any = false;
    for (const [i, key] of columnOf) {
      const text = cellText(values[i]);
      cells[key] = text;
      if (text) any = true;
    }
    if (!any) return;
    if (rows.length >= maxRows) {
      problems.push({ row: r.number, column: '', reason: `一次最多导入 ${maxRows} 行，请分批导入` });
      full = true;
      return;
    }
    rows.push({ row: r.number, cells });
  });
  if (columnOf.size === 0 && problems.length === 0)
    problems.push({ row: 1, column: '', reason: '没有找到表头，请使用导入模板' });
  return { rows, present, problems };
}

// Checking ---------------------------------------------------------------------------------------

const LEDGER_BY_TEXT = new Map<string, Ledger>(
  LEDGERS.flatMap((l) => [
    [LEDGER_ZH[l], l],
    [LEDGER_ZH[l].replace('党员', ''), l],
  ]),
);
const EDUCATION_BY_TEXT = new Map<string, Education>(
  EDUCATIONS.flatMap((e) => [
    [EDUCATION_ZH[e], e],
    ...EDUCATION_ZH[e].split('/').map((p) => [p, e] as [string, Education]),
  ]),
);

/** YYYY-MM-DD from 1998-07-01, 1998/7/1, 1998.7.1 or 1998年7月1日. */
export function parseDay(text: string): string | null {
  const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(text);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${m[1]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/**
 * Checks one row's cells; returns the row or the problems (column header and reason, in Chinese:
 * the report goes back to the community worker who filled the sheet).
 */
export function checkRow(
  r: { row: number; cells: Partial<Record<ColumnKey, string>> },
  present: Set<ColumnKey>,
  today: string,
): { ok: true; value: LedgerRow } | { ok: false; problems: RowProblem[] } {
  const problems: RowProblem[] = [];
  const c = r.cells;
  const bad = (key: ColumnKey, reason: string) =>
    problems.push({ row: r.row, column: COLUMNS.find((x) => x.key === key)?.header ?? key, reason });
  const text = (key: ColumnKey) => c[key] ?? '';

  const name = text('name');
  if (!name) bad('name', '姓名不能为空');
  else if ([...name].length > 40) bad('name', '姓名最多 40 字');
  const id = parseIdNumber(text('idNumber'), today);
  if (!text('idNumber')) bad('idNumber', '身份证号不能为空');
  else if (!id.ok) bad('idNumber', ID_REASONS[id.problem]);
  const compound = text('compound');
  if (!compound) bad('compound', '小区不能为空');
  const ledger = LEDGER_BY_TEXT.get(text('ledger'));
  if (!text('ledger')) bad('ledger', '台账类别不能为空');
  else if (!ledger) bad('ledger', '应为 直管党员、离退休党员、在职党员 或 流动党员');

  const v: Partial<LedgerRow> = {};
  if (present.has('phone')) {
    const p = text('phone');
    if (p && !/^1\d{10}$/.test(p)) bad('phone', '应为 11 位手机号');
    v.phone = p || null;
  }
  if (present.has('standing')) {
    const s = text('standing');
    const standing =
      s === ''
        ? 'full'
        : (Object.entries(STANDING_ZH).find(([, z]) => z === s || z.replace('党员', '') === s)?.[0] as
            | Standing
            | undefined);
    if (!standing) bad('standing', '应为 正式党员 或 预备党员');
    else v.standing = standing;
  }
  if (present.has('education')) {
    const e = text('education');
    const education = e === '' ? null : EDUCATION_BY_TEXT.get(e);
    if (education === undefined) bad('education', `应为 ${Object.values(EDUCATION_ZH).join('、')} 之一`);
    else v.education = education;
  }
  for (const key of ['joinedOn', 'mobileSince'] as const) {
    if (!present.has(key) || !text(key)) continue;
    const d = parseDay(text(key));
    if (!d || d > today) bad(key, '日期无效，应如 1998-07-01，且不晚于今天');
  }
  if (present.has('joinedOn')) v.joinedOn = text('joinedOn') ? parseDay(text('joinedOn')) : null;
  for (const key of ['relationAt', 'workUnit'] as const) {
    if (!present.has(key)) continue;
    const t = text(key);
    if ([...t].length > 200) bad(key, '最多 200 字');
    v[key] = t || null;
  }
  if (present.has('skills')) {
    const skills = text('skills')
      .split(/[、,，;；\s]+/)
      .filter(Boolean);
    if (skills.length > 20 || skills.some((s) => [...s].length > 40))
      bad('skills', '最多 20 项，每项最多 40 字');
    v.skills = skills;
  }
  if (present.has('frail')) {
    const f = text('frail');
    if (!['', '是', '否'].includes(f)) bad('frail', '应为 是 或 否');
    v.frail = f === '是';
  }
  if (ledger === 'mobile') {
    const dir = Object.entries(DIRECTION_ZH).find(([, z]) => z === text('mobileDirection'))?.[0] as
      | MobileDirection
      | undefined;
    if (!dir) bad('mobileDirection', '流动党员应填写流动方向：流出 或 流入');
    for (const key of ['mobilePlace', 'mobileContact', 'mobileCertificate'] as const)
      if (!text(key)) bad(key, `流动党员应填写${COLUMNS.find((x) => x.key === key)?.header}`);
    if (dir)
      v.mobile = {
        direction: dir,
        place: text('mobilePlace'),
        contact: text('mobileContact'),
        certificate: text('mobileCertificate'),
        since: text('mobileSince') ? parseDay(text('mobileSince')) : null,
      };
  }
  if (problems.length > 0 || !id.ok || !ledger) return { ok: false, problems };
  return {
    ok: true,
    value: {
      ...v,
      row: r.row,
      name,
      idNumber: id.value,
      birthDate: id.birthDate,
      sex: id.sex,
      compound,
      ledger,
    },
  };
}

// Writing ----------------------------------------------------------------------------------------

/** The import template: the headers, a filled example row, the instructions, the viewer's compounds. */
export async function buildTemplate(
  compounds: { code: string; name: string; label: string }[],
): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('党员台账');
  ws.columns = COLUMNS.map((c) => ({
    header: c.required ? `${c.header}*` : c.header,
    key: c.key,
    width: c.width,
  }));
  ws.getRow(1).font = { bold: true };
  ws.views = [{ state: 'frozen', ySplit: 1 }];
  // Dropdowns for the fixed vocabularies (Excel's list validation, rows 2–100,000).
  const list = (col: number, values: string[]) => {
    const letter = ws.getColumn(col).letter;
    // Present at run time (a range is written as one rule), missing from exceljs's types.
    (
      ws as unknown as { dataValidations: { add(range: string, v: ExcelJS.DataValidation): void } }
    ).dataValidations.add(`${letter}2:${letter}100000`, {
      type: 'list',
      allowBlank: true,
      formulae: [`"${values.join(',')}"`],
    });
  };
  const idx = (k: ColumnKey) => COLUMNS.findIndex((c) => c.key === k) + 1;
  list(idx('ledger'), Object.values(LEDGER_ZH));
  list(idx('standing'), Object.values(STANDING_ZH));
  list(idx('frail'), ['是', '否']);
  list(idx('mobileDirection'), Object.values(DIRECTION_ZH));
  // Text format, so Excel keeps ID numbers and phones as typed (no 1.40202E+17).
  for (const k of ['idNumber', 'phone', 'compound', 'mobileContact'] as const)
    ws.getColumn(idx(k)).numFmt = '@';
  const help = wb.addWorksheet('填写说明');
  help.columns = [
    { header: '列', key: 'h', width: 18 },
    { header: '是否必填', key: 'r', width: 10 },
    { header: '说明', key: 'n', width: 70 },
  ];
  help.getRow(1).font = { bold: true };
  for (const c of COLUMNS) help.addRow({ h: c.header, r: c.required ? '必填' : '', n: c.note });
  help.addRow({});
  help.addRow({
    h: '注意',
    n: '任何一行有误时整份表格都不会导入，并生成错误报告（行号、列名、原因），改正后重新导入即可。',
  });
  const cs = wb.addWorksheet('小区编码');
  cs.columns = [
    { header: '小区编码', key: 'code', width: 18 },
    { header: '小区名称', key: 'name', width: 24 },
    { header: '所属社区', key: 'label', width: 40 },
  ];
  cs.getRow(1).font = { bold: true };
  for (const c of compounds) cs.addRow(c);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** The error report: one line per problem (row, column, reason), for the worker to fix their sheet. */
export async function buildReport(problems: RowProblem[], fileName: string): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('错误报告');
  ws.columns = [
    { header: '行号', key: 'row', width: 8 },
    { header: '列', key: 'column', width: 18 },
    { header: '原因', key: 'reason', width: 70 },
  ];
  ws.getRow(1).font = { bold: true };
  for (const p of problems) ws.addRow(p);
  ws.addRow({});
  ws.addRow({ reason: `文件：${fileName}。整份表格未导入；请改正以上问题后重新导入。` });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Streams rows into an .xlsx (masked or full, as the caller decided) without holding the workbook. */
export function exportWriter(headers: { header: string; key: string; width: number }[]) {
  const out = new PassThrough();
  const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const ws = wb.addWorksheet('党员台账');
  ws.columns = headers;
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  return {
    stream: out,
    add(row: Record<string, unknown>) {
      ws.addRow(row).commit();
    },
    async end() {
      ws.commit();
      await wb.commit();
    },
  };
}
