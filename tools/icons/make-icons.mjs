#!/usr/bin/env node
// Draws QuoteDeck's app icon layers and writes them as PNGs (no image libraries, no downloads):
//   AppScope/resources/base/media/{foreground,background}.png  1024x1024 layered-icon layers
//   entry/src/main/resources/base/media/{foreground,background}.png  copies for the ability icon
//   entry/src/main/resources/base/media/startIcon.png  256x256, both layers composed, rounded
// Usage: node tools/icons/make-icons.mjs
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// ---- PNG encoding (RGBA, 8 bit, filter 0 on every row) -----------------------------------------
const CRC_TABLE = new Int32Array(256).map((_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c;
});
function crc32(buf) {
  let c = -1;
  for (const b of buf) c = CRC_TABLE[(c ^ b) & 0xff] ^ (c >>> 8);
  return (c ^ -1) >>> 0;
}
function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'ascii');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}
function encodePng(img) {
  const { width, height, rgba } = img;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 6; // colour type RGBA
  const raw = Buffer.alloc((width * 4 + 1) * height);
  for (let y = 0; y < height; y++) {
    raw[y * (width * 4 + 1)] = 0;
    Buffer.from(rgba.buffer, y * width * 4, width * 4).copy(raw, y * (width * 4 + 1) + 1);
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// ---- Drawing: shapes are sampled SS x SS times per pixel for anti-aliased edges ---------------
const SS = 4;
function image(width, height) {
  return { width, height, rgba: new Uint8Array(width * height * 4) };
}
function blend(img, x, y, [r, g, b], alpha) {
  if (alpha <= 0) return;
  const i = (y * img.width + x) * 4;
  const a0 = img.rgba[i + 3] / 255;
  const a = alpha + a0 * (1 - alpha);
  const mix = (src, dst) => Math.round((src * alpha + dst * a0 * (1 - alpha)) / a);
  img.rgba[i] = mix(r, img.rgba[i]);
  img.rgba[i + 1] = mix(g, img.rgba[i + 1]);
  img.rgba[i + 2] = mix(b, img.rgba[i + 2]);
  img.rgba[i + 3] = Math.round(a * 255);
}
/** Fills every pixel whose sub-samples satisfy inside(x, y) (coordinates in 0..1 of the image). */
function fill(img, color, inside, bounds = [0, 0, 1, 1]) {
  const [x0, y0, x1, y1] = bounds;
  for (let y = Math.max(0, Math.floor(y0 * img.height)); y < Math.min(img.height, Math.ceil(y1 * img.height)); y++) {
    for (let x = Math.max(0, Math.floor(x0 * img.width)); x < Math.min(img.width, Math.ceil(x1 * img.width)); x++) {
      let hits = 0;
      for (let sy = 0; sy < SS; sy++) {
        for (let sx = 0; sx < SS; sx++) {
          if (inside((x + (sx + 0.5) / SS) / img.width, (y + (sy + 0.5) / SS) / img.height)) hits++;
        }
      }
      blend(img, x, y, color, hits / (SS * SS));
    }
  }
}
function roundRect(x0, y0, x1, y1, r) {
  return (x, y) => {
    if (x < x0 || x > x1 || y < y0 || y > y1) return false;
    const cx = Math.min(Math.max(x, x0 + r), x1 - r);
    const cy = Math.min(Math.max(y, y0 + r), y1 - r);
    return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
  };
}
function segment(ax, ay, bx, by, halfWidth) {
  return (x, y) => {
    const dx = bx - ax;
    const dy = by - ay;
    const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
    return (x - ax - t * dx) ** 2 + (y - ay - t * dy) ** 2 <= halfWidth * halfWidth;
  };
}

const UP = [0x2e, 0xd5, 0x73];
const DOWN = [0xff, 0x5a, 0x6a];
const WHITE = [0xff, 0xff, 0xff];

/** Background layer: a diagonal deep-blue gradient, opaque. */
function drawBackground(img) {
  const from = [0x0a, 0x2a, 0x6b];
  const to = [0x12, 0x6b, 0xd9];
  for (let y = 0; y < img.height; y++) {
    for (let x = 0; x < img.width; x++) {
      const t = (x / img.width + (1 - y / img.height)) / 2;
      const i = (y * img.width + x) * 4;
      for (let c = 0; c < 3; c++) img.rgba[i + c] = Math.round(from[c] + (to[c] - from[c]) * t);
      img.rgba[i + 3] = 255;
    }
  }
}

/** Foreground layer: four candlesticks and a trend line, inside the central safe zone. */
function drawForeground(img) {
  // [centre x, wick top, wick bottom, body top, body bottom, rising?]
  const candles = [
    [0.31, 0.50, 0.72, 0.55, 0.68, false],
    [0.44, 0.40, 0.66, 0.45, 0.60, true],
    [0.57, 0.44, 0.64, 0.48, 0.58, false],
    [0.70, 0.28, 0.56, 0.33, 0.50, true],
  ];
  const bodyHalf = 0.042;
  const wickHalf = 0.008;
  for (const [cx, wt, wb, bt, bb, up] of candles) {
    fill(img, WHITE, roundRect(cx - wickHalf, wt, cx + wickHalf, wb, wickHalf), [cx - 0.05, wt - 0.01, cx + 0.05, wb + 0.01]);
    fill(img, up ? UP : DOWN, roundRect(cx - bodyHalf, bt, cx + bodyHalf, bb, 0.012), [cx - 0.05, bt - 0.01, cx + 0.05, bb + 0.01]);
  }
  const trend = [[0.24, 0.78], [0.44, 0.70], [0.57, 0.73], [0.76, 0.60]];
  for (let i = 1; i < trend.length; i++) {
    const [ax, ay] = trend[i - 1];
    const [bx, by] = trend[i];
    fill(img, WHITE, segment(ax, ay, bx, by, 0.011),
      [Math.min(ax, bx) - 0.02, Math.min(ay, by) - 0.02, Math.max(ax, bx) + 0.02, Math.max(ay, by) + 0.02]);
  }
}

/** Box-filter downscale by an integer factor (premultiplied, so transparent edges stay clean). */
function scaleDown(src, size) {
  const out = image(size, size);
  const f = src.width / size;
  if (!Number.isInteger(f)) throw new Error(`scaleDown needs an integer factor, got ${f}`);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const acc = [0, 0, 0, 0];
      for (let sy = 0; sy < f; sy++) {
        for (let sx = 0; sx < f; sx++) {
          const i = ((y * f + sy) * src.width + (x * f + sx)) * 4;
          const a = src.rgba[i + 3];
          acc[0] += src.rgba[i] * a;
          acc[1] += src.rgba[i + 1] * a;
          acc[2] += src.rgba[i + 2] * a;
          acc[3] += a;
        }
      }
      const o = (y * size + x) * 4;
      if (acc[3] > 0) for (let c = 0; c < 3; c++) out.rgba[o + c] = Math.round(acc[c] / acc[3]);
      out.rgba[o + 3] = Math.round(acc[3] / (f * f));
    }
  }
  return out;
}

function write(rel, png) {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, png);
  console.log(`wrote ${rel} (${png.length} bytes)`);
}

const background = image(1024, 1024);
drawBackground(background);
const foreground = image(1024, 1024);
drawForeground(foreground);

// Start-window icon: both layers, masked to a rounded square, composed at 1024 and scaled to 256.
const composed = image(1024, 1024);
const mask = roundRect(0.0, 0.0, 1.0, 1.0, 0.22);
for (let y = 0; y < 1024; y++) {
  for (let x = 0; x < 1024; x++) {
    if (!mask((x + 0.5) / 1024, (y + 0.5) / 1024)) continue;
    const i = (y * 1024 + x) * 4;
    blend(composed, x, y, [background.rgba[i], background.rgba[i + 1], background.rgba[i + 2]], 1);
    blend(composed, x, y, [foreground.rgba[i], foreground.rgba[i + 1], foreground.rgba[i + 2]], foreground.rgba[i + 3] / 255);
  }
}
const startIcon = scaleDown(composed, 256);

const fgPng = encodePng(foreground);
const bgPng = encodePng(background);
for (const dir of ['AppScope/resources/base/media', 'entry/src/main/resources/base/media']) {
  write(`${dir}/foreground.png`, fgPng);
  write(`${dir}/background.png`, bgPng);
}
write('entry/src/main/resources/base/media/startIcon.png', encodePng(startIcon));
