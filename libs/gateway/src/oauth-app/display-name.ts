import { Matches } from 'class-validator';

/**
 * An application's name is shown to people (the consent page, the account console): at least one visible
 * character, and no control or bidirectional-formatting character, with which `evil\u202Egnp.exe` would
 * read as `evilexe.png`. A pattern, not a custom rule, so the precompiled flat check still applies.
 */
const DISPLAY_NAME = /^(?=[^]*[^\s\u200B-\u200D\u2060\uFEFF])[^\p{Cc}\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]+$/u;

export const IsDisplayName = () =>
  Matches(DISPLAY_NAME, { message: '$property must show a visible character and hold no control or bidirectional-formatting character' });
