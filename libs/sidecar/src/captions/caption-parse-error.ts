/** A caption file that cannot be read, with the 1-based line where reading failed. */
export class CaptionParseError extends Error {
  override readonly name = 'CaptionParseError';

  constructor(
    readonly line: number,
    readonly problem: string,
  ) {
    super(`line ${line}: ${problem}`);
  }
}
