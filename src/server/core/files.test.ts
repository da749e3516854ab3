import { createHash, randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { count, eq, sql } from 'drizzle-orm';
import exifr from 'exifr';
import Fastify, { type FastifyInstance } from 'fastify';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../auth/tables.ts';
import type { Db } from '../db/index.ts';
import { createTestDb, type TestDb } from '../test/db.ts';
import { multipart } from '../test/multipart.ts';
import { AppError, ERRORS, errorMessage } from './errors.ts';
import {
  attachFiles,
  FILE_ERRORS,
  files,
  filesOf,
  inspectImage,
  normalizeImage,
  purgeUnattachedFiles,
  readFile,
  readMultipartImages,
  registerMultipart,
  storeImage,
  storeImages,
} from './files.ts';
import { pickLocale, registerErrorHandling } from './http.ts';

// ---------------------------------------------------------------------------------------------
// Fixtures, all made here with sharp (or by hand where sharp would refuse to write them).

const XMP =
  '<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?><x:xmpmeta xmlns:x="adobe:ns:meta/">' +
  '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><rdf:Description ' +
  'xmlns:exif="http://ns.adobe.com/exif/1.0/" xmlns:tiff="http://ns.adobe.com/tiff/1.0/" ' +
  'tiff:Model="XmpSecretCam" exif:GPSLatitude="40,5.5N" exif:GPSLongitude="113,18E"/>' +
  '</rdf:RDF></x:xmpmeta><?xpacket end="w"?>';

/** 40°05'30" N, 113°18' E: Datong. IFD3 is the GPS directory in libvips' EXIF naming. */
const EXIF_GPS = {
  IFD0: { Make: 'SecretMaker', Model: 'SecretPhone 9' },
  IFD3: {
    GPSLatitudeRef: 'N',
    GPSLatitude: '40/1 5/1 3000/100',
    GPSLongitudeRef: 'E',
    GPSLongitude: '113/1 18/1 0/1',
  },
};
const DATONG = { lat: 40 + 5 / 60 + 30 / 3600, lng: 113.3 };

/** 300 × 200: left half red, right half blue. */
async function halves(): Promise<Buffer> {
  const red = await sharp({ create: { width: 150, height: 200, channels: 3, background: '#ff0000' } })
    .png()
    .toBuffer();
  return sharp({ create: { width: 300, height: 200, channels: 3, background: '#0000ff' } })
    .composite([{ input: red, left: 0, top: 0 }])
    .png()
    .toBuffer();
}

/** A JPEG as a phone writes it: rotated by EXIF orientation 6, with GPS, device and XMP. */
async function phoneJpeg(): Promise<Buffer> {
  return sharp(await halves())
    .jpeg({ quality: 90 })
    .withExif(EXIF_GPS)
    .withMetadata({ orientation: 6 })
    .withXmp(XMP)
    .toBuffer();
}

/** A PNG chunk with its CRC. */
function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** A few hundred bytes announcing a 100000 × 100000 PNG (10 gigapixels): a decompression bomb. */
function hugePngHeader(): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(100_000, 0);
  ihdr.writeUInt32BE(100_000, 4);
  ihdr.writeUInt8(8, 8); // bit depth
  ihdr.writeUInt8(2, 9); // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(Buffer.alloc(1000))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

let big: Promise<Buffer> | undefined;

/** Photo-like (not flat, so it compresses like one) 4000 × 3000 JPEG, about 3.5 MB. */
function bigJpeg(): Promise<Buffer> {
  big ??= sharp({
    create: {
      width: 800,
      height: 600,
      channels: 3,
      background: '#000',
      noise: { type: 'gaussian', mean: 128, sigma: 40 },
    },
  })
    .png()
    .toBuffer()
    .then((noise) => sharp(noise).resize(4000, 3000, { kernel: 'cubic' }).jpeg({ quality: 90 }).toBuffer());
  return big;
}

async function rejects(p: Promise<unknown>, code: string): Promise<void> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  expect(err, `expected ${code}`).toBeInstanceOf(AppError);
  expect((err as AppError).code).toBe(code);
}

/** No EXIF, XMP, IPTC or ICC left, and nothing that gives away the place or the device. */
async function expectClean(buf: Buffer): Promise<void> {
  const meta = await sharp(buf).metadata();
  expect(meta.exif).toBeUndefined();
  expect(meta.xmp).toBeUndefined();
  expect(meta.iptc).toBeUndefined();
  expect(meta.icc).toBeUndefined();
  expect(meta.orientation).toBeUndefined();
  const parsed = (await exifr
    .parse(buf, { gps: true, xmp: true, iptc: true, icc: true })
    .catch(() => undefined)) as Record<string, unknown> | undefined;
  for (const key of ['latitude', 'longitude', 'GPSLatitude', 'Make', 'Model', 'Orientation']) {
    expect(parsed?.[key]).toBeUndefined();
  }
  expect(await exifr.gps(buf).catch(() => undefined)).toBeUndefined();
  const text = buf.toString('latin1');
  for (const needle of ['Exif\0\0', 'SecretMaker', 'SecretPhone', 'XmpSecretCam', 'xmpmeta', 'GPS']) {
    expect(text.includes(needle), needle).toBe(false);
  }
}

async function pixel(buf: Buffer, x: number, y: number): Promise<number[]> {
  const { data, info } = await sharp(buf).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  const i = (y * info.width + x) * info.channels;
  return [data[i] ?? -1, data[i + 1] ?? -1, data[i + 2] ?? -1];
}

function near(rgb: number[], want: number[]): boolean {
  return rgb.every((v, i) => Math.abs(v - (want[i] ?? 0)) < 40);
}

// ---------------------------------------------------------------------------------------------

let testDb: TestDb;
let db: Db;
let alice: number;
let bob: number;
let jpeg: Buffer;
let png: Buffer;
let webp: Buffer;
let gif: Buffer;

beforeAll(async () => {
  testDb = await createTestDb();
  db = testDb.db;
  const rows = await db
    .insert(users)
    .values([
      { phone: '13900000001', name: '爱丽丝' },
      { phone: '13900000002', name: '鲍勃' },
    ])
    .returning({ id: users.id });
  alice = rows[0]?.id ?? 0;
  bob = rows[1]?.id ?? 0;

  jpeg = await phoneJpeg();
  png = await sharp({
    create: { width: 64, height: 48, channels: 4, background: { r: 0, g: 200, b: 0, alpha: 0.5 } },
  })
    .png()
    .withExif(EXIF_GPS)
    .withXmp(XMP)
    .toBuffer();
  webp = await sharp(await halves())
    .webp()
    .withExif(EXIF_GPS)
    .withXmp(XMP)
    .toBuffer();
  gif = await sharp({ create: { width: 10, height: 10, channels: 3, background: '#888' } })
    .gif()
    .toBuffer();
});

afterAll(async () => {
  await testDb?.close();
});

const SCOPE = '140200.140213.140213001.';
const upload = () => ({ createdBy: alice, scopePath: SCOPE, ownerKind: 'ticket' });

describe('fixtures', () => {
  it('carry what a phone writes (so the stripping tests mean something)', async () => {
    const meta = await sharp(jpeg).metadata();
    expect(meta.orientation).toBe(6);
    expect(meta.exif).toBeDefined();
    expect(meta.xmp).toBeDefined();
    const gps = await exifr.gps(jpeg);
    expect(gps.latitude).toBeCloseTo(DATONG.lat, 6);
    expect(jpeg.toString('latin1')).toContain('SecretPhone');
    expect((await sharp(png).metadata()).exif).toBeDefined();
    expect((await sharp(webp).metadata()).exif).toBeDefined();
  });
});

describe('inspectImage', () => {
  it('accepts a JPEG, reports its displayed size and its EXIF GPS position', async () => {
    const info = await inspectImage(jpeg);
    expect(info.mime).toBe('image/jpeg');
    // Stored 300 × 200 with orientation 6: shown 200 × 300.
    expect([info.width, info.height]).toEqual([200, 300]);
    expect(info.gps?.lat).toBeCloseTo(DATONG.lat, 6);
    expect(info.gps?.lng).toBeCloseTo(DATONG.lng, 6);
  });

  it('accepts PNG and WebP and reads GPS from their EXIF chunks too (exifr alone cannot read WebP)', async () => {
    const p = await inspectImage(png);
    expect(p).toMatchObject({ mime: 'image/png', width: 64, height: 48 });
    expect(p.gps?.lat).toBeCloseTo(DATONG.lat, 6);
    const w = await inspectImage(webp);
    expect(w).toMatchObject({ mime: 'image/webp', width: 300, height: 200 });
    expect(w.gps?.lng).toBeCloseTo(DATONG.lng, 6);
  });

  it('gives gps null when there is none, or when it is the 0,0 of a camera without a fix', async () => {
    const plain = await sharp(await halves())
      .jpeg()
      .toBuffer();
    expect((await inspectImage(plain)).gps).toBeNull();
    const zero = await sharp(await halves())
      .jpeg()
      .withExif({
        IFD3: {
          GPSLatitudeRef: 'N',
          GPSLatitude: '0/1 0/1 0/1',
          GPSLongitudeRef: 'E',
          GPSLongitude: '0/1 0/1 0/1',
        },
      })
      .toBuffer();
    expect((await inspectImage(zero)).gps).toBeNull();
  });

  it('refuses a GIF', async () => {
    await rejects(inspectImage(gif), 'file.type_not_allowed');
  });

  it('refuses text named photo.jpg: the content decides, not the name', async () => {
    await rejects(
      inspectImage(Buffer.from('这不是图片 / not a picture at all\n'.repeat(20))),
      'file.type_not_allowed',
    );
    await rejects(inspectImage(Buffer.alloc(0)), 'file.type_not_allowed');
  });

  it('refuses an SVG and a TIFF, which sharp would otherwise decode', async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect/></svg>');
    await rejects(inspectImage(svg), 'file.type_not_allowed');
    const tiff = await sharp(await halves())
      .tiff()
      .toBuffer();
    await rejects(inspectImage(tiff), 'file.type_not_allowed');
  });

  it('refuses a truncated JPEG (an interrupted upload)', async () => {
    const big = await bigJpeg();
    await rejects(inspectImage(big.subarray(0, Math.floor(big.length * 0.6))), 'file.corrupt');
  });

  it('refuses a JPEG whose header is garbage', async () => {
    const junk = Buffer.concat([jpeg.subarray(0, 4), randomBytes(4000)]);
    await rejects(inspectImage(junk), 'file.corrupt');
  });

  it('refuses more than 10 MB before looking at it', async () => {
    const eleven = Buffer.concat([jpeg, Buffer.alloc(11 * 1024 * 1024)]);
    await rejects(inspectImage(eleven), 'file.too_large');
  });

  it('refuses a decompression bomb from its header alone', async () => {
    const bomb = hugePngHeader();
    expect(bomb.length).toBeLessThan(1000);
    await rejects(inspectImage(bomb), 'file.too_large');
    await rejects(normalizeImage(bomb), 'file.too_large');
  });
});

describe('normalizeImage', () => {
  it('applies the orientation and strips EXIF (GPS, device), XMP and ICC from a JPEG', async () => {
    const n = await normalizeImage(jpeg);
    expect(n.mime).toBe('image/jpeg');
    expect((await sharp(n.data).metadata()).format).toBe('jpeg');
    expect([n.width, n.height]).toEqual([200, 300]);
    // Turned 90° clockwise: the red left half is now the top half.
    expect(near(await pixel(n.data, 100, 10), [255, 0, 0])).toBe(true);
    expect(near(await pixel(n.data, 100, 290), [0, 0, 255])).toBe(true);
    await expectClean(n.data);
    await expectClean(n.thumb);
    expect(n.gps?.lat).toBeCloseTo(DATONG.lat, 6); // read before stripping
  });

  it('keeps PNG (with its transparency) and WebP, stripped', async () => {
    const p = await normalizeImage(png);
    const pm = await sharp(p.data).metadata();
    expect([pm.format, pm.hasAlpha, p.width, p.height]).toEqual(['png', true, 64, 48]);
    await expectClean(p.data);
    const w = await normalizeImage(webp);
    expect((await sharp(w.data).metadata()).format).toBe('webp');
    await expectClean(w.data);
    await expectClean(w.thumb);
  });

  it('scales a 12 MP photo down to 2560 px and makes a 480 px WebP thumbnail', async () => {
    const big = await bigJpeg();
    const t0 = performance.now();
    const n = await normalizeImage(big);
    const ms = performance.now() - t0;
    expect([n.width, n.height]).toEqual([2560, 1920]);
    const tm = await sharp(n.thumb).metadata();
    expect([tm.format, tm.width, tm.height]).toEqual(['webp', 480, 360]);
    expect(n.data.length).toBeLessThan(big.length);
    expect(ms).toBeLessThan(10_000); // ≈ 0.2 s here; generous for a loaded CI machine
  });

  it('never enlarges a small image', async () => {
    const n = await normalizeImage(png);
    expect([n.width, n.height]).toEqual([64, 48]);
    expect((await sharp(n.thumb).metadata()).width).toBe(64);
  });

  it('refuses what inspectImage refuses', async () => {
    await rejects(normalizeImage(gif), 'file.type_not_allowed');
    const big = await bigJpeg();
    await rejects(normalizeImage(big.subarray(0, big.length - 5000)), 'file.corrupt');
  });
});

describe('storage', () => {
  it('stores the normalized image and serves both variants as Buffers', async () => {
    const stored = await storeImage(db, { buf: jpeg, ...upload() });
    expect(stored).toMatchObject({ mime: 'image/jpeg', width: 200, height: 300 });
    expect(stored.gps?.lat).toBeCloseTo(DATONG.lat, 6);
    const full = await readFile(db, stored.id, 'full');
    if (!full) throw new Error('missing');
    expect(Buffer.isBuffer(full.data)).toBe(true);
    expect(full.mime).toBe('image/jpeg');
    expect(full.data.length).toBe(stored.size);
    expect(full.sha256).toBe(createHash('sha256').update(full.data).digest('hex'));
    await expectClean(full.data);
    const thumb = await readFile(db, stored.id, 'thumb');
    if (!thumb) throw new Error('missing');
    expect(Buffer.isBuffer(thumb.data)).toBe(true);
    expect(thumb.mime).toBe('image/webp');
    expect(thumb.sha256).toBe(createHash('sha256').update(thumb.data).digest('hex'));
    await expectClean(thumb.data);
    const [row] = await db.select().from(files).where(eq(files.id, stored.id));
    expect(row).toMatchObject({ createdBy: alice, scopePath: SCOPE, ownerKind: 'ticket', ownerId: null });
    expect(await readFile(db, 987_654_321)).toBeUndefined();
    expect(await readFile(db, Number.NaN)).toBeUndefined();
  });

  it('round-trips every byte value through bytea', async () => {
    const stored = await storeImage(db, { buf: png, ...upload() });
    const full = await readFile(db, stored.id);
    const [raw] = (
      (await db.execute(
        sql`select encode(sha256(data), 'hex') as h from files where id = ${stored.id}`,
      )) as unknown as {
        rows: { h: string }[];
      }
    ).rows;
    expect(raw?.h).toBe(full?.sha256);
  });

  it('stores several images all or none', async () => {
    const before = await db.select({ n: count() }).from(files);
    await rejects(storeImages(db, [jpeg, png, gif], upload()), 'file.type_not_allowed');
    await rejects(storeImage(db, { buf: hugePngHeader(), ...upload() }), 'file.too_large');
    expect(await db.select({ n: count() }).from(files)).toEqual(before);
    const three = await storeImages(db, [jpeg, png, webp], upload());
    expect(three.map((s) => s.mime)).toEqual(['image/jpeg', 'image/png', 'image/webp']);
    expect(three.every((s) => s.gps !== null)).toBe(true);
  });

  it('uses the given time for created_at', async () => {
    const now = new Date('2026-01-02T03:04:05Z');
    const stored = await storeImage(db, { buf: png, ...upload(), now });
    const [row] = await db.select({ at: files.createdAt }).from(files).where(eq(files.id, stored.id));
    expect(row?.at.toISOString()).toBe(now.toISOString());
  });
});

describe('attachFiles', () => {
  it('attaches the uploader’s own unattached files, and nothing else', async () => {
    const [a, b] = await storeImages(db, [jpeg, png], upload());
    const [other] = await storeImages(db, [png], { ...upload(), createdBy: bob });
    const [forUnit] = await storeImages(db, [png], { ...upload(), ownerKind: 'project' });
    if (!a || !b || !other || !forUnit) throw new Error('upload failed');

    // Someone else's file, a file meant for another kind of owner, an unknown id: all "not found",
    // and the good ids in the same call stay unattached.
    await rejects(attachFiles(db, [a.id, other.id], 'ticket', 1, alice), 'file.not_found');
    await rejects(attachFiles(db, [a.id, forUnit.id], 'ticket', 1, alice), 'file.not_found');
    await rejects(attachFiles(db, [a.id, 987_654_321], 'ticket', 1, alice), 'file.not_found');
    expect(await filesOf(db, 'ticket', [1])).toEqual([]);

    await attachFiles(db, [a.id, b.id, a.id], 'ticket', 1, alice, { scopePath: `${SCOPE}x.` });
    const attached = await filesOf(db, 'ticket', [1]);
    expect(attached.map((f) => f.id)).toEqual([a.id, b.id]);
    expect(attached[0]).toMatchObject({ ownerId: 1, mime: 'image/jpeg', width: 200, height: 300 });
    const [row] = await db.select({ p: files.scopePath }).from(files).where(eq(files.id, a.id));
    expect(row?.p).toBe(`${SCOPE}x.`);

    // Attached once only: not to another ticket, not even by its uploader.
    await rejects(attachFiles(db, [a.id], 'ticket', 2, alice), 'file.not_found');
    await rejects(attachFiles(db, [other.id], 'ticket', 2, alice), 'file.not_found');
    await attachFiles(db, [other.id], 'ticket', 2, bob);
    expect((await filesOf(db, 'ticket', [1, 2])).map((f) => f.ownerId)).toEqual([1, 1, 2]);
    await attachFiles(db, [], 'ticket', 3, alice);
  });

  it('is all or nothing inside the caller’s transaction too', async () => {
    const [a] = await storeImages(db, [png], upload());
    if (!a) throw new Error('upload failed');
    await db.transaction(async (tx) => {
      await rejects(
        attachFiles(tx as unknown as Db, [a.id, 987_654_321], 'ticket', 7, alice),
        'file.not_found',
      );
      await attachFiles(tx as unknown as Db, [a.id], 'ticket', 7, alice);
    });
    expect((await filesOf(db, 'ticket', [7])).map((f) => f.id)).toEqual([a.id]);
  });
});

describe('purgeUnattachedFiles', () => {
  it('deletes old uploads that were never attached', async () => {
    const old = new Date('2020-01-01T00:00:00Z');
    const [stale] = await storeImages(db, [png, png], { ...upload(), now: old });
    const [kept] = await storeImages(db, [png], { ...upload(), now: old });
    if (!stale || !kept) throw new Error('upload failed');
    await attachFiles(db, [kept.id], 'ticket', 99, alice);
    expect(await purgeUnattachedFiles(db, new Date('2020-01-02T00:00:00Z'))).toBe(2);
    expect(await readFile(db, stale.id)).toBeUndefined();
    expect(await readFile(db, kept.id)).toBeDefined();
  });
});

describe('errors', () => {
  it('FILE_ERRORS has the shape of the ERRORS catalogue and renders through AppError', () => {
    for (const [code, def] of Object.entries(FILE_ERRORS)) {
      expect(Object.keys(def)).toEqual(['status', 'zh', 'en']);
      const err = new AppError(code as never);
      expect(err.status).toBe(def.status);
      expect(errorMessage(code as never, 'zh-CN', { max: 9 })).toBe(def.zh.replace('{max}', '9'));
      expect(ERRORS[code as keyof typeof ERRORS]).toEqual(def);
    }
    expect(FILE_ERRORS['file.type_not_allowed'].zh).toBe('仅支持 JPEG、PNG、WebP 格式的图片。');
    expect(FILE_ERRORS['file.too_large'].zh).toBe('图片不能超过 10 MB 或 4000 万像素。');
    expect(FILE_ERRORS['file.corrupt'].zh).toBe('图片已损坏或无法识别。');
    expect(FILE_ERRORS['file.not_found'].zh).toBe('未找到该文件。');
  });
});

// ---------------------------------------------------------------------------------------------

describe('multipart upload', () => {
  let app: FastifyInstance;

  beforeAll(async () => {
    app = Fastify();
    app.decorateRequest('locale', 'zh-CN');
    app.addHook('onRequest', async (req) => {
      req.locale = pickLocale(req);
    });
    registerErrorHandling(app);
    await registerMultipart(app);
    app.post('/upload', async (req) => {
      const { files: parts, fields } = await readMultipartImages(req);
      const stored = await storeImages(
        db,
        parts.map((p) => p.buf),
        { createdBy: alice, scopePath: SCOPE, ownerKind: fields.kind ?? 'ticket' },
      );
      return { ids: stored.map((s) => s.id), names: parts.map((p) => p.filename), fields };
    });
    app.post('/json', async (req) => req.body);
    await app.ready();
  });

  afterAll(async () => {
    await app?.close();
  });

  const rowCount = async () => (await db.select({ n: count() }).from(files))[0]?.n ?? 0;

  it('stores the photos of one form, whatever the client calls them', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/upload',
      ...multipart([
        { name: 'kind', data: 'ticket' },
        { name: 'photos', filename: 'a.png', type: 'image/png', data: jpeg },
        { name: 'photos', filename: 'b.jpg', type: 'application/octet-stream', data: webp },
        { name: 'photos', filename: '', type: 'application/octet-stream', data: '' },
      ]),
    });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { ids: number[]; names: string[]; fields: Record<string, string> };
    expect(body.ids).toHaveLength(2);
    expect(body.names).toEqual(['a.png', 'b.jpg']);
    expect(body.fields).toEqual({ kind: 'ticket' });
    expect((await readFile(db, body.ids[1] ?? 0))?.mime).toBe('image/webp');
  });

  it('accepts nine photos and refuses ten with file.too_many, storing none', async () => {
    const before = await rowCount();
    const nine = Array.from({ length: 9 }, (_, i) => ({ name: 'photos', filename: `${i}.png`, data: png }));
    const ok = await app.inject({ method: 'POST', url: '/upload', ...multipart(nine) });
    expect(ok.statusCode).toBe(200);
    expect(await rowCount()).toBe(before + 9);
    const ten = [...nine, { name: 'photos', filename: '9.png', data: png }];
    const res = await app.inject({ method: 'POST', url: '/upload', ...multipart(ten) });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'file.too_many', detail: '一次最多上传 9 张图片。' });
    expect(await rowCount()).toBe(before + 9);
  });

  it('refuses a file over 10 MB with file.too_large, in the request language, storing none', async () => {
    const before = await rowCount();
    const res = await app.inject({
      method: 'POST',
      url: '/upload',
      ...multipart([
        { name: 'photos', filename: 'ok.jpg', data: jpeg },
        { name: 'photos', filename: 'big.jpg', data: Buffer.concat([jpeg, Buffer.alloc(10 * 1024 * 1024)]) },
        { name: 'photos', filename: 'after.jpg', data: jpeg },
      ]),
    });
    expect(res.statusCode).toBe(413);
    expect(res.headers['content-type']).toContain('application/problem+json');
    expect(res.json()).toMatchObject({
      code: 'file.too_large',
      detail: '图片不能超过 10 MB 或 4000 万像素。',
    });
    expect(await rowCount()).toBe(before);
  });

  it('refuses the whole form when one photo is not an image, storing none', async () => {
    const before = await rowCount();
    const form = multipart([
      { name: 'photos', filename: 'ok.jpg', data: jpeg },
      { name: 'photos', filename: 'cat.jpg', data: gif },
    ]);
    const res = await app.inject({
      method: 'POST',
      url: '/upload',
      ...form,
      headers: { ...form.headers, 'accept-language': 'en' },
    });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toMatchObject({
      code: 'file.type_not_allowed',
      detail: 'Only JPEG, PNG and WebP images are accepted.',
    });
    expect(await rowCount()).toBe(before);
  });

  it('maps too many fields to request.too_large and a non-multipart body to request.invalid', async () => {
    const fields = Array.from({ length: 21 }, (_, i) => ({ name: `f${i}`, data: 'x' }));
    const res = await app.inject({ method: 'POST', url: '/upload', ...multipart(fields) });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ code: 'request.too_large' });
    const json = await app.inject({ method: 'POST', url: '/upload', payload: { a: 1 } });
    expect(json.statusCode).toBe(400);
    expect(json.json()).toMatchObject({ code: 'request.invalid' });
    // JSON routes are untouched by the plugin.
    const echo = await app.inject({ method: 'POST', url: '/json', payload: { a: 1 } });
    expect(echo.json()).toEqual({ a: 1 });
  });
});
