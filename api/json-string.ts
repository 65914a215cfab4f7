// A string as JSON text, for writers that build JSON by hand (managedFields, whose keys are
// many and short): JSON.stringify's result, without the call when nothing needs escaping.

const needsEscape = /["\\\u0000-\u001f\ud800-\udfff]/;

/** As JSON.stringify(text). */
export function jsonString(text: string): string {
  return needsEscape.test(text) ? JSON.stringify(text) : `"${text}"`;
}
