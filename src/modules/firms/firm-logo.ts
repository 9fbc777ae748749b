// A firm's logo: a PNG or SVG upload, streamed to a temp file (bounded), its type decided from its
// content, and redrawn as a PNG of at most 600 × 200 pixels. Redrawing is the sanitising: whatever
// an SVG holds (scripts, event handlers, links) is not in the PNG a browser or mail client gets, and
// a PNG's extra chunks (text, metadata) are gone too. The SVG renderer (librsvg, through sharp) reads
// no files or URLs for an SVG given as bytes.
import fs from "node:fs/promises";
import sharp from "sharp";
import { UserError, UserErrorCode } from "../../core/errors.js";
import type { IncomingFile } from "../../core/incoming-file.js";
import { filenameProblem, normaliseFilename } from "../files/filename.js";
import { intake, IntakeTooLargeError } from "../files/upload-intake.js";

export const MAX_LOGO_BYTES = 1024 * 1024;
const BOX = { width: 600, height: 200 };
/** Decoding more is refused: a logo needs no more, and a tiny file can announce gigapixels. */
const MAX_INPUT_PIXELS = 25_000_000;
const FIELD = ["logo"];

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** An SVG document: an optional XML declaration, comments or doctype, then the svg element. */
const SVG_START = /^\uFEFF?\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*|<!DOCTYPE[^>]*>\s*)*<svg[\s>]/i;

function formatOf(head: Buffer): "PNG" | "SVG" | null {
  if (head.subarray(0, 8).equals(PNG_MAGIC)) return "PNG";
  return SVG_START.test(head.toString("utf8")) ? "SVG" : null;
}

/** The logo as the PNG to store, or a UserError on `logo` saying what is wrong with the upload. */
export async function receiveLogo(pending: Promise<IncomingFile>, tempDir: string): Promise<Buffer> {
  let file: IncomingFile;
  try {
    file = await pending;
  } catch (error) {
    throw new UserError(
      UserErrorCode.INVALID,
      { en: `The logo did not arrive: ${(error as Error).message}`, nl: `Het logo is niet aangekomen: ${(error as Error).message}` },
      FIELD,
    );
  }
  const nameProblem = filenameProblem(file.filename, FIELD);
  if (nameProblem) throw nameProblem;
  const shown = JSON.stringify(normaliseFilename(file.filename));
  let received;
  try {
    received = await intake(file.createReadStream(), tempDir, MAX_LOGO_BYTES);
  } catch (error) {
    if (error instanceof IntakeTooLargeError || (error as { status?: number }).status === 413) {
      throw new UserError(
        UserErrorCode.INVALID,
        { en: `${shown} is too large: a logo has at most ${MAX_LOGO_BYTES / 1024} KB`, nl: `${shown} is te groot: een logo is hoogstens ${MAX_LOGO_BYTES / 1024} KB` },
        FIELD,
      );
    }
    throw new UserError(
      UserErrorCode.INVALID,
      { en: `${shown} did not arrive completely: the upload broke off`, nl: `${shown} is niet volledig aangekomen: het uploaden is afgebroken` },
      FIELD,
    );
  }
  try {
    const format = formatOf(received.head);
    if (!format) throw new UserError(UserErrorCode.INVALID, { en: `${shown} is not a PNG or SVG image`, nl: `${shown} is geen PNG- of SVG-afbeelding` }, FIELD);
    try {
      return await sharp(received.tempPath, { limitInputPixels: MAX_INPUT_PIXELS, ...(format === "SVG" ? { density: 144 } : {}) })
        .resize({ ...BOX, fit: "inside", withoutEnlargement: true })
        .png()
        .toBuffer();
    } catch {
      throw new UserError(
        UserErrorCode.INVALID,
        {
          en: `${shown} cannot be read as a ${format} image (or it is larger than ${MAX_INPUT_PIXELS / 1_000_000} megapixels)`,
          nl: `${shown} kan niet als ${format}-afbeelding worden gelezen (of is groter dan ${MAX_INPUT_PIXELS / 1_000_000} megapixel)`,
        },
        FIELD,
      );
    }
  } finally {
    await fs.rm(received.tempPath, { force: true });
  }
}
