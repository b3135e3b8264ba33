import { tokenizer, type Options } from 'acorn';

/** Where code starts on each line of a plain script: line (1-based) -> column (1-based) of its first token. */
export interface CodeLines {
  readonly lineCount: number;
  readonly firstColumn: ReadonlyMap<number, number>;
}

const BASE_OPTIONS: Options = {
  ecmaVersion: 'latest',
  allowHashBang: true,
  allowReturnOutsideFunction: true,
  allowImportExportEverywhere: true,
  allowAwaitOutsideFunction: true,
  locations: true,
};

/**
 * The lines of a plain JavaScript file on which a token starts, so a probe on
 * a blank line, a comment, or the middle of a multi-line string can move to
 * the next line with code, as it does through a source map. Undefined when
 * the text does not tokenize (a syntax acorn does not know): the caller then
 * takes the developer's line as it is.
 */
export function findCodeLines(text: string): CodeLines | undefined {
  const lineCount = text.split(/\r\n|\r|\n|\u2028|\u2029/).length;
  // Scripts and modules tokenize differently (e.g. `<!--` comments, reserved words); try both.
  for (const sourceType of ['script', 'module'] as const) {
    try {
      const firstColumn = new Map<number, number>();
      for (const token of tokenizer(text, { ...BASE_OPTIONS, sourceType })) {
        const line = token.loc?.start.line;
        const column = token.loc?.start.column;
        if (line !== undefined && column !== undefined && !firstColumn.has(line)) firstColumn.set(line, column + 1);
      }
      return { lineCount, firstColumn };
    } catch {
      // try the other source type
    }
  }
  return undefined;
}
