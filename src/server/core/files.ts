/**
 * Uploaded photos (resident tickets and the like: JPEG, PNG or WebP, at most 10 MB each).
 *
 * Upload and attachment are two steps: the client uploads the photos first (`readMultipartImages`
 * then `storeImages`, or `storeImage` for one; owner_id stays null) and then sends their ids with
 * the form, whose service attaches them (`attachFiles`) in its own transaction. Image work is CPU-bound (tenths of a second per photo),
 * so it happens before any transaction opens: never inside `mutate`, which would hold a database
 * connection (the only one, on the embedded database) while sharp runs.
 */
import { createHash } from 'node:crypto';
import multipart from '@fastify/multipart';
import { and, asc, eq, inArray, isNull, lt } from 'drizzle-orm';
import exifr from 'exifr';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { fileTypeFromBuffer } from 'file-type';
import sharp, { type FormatEnum, type Metadata, type SharpOptions } from 'sharp';
import type { Db } from '../db/index.ts';
import { AppError, ERRORS, type ErrorParams } from './errors.ts';
import { files, type ImageMime } from './files.tables.ts';

export { files, type ImageMime } from './files.tables.ts';

export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
/** Beyond this a "photo" is a decompression bomb: 40 MP is above any phone camera's default. */
export const MAX_IMAGE_PIXELS = 40_000_000;
export const MAX_IMAGES_PER_UPLOAD = 9;
/** Longer side of the stored image and of its thumbnail. */
export const FULL_SIDE = 2560;
export const THUMB_SIDE = 480;

/**
 * Error codes of this module, in the shape of the entries of ERRORS (errors.ts), into whose
 * catalogue they are merged.
 */
const FILE_CODES = [
  'file.type_not_allowed',
  'file.too_large',
  'file.corrupt',
  'file.not_found',
  'file.too_many',
] as const;
export type FileErrorCode = (typeof FILE_CODES)[number];
/** The file errors of the catalogue (core/errors.ts), for callers and tests that list them. */
export const FILE_ERRORS = Object.fromEntries(FILE_CODES.map((c) => [c, ERRORS[c]])) as {
  [K in FileErrorCode]: (typeof ERRORS)[K];
};

function fileError(code: FileErrorCode, params: ErrorParams = {}): AppError {
  return new AppError(code, params);
}

const FORMATS = {
  'image/jpeg': 'jpeg',
  'image/png': 'png',
  'image/webp': 'webp',
} as const satisfies Record<ImageMime, keyof FormatEnum>;

function isImageMime(mime: string): mime is ImageMime {
  return Object.hasOwn(FORMATS, mime);
}

/**
 * At most this many images are decoded at once per process. sharp runs on libuv's thread pool
 * (4 threads by default, shared with password hashing and file I/O) and a decoded 40 MP photo
 * takes ~120 MB, so a burst of uploads queues here instead of starving logins or memory.
 */
const IMAGE_JOBS = 2;
let activeJobs = 0;
const waitingJobs: (() => void)[] = [];

async function limited<T>(fn: () => Promise<T>): Promise<T> {
  if (activeJobs >= IMAGE_JOBS) await new Promise<void>((resolve) => waitingJobs.push(resolve));
  else activeJobs++;
  try {
    return await fn();
  } finally {
    // Hand the slot straight to the next waiter so no newcomer can slip in between.
    const next = waitingJobs.shift();
    if (next) next();
    else activeJobs--;
  }
}

/** sharp's input options for untrusted bytes: fail on damaged data, refuse oversized pixel counts. */
const INPUT: SharpOptions = { failOn: 'error', limitInputPixels: MAX_IMAGE_PIXELS };

function decodeError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return /pixel limit/i.test(message) ? fileError('file.too_large') : fileError('file.corrupt');
}

export interface Gps {
  lat: number;
  lng: number;
}

export interface ImageInfo {
  mime: ImageMime;
  /** As displayed, i.e. after applying the EXIF orientation. */
  width: number;
  height: number;
  /** EXIF GPS position (WGS-84, as phones record it), or null. */
  gps: Gps | null;
}

/** Reads the EXIF block sharp found (JPEG APP1, PNG eXIf, WebP EXIF chunk) for a GPS position. */
async function readGps(exif: Buffer | undefined): Promise<Gps | null> {
  if (!exif || exif.length < 8) return null;
  // JPEG and WebP blocks start with the "Exif\0\0" APP1 header; exifr wants the TIFF data after it.
  const tiff = exif.subarray(0, 6).toString('latin1') === 'Exif\0\0' ? exif.subarray(6) : exif;
  try {
    const pos = await exifr.gps(tiff);
    const lat = pos?.latitude;
    const lng = pos?.longitude;
    if (typeof lat !== 'number' || typeof lng !== 'number') return null;
    if (!Number.isFinite(lat) || !Number.isFinite(lng) || Math.abs(lat) > 90 || Math.abs(lng) > 180)
      return null;
    // 0,0 is what cameras without a fix write.
    if (lat === 0 && lng === 0) return null;
    return { lat, lng };
  } catch {
    return null; // unreadable EXIF is no reason to refuse the photo
  }
}

/** Type, size and header checks, without decoding the pixels. */
async function probe(buf: Buffer): Promise<ImageInfo> {
  if (buf.length > MAX_IMAGE_BYTES) throw fileError('file.too_large');
  // The content decides, never the file name or the client's content type.
  const type = buf.length > 0 ? await fileTypeFromBuffer(buf) : undefined;
  if (!type || !isImageMime(type.mime)) throw fileError('file.type_not_allowed');
  const mime = type.mime;
  let meta: Metadata;
  try {
    meta = await sharp(buf, INPUT).metadata();
  } catch (err) {
    throw decodeError(err);
  }
  if (meta.format !== FORMATS[mime] || !meta.width || !meta.height) throw fileError('file.corrupt');
  // Checked from the header, before anything is decoded: a 100000 × 100000 PNG is a few KB.
  if (meta.width * meta.height > MAX_IMAGE_PIXELS) throw fileError('file.too_large');
  const swap = (meta.orientation ?? 1) >= 5;
  return {
    mime,
    width: swap ? meta.height : meta.width,
    height: swap ? meta.width : meta.height,
    gps: await readGps(meta.exif),
  };
}

/**
 * What an uploaded image really is. Refuses other types (by content), more than 10 MB or 40 MP,
 * and data that does not decode; returns the EXIF GPS position, read before anything is stripped.
 */
export async function inspectImage(buf: Buffer): Promise<ImageInfo> {
  const info = await probe(buf);
  try {
    // Decoding every pixel is the only way to find damage past the header (a truncated upload).
    // A small target lets JPEG and WebP decode at reduced scale.
    await limited(() =>
      sharp(buf, INPUT).resize(256, 256, { fit: 'inside', withoutEnlargement: true }).raw().toBuffer(),
    );
  } catch (err) {
    throw decodeError(err);
  }
  return info;
}

export interface NormalizedImage extends ImageInfo {
  /** The image to store: oriented, no metadata, longer side at most 2560 px, same format. */
  data: Buffer;
  /** WebP, longer side at most 480 px. */
  thumb: Buffer;
}

/**
 * Re-encodes an image for storage: applies the EXIF orientation, drops all metadata (EXIF with
 * GPS position and device, XMP, IPTC, ICC profile: colours are converted to sRGB), keeps the
 * format, scales down past 2560 px, and makes a 480 px WebP thumbnail. Validates like
 * `inspectImage` (the decode here is the check), so untrusted bytes may be passed straight in.
 * `width`/`height` are those of the stored image.
 */
export async function normalizeImage(buf: Buffer): Promise<NormalizedImage> {
  const info = await probe(buf);
  try {
    return await limited(async () => {
      // No withMetadata()/keep*(): sharp writes no EXIF, XMP, IPTC or ICC and outputs sRGB.
      const pipeline = sharp(buf, INPUT)
        .rotate()
        .resize(FULL_SIDE, FULL_SIDE, { fit: 'inside', withoutEnlargement: true });
      const encoded =
        info.mime === 'image/jpeg'
          ? pipeline.jpeg({ quality: 85 })
          : info.mime === 'image/png'
            ? pipeline.png()
            : pipeline.webp({ quality: 85 });
      const { data, info: out } = await encoded.toBuffer({ resolveWithObject: true });
      const thumb = await sharp(data, INPUT)
        .resize(THUMB_SIDE, THUMB_SIDE, { fit: 'inside', withoutEnlargement: true })
        .webp({ quality: 75 })
        .toBuffer();
      return { ...info, width: out.width, height: out.height, data, thumb };
    });
  } catch (err) {
    throw decodeError(err);
  }
}

export interface StoreImageInput {
  buf: Buffer;
  createdBy: number | null;
  /** Region path of the thing the file will belong to. */
  scopePath: string;
  ownerKind: string;
  /** created_at; the database's clock when omitted. */
  now?: Date;
}

export interface StoredImage {
  id: number;
  mime: ImageMime;
  size: number;
  width: number;
  height: number;
  gps: Gps | null;
}

type Upload = Omit<StoreImageInput, 'buf'>;

function rowOf(n: NormalizedImage, meta: Upload) {
  return {
    sha256: createHash('sha256').update(n.data).digest('hex'),
    mime: n.mime,
    size: n.data.length,
    width: n.width,
    height: n.height,
    data: n.data,
    thumb: n.thumb,
    createdBy: meta.createdBy,
    scopePath: meta.scopePath,
    ownerKind: meta.ownerKind,
    ...(meta.now ? { createdAt: meta.now } : {}),
  };
}

const storedColumns = {
  id: files.id,
  mime: files.mime,
  size: files.size,
  width: files.width,
  height: files.height,
};

/** Validates and normalizes the image, then stores it unattached. Nothing is written if it is refused. */
export async function storeImage(db: Db, input: StoreImageInput): Promise<StoredImage> {
  const [stored] = await storeImages(db, [input.buf], input);
  if (!stored) throw new Error('insert returned no row');
  return stored;
}

/**
 * Several images from one upload: all are validated and normalized first, then written in one
 * statement, so either all are stored or (one refused) none is. Results are in input order.
 */
export async function storeImages(db: Db, bufs: Buffer[], meta: Upload): Promise<StoredImage[]> {
  if (bufs.length === 0) return [];
  // Two at a time (see `limited`); one refusal rejects the whole upload before any write.
  const normalized = await Promise.all(bufs.map((buf) => normalizeImage(buf)));
  const rows = await db
    .insert(files)
    .values(normalized.map((n) => rowOf(n, meta)))
    .returning(storedColumns);
  // One statement inserts its VALUES rows in order, drawing increasing ids: sorted by id, rows
  // line up with the input.
  rows.sort((a, b) => a.id - b.id);
  return rows.map((r, i) => ({ ...r, gps: normalized[i]?.gps ?? null }));
}

/**
 * Attaches uploaded files to their owner (a ticket…). Only files that `byUser` uploaded for this
 * kind of owner and that are not attached yet qualify; if any id does not, nothing is attached and
 * 'file.not_found' is thrown (a file of someone else's is "not found", never "forbidden").
 * `scopePath`, when given, replaces the path recorded at upload by the owner's own.
 */
export async function attachFiles(
  db: Db,
  ids: number[],
  ownerKind: string,
  ownerId: number,
  byUser: number,
  opts: { scopePath?: string } = {},
): Promise<void> {
  const unique = [...new Set(ids)];
  if (unique.length === 0) return;
  if (!unique.every(Number.isSafeInteger)) throw fileError('file.not_found');
  // A savepoint when the caller is already in a transaction: all or nothing either way.
  await db.transaction(async (tx) => {
    const done = await tx
      .update(files)
      .set({ ownerId, ...(opts.scopePath ? { scopePath: opts.scopePath } : {}) })
      .where(
        and(
          inArray(files.id, unique),
          isNull(files.ownerId),
          eq(files.createdBy, byUser),
          eq(files.ownerKind, ownerKind),
        ),
      )
      .returning({ id: files.id });
    if (done.length !== unique.length) throw fileError('file.not_found');
  });
}

export interface FileMeta {
  id: number;
  ownerId: number | null;
  mime: ImageMime;
  size: number;
  width: number;
  height: number;
  createdAt: Date;
}

/** The files attached to some owners (without their bytes), oldest first. */
export async function filesOf(db: Db, ownerKind: string, ownerIds: number[]): Promise<FileMeta[]> {
  if (ownerIds.length === 0) return [];
  return db
    .select({ ...storedColumns, ownerId: files.ownerId, createdAt: files.createdAt })
    .from(files)
    .where(and(eq(files.ownerKind, ownerKind), inArray(files.ownerId, ownerIds)))
    .orderBy(asc(files.id));
}

export interface FileContent {
  mime: ImageMime;
  data: Buffer;
  /** SHA-256 of `data`, hex: use it as the ETag. */
  sha256: string;
}

/**
 * The stored bytes of one file, or undefined. Checks no access: the caller first decides whether
 * the viewer may see the owner (and the file's scope_path).
 */
export async function readFile(
  db: Db,
  id: number,
  variant: 'full' | 'thumb' = 'full',
): Promise<FileContent | undefined> {
  if (!Number.isSafeInteger(id)) return undefined;
  if (variant === 'thumb') {
    const [row] = await db.select({ data: files.thumb }).from(files).where(eq(files.id, id));
    if (!row) return undefined;
    return {
      mime: 'image/webp',
      data: row.data,
      sha256: createHash('sha256').update(row.data).digest('hex'),
    };
  }
  const [row] = await db
    .select({ mime: files.mime, data: files.data, sha256: files.sha256 })
    .from(files)
    .where(eq(files.id, id));
  return row;
}

/** Deletes uploads never attached to anything that were made before `before`; returns how many. */
export async function purgeUnattachedFiles(db: Db, before: Date): Promise<number> {
  const gone = await db
    .delete(files)
    .where(and(isNull(files.ownerId), lt(files.createdAt, before)))
    .returning({ id: files.id });
  return gone.length;
}

/**
 * Registers @fastify/multipart with limits for photo uploads. Only requests sent as
 * multipart/form-data are affected; JSON routes keep their own body limit.
 */
export async function registerMultipart(app: FastifyInstance): Promise<void> {
  await app.register(multipart, {
    limits: { fileSize: MAX_IMAGE_BYTES, files: MAX_IMAGES_PER_UPLOAD, fields: 20 },
  });
}

export interface UploadedFile {
  fieldname: string;
  /** As the client named it: for display only, never to decide the type. */
  filename: string;
  buf: Buffer;
}

/**
 * Reads a multipart/form-data request whole: every file into memory (each ≤ maxBytes, at most
 * maxFiles) and the text fields. The whole body is consumed before anything is returned, so a
 * refused request stores nothing. The plugin's limit errors become 'file.too_large',
 * 'file.too_many' and 'request.too_large'; a body that is not multipart is 'request.invalid'.
 * Empty file inputs (a form sent with no file chosen) are skipped.
 */
export async function readMultipartImages(
  req: FastifyRequest,
  opts: { maxFiles?: number; maxBytes?: number } = {},
): Promise<{ files: UploadedFile[]; fields: Record<string, string> }> {
  const maxFiles = opts.maxFiles ?? MAX_IMAGES_PER_UPLOAD;
  const maxBytes = opts.maxBytes ?? MAX_IMAGE_BYTES;
  const out: UploadedFile[] = [];
  const fields: Record<string, string> = {};
  let failure: unknown = null;
  try {
    for await (const part of req.parts({ limits: { files: maxFiles, fileSize: maxBytes } })) {
      if (part.type === 'file') {
        try {
          // Reads the part to its end even past the limit (the plugin discards the excess), so
          // the parts after it are still read and the error surfaces once the body is done.
          const buf = await part.toBuffer();
          if (buf.length > 0 || part.filename !== '') {
            out.push({ fieldname: part.fieldname, filename: part.filename, buf });
          }
        } catch (err) {
          failure ??= err;
        }
      } else if (typeof part.value === 'string') {
        fields[part.fieldname] = part.value;
      }
    }
  } catch (err) {
    failure ??= err;
  }
  if (failure) throw multipartError(failure, maxFiles);
  return { files: out, fields };
}

function multipartError(err: unknown, maxFiles: number): unknown {
  switch ((err as { code?: string }).code) {
    case 'FST_REQ_FILE_TOO_LARGE':
      return fileError('file.too_large');
    case 'FST_FILES_LIMIT':
      return fileError('file.too_many', { max: maxFiles });
    case 'FST_FIELDS_LIMIT':
    case 'FST_PARTS_LIMIT':
      return new AppError('request.too_large');
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('request.invalid');
    default:
      return err;
  }
}
