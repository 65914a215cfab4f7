// Literal prefix → half-open key range [start, end) in SQLite's binary (UTF-8 byte) order.

/**
 * The smallest string greater than every string starting with `prefix`, or `null` when
 * there is none (empty prefix, or only U+10FFFF code points). UTF-8 byte order equals code
 * point order, so incrementing the last code point gives the bound.
 */
export function prefixEnd(prefix: string): string | null {
  const codePoints = Array.from(prefix);
  while (codePoints.length > 0) {
    const last = codePoints.pop()!.codePointAt(0)!;
    if (last < 0x10ffff) {
      const next = last + 1 === 0xd800 ? 0xe000 : last + 1;
      return codePoints.join("") + String.fromCodePoint(next);
    }
  }
  return null;
}

/** The smallest string greater than `key` in binary order. */
export function keySuccessor(key: string): string {
  return key + "\u0000";
}
