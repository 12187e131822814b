/** Word order of a 32-bit float over two 16-bit Modbus registers. */
export type WordOrder = "low-first" | "high-first";

/** A float32 as two register words in the given order (Watlow F4T default: low word first). */
export function floatToWords(value: number, order: WordOrder): [number, number] {
  const b = Buffer.alloc(4);
  b.writeFloatBE(value);
  const hi = b.readUInt16BE(0);
  const lo = b.readUInt16BE(2);
  return order === "low-first" ? [lo, hi] : [hi, lo];
}

/** The float32 held by two register words in the given order. */
export function wordsToFloat(words: readonly number[], order: WordOrder): number {
  const [hi, lo] = order === "low-first" ? [words[1], words[0]] : [words[0], words[1]];
  const b = Buffer.alloc(4);
  b.writeUInt16BE(hi & 0xffff, 0);
  b.writeUInt16BE(lo & 0xffff, 2);
  return b.readFloatBE(0);
}
