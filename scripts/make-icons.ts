/**
 * Draws the Teams app icons (appPackage/color.png 192×192, outline.png 32×32) as PNG files with
 * Node's zlib only: a chat bubble with three dots, in the product's blue. Run: npx tsx scripts/make-icons.ts
 */
import { writeFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';

type Pixel = [number, number, number, number];

function png(size: number, pixel: (x: number, y: number) => Pixel): Buffer {
  const raw = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) {
    raw[y * (size * 4 + 1)] = 0; // filter: none
    for (let x = 0; x < size; x++) raw.set(pixel(x, y), y * (size * 4 + 1) + 1 + x * 4);
  }
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const out = Buffer.alloc(12 + data.length);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), 8 + data.length);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8); // 8-bit RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Inside a rounded rectangle (coordinates relative to the icon size, 0..1). */
function inRoundRect(u: number, v: number, x0: number, y0: number, x1: number, y1: number, r: number): boolean {
  if (u < x0 || u > x1 || v < y0 || v > y1) return false;
  const cx = Math.min(Math.max(u, x0 + r), x1 - r);
  const cy = Math.min(Math.max(v, y0 + r), y1 - r);
  return (u - cx) ** 2 + (v - cy) ** 2 <= r * r;
}

/** The bubble: body plus a tail at the bottom left; three dots inside. */
function bubble(u: number, v: number): 'out' | 'body' | 'dot' {
  const body = inRoundRect(u, v, 0.16, 0.2, 0.84, 0.68, 0.12);
  const tail = v >= 0.6 && v <= 0.82 && u >= 0.24 && u <= 0.42 && u - 0.24 <= (0.82 - v) * 0.9;
  if (!body && !tail) return 'out';
  for (const cx of [0.33, 0.5, 0.67]) if ((u - cx) ** 2 + (v - 0.44) ** 2 <= 0.055 ** 2) return 'dot';
  return 'body';
}

const BLUE: Pixel = [47, 111, 216, 255];
const WHITE: Pixel = [255, 255, 255, 255];
const CLEAR: Pixel = [0, 0, 0, 0];

const color = png(192, (x, y) => {
  const part = bubble((x + 0.5) / 192, (y + 0.5) / 192);
  return part === 'body' ? WHITE : BLUE; // white bubble, blue dots, on blue
});

// The outline icon: white on transparent, 32×32 (Teams' rule).
const outline = png(32, (x, y) => {
  const u = (x + 0.5) / 32;
  const v = (y + 0.5) / 32;
  const here = bubble(u, v);
  if (here === 'out') return CLEAR;
  const edge = [[-1, 0], [1, 0], [0, -1], [0, 1]].some(([dx, dy]) => bubble(u + dx! / 32, v + dy! / 32) === 'out');
  return edge || here === 'dot' ? WHITE : CLEAR;
});

writeFileSync(new URL('../appPackage/color.png', import.meta.url), color);
writeFileSync(new URL('../appPackage/outline.png', import.meta.url), outline);
console.log('appPackage/color.png and appPackage/outline.png written');
