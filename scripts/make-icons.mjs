#!/usr/bin/env node
/**
 * Draws the Teams app icons into appPackage/: color.png (192x192, a blue shield holding a small network of three
 * connected nodes, on a transparent background) and outline.png (32x32, the same shape as a white outline on a
 * transparent background, as Teams asks). No image library: shapes are tested per pixel with 4x4 supersampling
 * for smooth edges, and the PNG is written with node:zlib.
 *
 *   node scripts/make-icons.mjs [outDir]     (default: appPackage/)
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';

const BRAND = [0x0f, 0x6c, 0xbd]; // Azure blue
const WHITE = [0xff, 0xff, 0xff];

// ------------------------------------------------------------------------------------------------ shapes
// Coordinates are normalised: (0,0) top left, (1,1) bottom right of the icon.

/** Half width of the shield at height v, or -1 outside its vertical extent. */
function shieldHalfWidth(v, inset) {
  const top = 0.08 + inset;
  const bottom = 0.94 - inset * 1.6;
  const shoulder = 0.5;
  const half = 0.4 - inset;
  if (v < top || v > bottom) return -1;
  if (v <= shoulder) return half;
  // From the shoulder down, the sides curve in to the point at the bottom.
  const t = (v - shoulder) / (bottom - shoulder);
  return half * Math.sqrt(Math.max(0, 1 - t * t)) * (1 - 0.15 * t);
}

function inShield(u, v, inset = 0) {
  const half = shieldHalfWidth(v, inset);
  if (half < 0) return false;
  const dx = Math.abs(u - 0.5);
  if (dx > half) return false;
  // Rounded top corners.
  const r = 0.08;
  const top = 0.08 + inset;
  const cx = half - r;
  const cy = top + r;
  if (dx > cx && v < cy) return (dx - cx) ** 2 + (v - cy) ** 2 <= r * r;
  return true;
}

function inCircle(u, v, cx, cy, r) {
  return (u - cx) ** 2 + (v - cy) ** 2 <= r * r;
}

/** Inside a line segment of half width w (a capsule). */
function inSegment(u, v, [ax, ay], [bx, by], w) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((u - ax) * dx + (v - ay) * dy) / (dx * dx + dy * dy)));
  return (u - (ax + t * dx)) ** 2 + (v - (ay + t * dy)) ** 2 <= w * w;
}

/** Three nodes joined in a triangle: a small network. */
const NETWORK = { hub: [0.5, 0.34], left: [0.34, 0.62], right: [0.66, 0.62], hubRadius: 0.085, nodeRadius: 0.07, line: 0.028 };
/** At 32 pixels the same network, a little smaller and higher, so that it keeps clear of the outline. */
const SMALL_NETWORK = { hub: [0.5, 0.33], left: [0.375, 0.56], right: [0.625, 0.56], hubRadius: 0.085, nodeRadius: 0.07, line: 0.03 };

function inNetwork(u, v, n) {
  return (
    inCircle(u, v, n.hub[0], n.hub[1], n.hubRadius) ||
    inCircle(u, v, n.left[0], n.left[1], n.nodeRadius) ||
    inCircle(u, v, n.right[0], n.right[1], n.nodeRadius) ||
    inSegment(u, v, n.hub, n.left, n.line) ||
    inSegment(u, v, n.hub, n.right, n.line) ||
    inSegment(u, v, n.left, n.right, n.line)
  );
}

/** color.png: the shield in brand blue, the network in white inside it. */
function colorPixel(u, v) {
  if (!inShield(u, v)) return null;
  return inNetwork(u, v, NETWORK) ? WHITE : BRAND;
}

/** outline.png: a white shield outline and the network, everything else transparent. */
function outlinePixel(u, v) {
  const ring = inShield(u, v) && !inShield(u, v, 0.085);
  return ring || inNetwork(u, v, SMALL_NETWORK) ? WHITE : null;
}

// ------------------------------------------------------------------------------------------------ raster + PNG

function render(size, pixel, samples = 4) {
  const rgba = Buffer.alloc(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let r = 0;
      let g = 0;
      let b = 0;
      let covered = 0;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const colour = pixel((x + (sx + 0.5) / samples) / size, (y + (sy + 0.5) / samples) / size);
          if (!colour) continue;
          covered++;
          r += colour[0];
          g += colour[1];
          b += colour[2];
        }
      }
      const i = (y * size + x) * 4;
      if (covered > 0) {
        rgba[i] = Math.round(r / covered);
        rgba[i + 1] = Math.round(g / covered);
        rgba[i + 2] = Math.round(b / covered);
        rgba[i + 3] = Math.round((255 * covered) / (samples * samples));
      }
    }
  }
  return rgba;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** An 8-bit RGBA PNG (colour type 6), every row with filter 0. */
function encodePng(size, rgba) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 6; // RGBA
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) rgba.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const outDir = process.argv[2] ?? join(import.meta.dirname, '..', 'appPackage');
writeFileSync(join(outDir, 'color.png'), encodePng(192, render(192, colorPixel)));
writeFileSync(join(outDir, 'outline.png'), encodePng(32, render(32, outlinePixel, 8)));
process.stdout.write(`icons written to ${outDir}: color.png (192x192), outline.png (32x32)\n`);
