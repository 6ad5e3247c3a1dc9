// []byte fields travel as standard base64 (Go's base64.StdEncoding, padded, CR/LF ignored).
// This checks a string the way Go's decoder does, reporting the same byte offset on failure.

/** Padded, no line breaks, zero trailing bits: exactly what Go would re-encode. */
const CANONICAL = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/][AQgw]==|[A-Za-z0-9+/]{2}[AEIMQUYcgkosw048]=)?$/;

const isAlphabet = (c: number): boolean =>
  (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c === 43 || c === 47;
const isNewline = (c: number): boolean => c === 10 || c === 13;

/** Byte offset Go reports (`illegal base64 data at input byte N`), or -1 when `src` decodes. */
function corruptOffset(src: Buffer): number {
  let si = 0;
  for (;;) {
    // One quantum of four symbols.
    for (let j = 0; j < 4; j++) {
      if (si === src.length) {
        if (j === 0) return -1;
        return si - j; // input ended inside a quantum: padding is required
      }
      const c = src[si++]!;
      if (isAlphabet(c)) continue;
      if (isNewline(c)) { j--; continue; }
      if (c !== 61 /* = */) return si - 1;
      if (j === 0 || j === 1) return si - 1;
      if (j === 2) {
        while (si < src.length && isNewline(src[si]!)) si++;
        if (si === src.length) return src.length;
        if (src[si] !== 61) return si - 1;
        si++;
      }
      while (si < src.length && isNewline(src[si]!)) si++;
      return si < src.length ? si : -1;
    }
  }
}

/**
 * Validates standard base64 text. Returns the text upstream would serialise (re-encoded when
 * the input carried line breaks or non-zero trailing bits), or `{ error }` with Go's message.
 */
export function checkBase64(s: string): { text: string } | { error: string } {
  if (CANONICAL.test(s)) return { text: s };
  const offset = corruptOffset(Buffer.from(s, 'utf8'));
  if (offset >= 0) return { error: `illegal base64 data at input byte ${offset}` };
  return { text: Buffer.from(s, 'base64').toString('base64') };
}
