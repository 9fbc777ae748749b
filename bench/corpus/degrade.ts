// Turning a born-digital page into what clients really upload: a phone photo (colour, paper on a
// desk, sideways, JPEG) or a scan (grey, skewed, noisy, in an image-only PDF or a PNG). Rendering is
// poppler's pdftoppm; the rest is sharp plus two pixel loops (paper/vignette and noise) driven by
// the seeded PRNG so the bytes are reproducible.
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import sharp, { type Sharp } from "sharp";
import { A4, newDocument } from "./canvas.js";
import { chance, float, gaussian, int, pick, type Rand } from "./random.js";

const run = promisify(execFile);

export type Recipe = "photo" | "scan" | "png";

export interface DegradePlan {
  recipe: Recipe;
  dpi: number;
  color: boolean;
  /** Paper tint and vignette. */
  photoLook: boolean;
  /** Photo only: the desk shows round the sheet (a dark, noisy border that trips up OCR page segmentation). */
  desk: boolean;
  rotate: 0 | 90 | 180 | 270;
  /** Degrees, signed; 0 for none. */
  skew: number;
  /** Gaussian sigma in pixels; 0 for none. Above ~1.5 px at 200 dpi small print stops being readable. */
  blur: number;
  /** Standard deviation in grey levels; 0 for none. */
  noise: number;
  lowContrast: boolean;
  /** null: lossless PNG. */
  jpegQuality: number | null;
}

interface RawImage {
  data: Buffer;
  width: number;
  height: number;
  channels: number;
}

const signed = (rand: Rand, value: number) => (chance(rand, 0.5) ? value : -value);
const round1 = (value: number) => Math.round(value * 10) / 10;

/**
 * Realistic settings per kind of upload; each plan degrades something. A phone frames a narrow till
 * receipt much closer than an A4 page, so a receipt photo has more pixels per millimetre.
 */
export function planDegradation(rand: Rand, recipe: Recipe, receipt = false): DegradePlan {
  const photo = recipe === "photo";
  const plan: DegradePlan = {
    recipe,
    dpi: photo ? (receipt ? int(rand, 260, 320) : int(rand, 170, 200)) : 200,
    color: photo,
    photoLook: photo,
    desk: photo && chance(rand, 0.6),
    rotate:
      photo && chance(rand, 0.6)
        ? pick(rand, [90, 270, 90, 180] as const)
        : recipe === "png" && chance(rand, 0.25)
          ? pick(rand, [90, 270] as const)
          : recipe === "scan" && chance(rand, 0.1)
            ? 180
            : 0,
    skew: chance(rand, photo ? 0.8 : 0.6) ? round1(signed(rand, float(rand, 1, photo ? 4 : 3))) : 0,
    blur: chance(rand, photo ? 0.6 : 0.35) ? round1(float(rand, 0.6, photo ? 1.5 : 1.1)) : 0,
    noise: chance(rand, photo ? 0.9 : 0.6) ? int(rand, 4, photo ? 12 : 9) : 0,
    lowContrast: chance(rand, photo ? 0.3 : 0.4),
    jpegQuality: recipe === "png" ? null : int(rand, photo ? 35 : 45, 70),
  };
  if (!plan.skew && !plan.noise && !plan.blur) plan.noise = 6;
  return plan;
}

/** The names a corpus document lists, e.g. ["photo", "desk", "rotate90", "skew2.5", "blur1.2", "noise", "jpeg40"]. */
export function describe(plan: DegradePlan): string[] {
  return [
    plan.photoLook ? "photo" : "",
    plan.desk ? "desk" : "",
    plan.rotate ? `rotate${plan.rotate}` : "",
    plan.skew ? `skew${plan.skew}` : "",
    plan.blur ? `blur${plan.blur}` : "",
    plan.noise ? "noise" : "",
    plan.lowContrast ? "lowcontrast" : "",
    plan.jpegQuality ? `jpeg${plan.jpegQuality}` : "",
  ].filter(Boolean);
}

/** One page of a PDF as PNG bytes. */
export async function renderPage(pdf: string, page: number, dpi: number, color: boolean): Promise<Buffer> {
  const args = ["-r", String(dpi), "-f", String(page), "-l", String(page), "-singlefile", "-png", ...(color ? [] : ["-gray"]), pdf];
  const { stdout } = await run("pdftoppm", args, { encoding: "buffer", maxBuffer: 256 * 1024 * 1024 });
  return stdout;
}

async function toRaw(input: Sharp): Promise<RawImage> {
  const { data, info } = await input.raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

const fromRaw = (img: RawImage) => sharp(img.data, { raw: { width: img.width, height: img.height, channels: img.channels as 1 | 3 } });

/** Warm, slightly uneven paper and darker corners, as a phone camera under room light gives. */
function paperAndVignette(img: RawImage, rand: Rand): void {
  const tint = [float(rand, 0.93, 0.98), float(rand, 0.9, 0.95), float(rand, 0.8, 0.88)];
  const strength = float(rand, 0.12, 0.25);
  const { width, height, channels, data } = img;
  for (let y = 0; y < height; y++) {
    const dy = y / height - 0.5;
    for (let x = 0; x < width; x++) {
      const dx = x / width - 0.5;
      const light = 1 - strength * 2 * (dx * dx + dy * dy);
      const at = (y * width + x) * channels;
      for (let ch = 0; ch < channels; ch++) data[at + ch] = data[at + ch] * light * tint[Math.min(ch, 2)];
    }
  }
}

/** Sensor/scanner noise: the same deviate on every channel of a pixel (luminance noise). */
function addNoise(img: RawImage, rand: Rand, sd: number): void {
  const { data, channels } = img;
  for (let at = 0; at < data.length; at += channels) {
    const delta = gaussian(rand) * sd;
    for (let ch = 0; ch < channels; ch++) data[at + ch] = Math.max(0, Math.min(255, data[at + ch] + delta));
  }
}

const DESKS = [
  { r: 92, g: 70, b: 52 },
  { r: 60, g: 62, b: 66 },
  { r: 150, g: 140, b: 128 },
];

/**
 * Turns the page by the plan's quarter turns plus skew. With the desk in view the grown canvas stays
 * (the desk shows round the sheet); otherwise the frame is the page's own size (a scanner's bed, or a
 * photo filled by the sheet), so the corners are cut.
 */
async function rotate(img: RawImage, plan: DegradePlan, background: { r: number; g: number; b: number }): Promise<RawImage> {
  const turned = await toRaw(fromRaw(img).rotate(plan.rotate + plan.skew, { background }));
  if (plan.desk) return turned;
  const sideways = plan.rotate === 90 || plan.rotate === 270;
  const [width, height] = sideways ? [img.height, img.width] : [img.width, img.height];
  const frame = { left: Math.floor((turned.width - width) / 2), top: Math.floor((turned.height - height) / 2), width, height };
  return toRaw(fromRaw(turned).extract(frame));
}

/** Applies `plan` to a rendered page; returns the encoded JPEG or PNG. */
export async function degrade(png: Buffer, plan: DegradePlan, rand: Rand): Promise<Buffer> {
  let img = await toRaw(sharp(png).removeAlpha());
  let background = { r: 255, g: 255, b: 255 };
  if (plan.photoLook) paperAndVignette(img, rand);
  if (plan.desk) {
    background = pick(rand, DESKS);
    const margin = Math.round(img.width * float(rand, 0.03, 0.08));
    img = await toRaw(fromRaw(img).extend({ top: margin, bottom: margin, left: margin, right: margin, background }));
  }
  if (plan.rotate || plan.skew) img = await rotate(img, plan, background);
  if (plan.blur) img = await toRaw(fromRaw(img).blur(plan.blur));
  if (plan.noise) addNoise(img, rand, plan.noise);
  let out = fromRaw(img);
  // Low contrast: black becomes grey and white a light grey, as a faint print or a dim photo.
  if (plan.lowContrast) out = out.linear(0.6, 80);
  if (!plan.color) out = out.toColourspace("b-w");
  return plan.jpegQuality ? out.jpeg({ quality: plan.jpegQuality }).toBuffer() : out.png().toBuffer();
}

export interface PageImage {
  jpeg: Buffer;
  dpi: number;
}

/**
 * An image-only PDF, one A4 page per image: a page image at its physical size (pixels at `dpi`),
 * shrunk to fit (centred) if skewing made it larger, else placed top-left like paper on a scanner's glass.
 */
export async function imagePdf(pages: PageImage[]): Promise<Uint8Array> {
  const pdf = await newDocument("PortalDesk bench corpus (scan)");
  for (const { jpeg, dpi } of pages) {
    const image = await pdf.embedJpg(jpeg);
    const natural = { width: (image.width * 72) / dpi, height: (image.height * 72) / dpi };
    const scale = Math.min(1, A4[0] / natural.width, A4[1] / natural.height);
    const width = natural.width * scale;
    const height = natural.height * scale;
    const page = pdf.addPage(A4);
    const left = scale < 1 ? (A4[0] - width) / 2 : Math.min(18, A4[0] - width);
    const top = scale < 1 ? (A4[1] - height) / 2 : Math.min(18, A4[1] - height);
    page.drawImage(image, { x: left, y: A4[1] - top - height, width, height });
  }
  return pdf.save();
}
