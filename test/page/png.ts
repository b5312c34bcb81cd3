import { inflateSync } from 'node:zlib';

/** Pixel statistics of a screenshot. */
export interface PixelStatistics {
  width: number;
  height: number;
  distinctColours: number;
  /** Standard deviation of luminance (0 to 255); 0 for a blank image. */
  luminanceDeviation: number;
}

/**
 * Decodes an 8-bit, non-interlaced RGB or RGBA PNG (what Chromium's screenshots are) and
 * measures how varied its pixels are. Raises for any other PNG kind.
 */
export function pixelStatistics(png: Buffer): PixelStatistics {
  const { width, height, channels, data } = readPng(png);
  const rows = unfilter(data, width * channels, height, channels);
  const colours = new Set<number>();
  let sum = 0;
  let sumOfSquares = 0;
  for (let i = 0; i < rows.length; i += channels) {
    const [r, g, b] = [rows[i]!, rows[i + 1]!, rows[i + 2]!];
    colours.add((r << 16) | (g << 8) | b);
    const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
    sum += luminance;
    sumOfSquares += luminance * luminance;
  }
  const count = width * height;
  const mean = sum / count;
  return {
    width,
    height,
    distinctColours: colours.size,
    luminanceDeviation: Math.sqrt(Math.max(0, sumOfSquares / count - mean * mean)),
  };
}

function readPng(png: Buffer) {
  const chunks: Buffer[] = [];
  let header: Buffer | undefined;
  // Chunks follow the 8-byte signature: length (4), type (4), data, CRC (4).
  for (let offset = 8; offset < png.length; ) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('latin1', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') header = body;
    if (type === 'IDAT') chunks.push(body);
    offset += 12 + length;
  }
  if (!header) throw new Error('The PNG has no IHDR chunk.');

  const [bitDepth, colourType, interlace] = [header[8], header[9], header[12]];
  if (bitDepth !== 8 || (colourType !== 2 && colourType !== 6) || interlace !== 0) {
    throw new Error(
      `Unsupported PNG: bit depth ${bitDepth}, colour type ${colourType}, interlace ${interlace}.`,
    );
  }
  return {
    width: header.readUInt32BE(0),
    height: header.readUInt32BE(4),
    channels: colourType === 6 ? 4 : 3,
    data: inflateSync(Buffer.concat(chunks)),
  };
}

// Reverses the per-row filters of PNG section 9 (None, Sub, Up, Average, Paeth).
function unfilter(data: Buffer, stride: number, height: number, bpp: number): Uint8Array {
  const out = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = data[y * (stride + 1)]!;
    const row = data.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const left = x >= bpp ? out[y * stride + x - bpp]! : 0;
      const up = y > 0 ? out[(y - 1) * stride + x]! : 0;
      const upLeft = x >= bpp && y > 0 ? out[(y - 1) * stride + x - bpp]! : 0;
      out[y * stride + x] = (row[x]! + predict(filter, left, up, upLeft)) & 0xff;
    }
  }
  return out;
}

function predict(filter: number, left: number, up: number, upLeft: number): number {
  if (filter === 1) return left;
  if (filter === 2) return up;
  if (filter === 3) return Math.floor((left + up) / 2);
  if (filter === 4) {
    const p = left + up - upLeft;
    const [pa, pb, pc] = [Math.abs(p - left), Math.abs(p - up), Math.abs(p - upLeft)];
    if (pa <= pb && pa <= pc) return left;
    if (pb <= pc) return up;
    return upLeft;
  }
  return 0;
}
