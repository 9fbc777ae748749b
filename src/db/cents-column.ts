// A bigint column of whole cents, read and written as BigInt: no float ever touches an amount.
import type { ValueTransformer } from "typeorm";

export const centsColumn: ValueTransformer = {
  to: (value: bigint | null | undefined) => (value === null || value === undefined ? value : String(value)),
  from: (value: string | null) => (value === null ? null : BigInt(value)),
};
