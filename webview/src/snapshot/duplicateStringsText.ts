// A duplicated string's value as the viewer shows it (no DOM, so tests run it in Node).

/** A string value as a quoted literal: quotes, backslashes and control characters escaped (bidi and zero-width
 * characters are escaped again when the text is shown, see dom.ts' safeText). */
export function stringLiteral(value: string): string {
  return JSON.stringify(value);
}
