import { createHash, createHmac, randomInt, timingSafeEqual } from "node:crypto";
import { deflateSync } from "node:zlib";
import type { SandboxState } from "./state";

/**
 * Media the sandbox serves like Meta's media endpoints: small PNG "photos" drawn in code from a seed,
 * so nothing binary lives in the repository and the state file keeps only `{ id, seed }`.
 * https://developers.facebook.com/documentation/business-messaging/whatsapp/business-phone-numbers/media
 */

export type MediaFile = {
  id: string;
  mimeType: string;
  bytes: Buffer;
  size: number;
  sha256Hex: string;
  /** Webhooks carry the sha256 base64-encoded; the media endpoint answers it in hex. */
  sha256Base64: string;
};

const size = 200;
/** Meta's media URLs expire after five minutes. */
export const mediaUrlTtlMs = 5 * 60 * 1000;

/** Where a test can make the sandbox fail once: the media endpoint (`GET /{media-id}`) or the download URL. */
export type MediaFaultTarget = "info" | "download";

export function createMediaStore(deps: { state: SandboxState; secret: string; now: () => Date }) {
  const faults: { target: MediaFaultTarget; status: number; remaining: number }[] = [];
  // Rendering is cheap but not free; keep the few most recent files.
  const cache = new Map<string, MediaFile>();
  // Files the business uploaded (POST /{phone_number_id}/media); kept in memory only, like a 30-day id.
  const uploaded = new Map<string, MediaFile & { fileName: string }>();

  function file(id: string, seed: number, mimeType: string): MediaFile {
    const cached = cache.get(id);
    if (cached) return cached;
    const result = describeFile(id, renderPhoto(seed), mimeType);
    cache.set(id, result);
    if (cache.size > 64) cache.delete(cache.keys().next().value!);
    return result;
  }

  function sign(payload: string) {
    return createHmac("sha256", deps.secret).update(`media-download:${payload}`).digest("base64url").slice(0, 32);
  }

  return {
    /** The next `count` requests to `target` answer `status` instead (a CDN 404, a Graph 5xx). */
    injectFault(target: MediaFaultTarget, status: number, count: number) {
      faults.push({ target, status, remaining: count });
    },

    /** The status an injected fault makes this request answer, if any (each request uses one up). */
    takeFault(target: MediaFaultTarget): number | null {
      const fault = faults.find((f) => f.target === target);
      if (!fault) return null;
      if (--fault.remaining <= 0) faults.splice(faults.indexOf(fault), 1);
      return fault.status;
    },

    /** A new photo with a fresh media id, as when someone sends one from a phone. */
    create(seed: number = randomSeed()): MediaFile {
      const id = `1${String(randomInt(0, 2 ** 47)).padStart(15, "0")}`;
      return this.register(id, seed);
    },

    /** Registers a photo under a chosen id (history media ids are derived from the history). */
    register(id: string, seed: number): MediaFile {
      deps.state.addMedia({ id, seed, mimeType: "image/png", createdAt: deps.now().toISOString() });
      return file(id, seed, "image/png");
    },

    /** Stores an uploaded file under a fresh media id. */
    upload(bytes: Buffer, mimeType: string, fileName: string): MediaFile {
      const id = `2${String(randomInt(0, 2 ** 47)).padStart(15, "0")}`;
      const file = { ...describeFile(id, bytes, mimeType), fileName };
      uploaded.set(id, file);
      return file;
    },

    get(id: string): MediaFile | null {
      const own = uploaded.get(id);
      if (own) return own;
      const record = deps.state.findMedia(id);
      return record ? file(record.id, record.seed, record.mimeType) : null;
    },

    /** A short-lived download path, `/media-download/<opaque>`, that only this sandbox can mint. */
    downloadPath(id: string): string {
      const payload = `${Buffer.from(id).toString("base64url")}.${deps.now().getTime() + mediaUrlTtlMs}`;
      return `/media-download/${payload}.${sign(payload)}`;
    },

    /** The media id behind a download path's opaque part; null when forged or expired (Meta answers 404). */
    resolveDownload(opaque: string): string | null {
      const [encodedId, expires, signature] = opaque.split(".");
      if (!encodedId || !expires || !signature) return null;
      const expected = Buffer.from(sign(`${encodedId}.${expires}`));
      const given = Buffer.from(signature);
      if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
      if (Number(expires) < deps.now().getTime()) return null;
      return Buffer.from(encodedId, "base64url").toString("utf8");
    },
  };
}

export type MediaStore = ReturnType<typeof createMediaStore>;

export const randomSeed = () => randomInt(0, 2 ** 31);

/** A preview of the photo a seed draws, without registering it as media. */
export function renderPhoto(seed: number): Buffer {
  const random = mulberry32(seed);
  const palette = palettes[Math.floor(random() * palettes.length)]!;
  const draw = patterns[seed % patterns.length]!;
  const paint = draw(palette, random);
  const pixels = Buffer.alloc(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const [r, g, b] = paint(x, y);
      const offset = (y * size + x) * 3;
      pixels[offset] = r;
      pixels[offset + 1] = g;
      pixels[offset + 2] = b;
    }
  }
  return encodePng(size, size, pixels);
}

type Rgb = readonly [number, number, number];
type Palette = { back: Rgb; fore: Rgb; accent: Rgb; dark: Rgb };
type Pattern = (palette: Palette, random: () => number) => (x: number, y: number) => Rgb;

const hex = (value: string): Rgb => [
  Number.parseInt(value.slice(1, 3), 16),
  Number.parseInt(value.slice(3, 5), 16),
  Number.parseInt(value.slice(5, 7), 16),
];

const palettes: Palette[] = [
  { back: hex("#f3e9dc"), fore: hex("#c96f4a"), accent: hex("#3f8f5b"), dark: hex("#5a3a2e") },
  { back: hex("#e3f1f4"), fore: hex("#2b7a9e"), accent: hex("#f2b134"), dark: hex("#1d3b53") },
  { back: hex("#f6e7ef"), fore: hex("#b0487a"), accent: hex("#5e9c76"), dark: hex("#4a2340") },
  { back: hex("#eef2dd"), fore: hex("#6f8f2f"), accent: hex("#d9643a"), dark: hex("#33401b") },
  { back: hex("#ebe8f7"), fore: hex("#5b4bb7"), accent: hex("#f08a5d"), dark: hex("#262052") },
];

const mix = (a: Rgb, b: Rgb, t: number): Rgb => [
  Math.round(a[0] + (b[0] - a[0]) * t),
  Math.round(a[1] + (b[1] - a[1]) * t),
  Math.round(a[2] + (b[2] - a[2]) * t),
];

const leafGreen = hex("#3f8f5b");

const patterns: Pattern[] = [
  // A potted plant: terracotta pot, round leaves, soft backdrop.
  (p, random) => {
    const leaves = Array.from({ length: 5 }, () => ({
      x: 60 + random() * 80,
      y: 40 + random() * 60,
      r: 18 + random() * 16,
    }));
    return (x, y) => {
      if (y > 120 && y < 180 && Math.abs(x - 100) < 42 - (y - 120) * 0.25) return y < 132 ? p.dark : p.fore;
      for (const leaf of leaves) {
        const d = Math.hypot(x - leaf.x, y - leaf.y);
        if (d < leaf.r) return mix(leafGreen, [255, 255, 255], d / leaf.r / 4);
      }
      if (y > 178) return mix(p.back, p.dark, 0.25);
      return mix(p.back, [255, 255, 255], y / 400);
    };
  },
  // Diagonal stripes.
  (p, random) => {
    const width = 14 + Math.floor(random() * 14);
    return (x, y) => (Math.floor((x + y) / width) % 2 === 0 ? p.fore : p.back);
  },
  // A sunset: gradient sky, sun, dark hills.
  (p, random) => {
    const sunX = 50 + random() * 100;
    return (x, y) => {
      const hill = 150 + Math.sin(x / 23 + sunX) * 12;
      if (y > hill) return p.dark;
      if (Math.hypot(x - sunX, y - 110) < 34) return p.accent;
      return mix(p.back, p.fore, y / 200);
    };
  },
  // Concentric rings.
  (p, random) => {
    const cx = 60 + random() * 80;
    const cy = 60 + random() * 80;
    return (x, y) => {
      const ring = Math.floor(Math.hypot(x - cx, y - cy) / 16);
      return ring % 3 === 0 ? p.fore : ring % 3 === 1 ? p.back : p.accent;
    };
  },
  // A checkerboard with a dot in each dark square.
  (p, random) => {
    const cell = 25 + Math.floor(random() * 3) * 5;
    return (x, y) => {
      const isDark = (Math.floor(x / cell) + Math.floor(y / cell)) % 2 === 0;
      const dx = (x % cell) - cell / 2;
      const dy = (y % cell) - cell / 2;
      if (isDark && Math.hypot(dx, dy) < cell / 5) return p.accent;
      return isDark ? p.fore : p.back;
    };
  },
];

function mulberry32(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A minimal PNG encoder: 8-bit RGB, no interlacing, filter 0 on every row. */
function encodePng(width: number, height: number, rgb: Buffer): Buffer {
  const rows = Buffer.alloc((width * 3 + 1) * height);
  for (let y = 0; y < height; y++) {
    rgb.copy(rows, y * (width * 3 + 1) + 1, y * width * 3, (y + 1) * width * 3);
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", header),
    chunk("IDAT", deflateSync(rows, { level: 9 })),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const typed = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed));
  return Buffer.concat([length, typed, crc]);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Buffer): number {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A file as Meta describes it: size and both spellings of its sha256 (hex and base64 both occur). */
function describeFile(id: string, bytes: Buffer, mimeType: string) {
  const digest = createHash("sha256").update(bytes).digest();
  return { id, mimeType, bytes, size: bytes.length, sha256Hex: digest.toString("hex"), sha256Base64: digest.toString("base64") };
}
