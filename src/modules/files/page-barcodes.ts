// Barcodes on a page image (QR, Code 128, Code 39, Data Matrix), by ZXing (zxing-wasm, its
// WebAssembly loaded from the package itself: nothing is fetched). Used on pages with little text,
// where a separator sheet's code is what says "a new document starts here".
import fs from "node:fs/promises";
import { createRequire } from "node:module";
import sharp from "sharp";
import { prepareZXingModule, readBarcodes } from "zxing-wasm/reader";

/** Pages are scanned for codes at this longest side: a separator sheet's code is large. */
const BARCODE_SIDE = 1600;

let prepared: Promise<void> | null = null;

function prepare(): Promise<void> {
  prepared ??= (async () => {
    const wasm = await fs.readFile(createRequire(import.meta.url).resolve("zxing-wasm/reader/zxing_reader.wasm"));
    prepareZXingModule({ overrides: { wasmBinary: wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength) as ArrayBuffer } });
  })();
  return prepared;
}

/** The texts of the barcodes on the image at `file`; empty when there are none. */
export async function barcodesOn(file: string): Promise<string[]> {
  await prepare();
  const { data, info } = await sharp(file)
    .resize(BARCODE_SIDE, BARCODE_SIDE, { fit: "inside", withoutEnlargement: true })
    .ensureAlpha()
    .raw()
    .toBuffer({ resolveWithObject: true });
  const image = { data: new Uint8ClampedArray(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height, colorSpace: "srgb" } as ImageData;
  const found = await readBarcodes(image, { formats: ["QRCode", "Code128", "Code39", "DataMatrix"], tryHarder: true, maxNumberOfSymbols: 4 });
  return found.filter((b) => b.isValid && b.text).map((b) => b.text);
}
