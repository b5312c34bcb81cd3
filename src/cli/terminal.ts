/**
 * Output helpers shared by the CLI commands.
 */

// Key names stored before the stricter name check, or claims of tokens from other tools, may
// contain characters that drive the operator's terminal. They are printed escaped, the way JSON
// writes C0 controls.
const terminalControls =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it escapes
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Escapes characters that a terminal would interpret, except tab and newline, as `\uXXXX`. */
export function escapeForTerminal(text: string): string {
  return text.replace(
    terminalControls,
    (character) => `\\u${character.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}
