/**
 * The JSON bytes the snapshot readers tell apart. A byte read from the buffer is typed Ch so every comparison is
 * checked; esbuild inlines the values, so the hot loops compare against constants.
 */
export const enum Ch {
  Tab = 0x09,
  Newline = 0x0a,
  Return = 0x0d,
  Space = 0x20,
  Quote = 0x22,
  Comma = 0x2c,
  Digit0 = 0x30,
  Digit9 = 0x39,
  Colon = 0x3a,
  LBracket = 0x5b,
  Backslash = 0x5c,
  RBracket = 0x5d,
  LBrace = 0x7b,
  RBrace = 0x7d,
  /** First byte of the UTF-8 byte order mark EF BB BF. */
  ByteOrderMark = 0xef,
}
