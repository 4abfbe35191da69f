/**
 * Strings read out of a document's text, as strings of their own.
 *
 * V8 makes a slice of 13 characters or more a view into the whole string. A name the analysis of
 * one part keeps (an argument name, a name it binds) would then keep alive the whole text of the
 * document as it was when that part was analysed: one copy of the file for every part edited
 * since. Concatenating first makes V8 copy the characters when the result is sliced.
 */
export function detached(slice: string): string {
  return ` ${slice}`.slice(1);
}
