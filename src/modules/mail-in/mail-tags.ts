// Subject tags that file a mail's documents straight into a tray: the Dutch names of the trays.
import { TrayKind } from "../documents/document.entity.js";

const TAGS: Record<string, TrayKind> = { INK: TrayKind.PURCHASE, VRK: TrayKind.SALES, BON: TrayKind.RECEIPTS, BANK: TrayKind.BANK_STATEMENTS };

/** The tray a subject's tag names ([INK], [VRK], [BON], [BANK], any case), or null for the desk. */
export function trayOfSubject(subject: string): TrayKind | null {
  const tag = /\[(INK|VRK|BON|BANK)\]/i.exec(subject)?.[1];
  return tag ? TAGS[tag.toUpperCase()]! : null;
}
