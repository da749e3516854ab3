import sharp from 'sharp';

/** A small real JPEG (a colour gradient), as a phone might send. */
export async function testJpeg(width = 64, height = 48): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let i = 0; i < width * height; i++) {
    raw[i * 3] = (i * 7) % 256;
    raw[i * 3 + 1] = (i * 3) % 256;
    raw[i * 3 + 2] = 128;
  }
  return sharp(raw, { raw: { width, height, channels: 3 } })
    .jpeg()
    .toBuffer();
}
