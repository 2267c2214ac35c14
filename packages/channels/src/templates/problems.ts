/**
 * The error values template compilation returns: a core Problem that also
 * carries the 1-based line and column of the fault in the text the author wrote.
 */
import type { Problem } from '@wasl/core';

export interface TemplateProblem extends Problem {
  code: 'invalid';
  /** 1-based line in the part named by `part`. */
  line?: number;
  /** 1-based column (UTF-16 code units, as editors count them). */
  column?: number;
  /** Which text the position refers to: 'mjml' (email body), 'subject' or 'body' (SMS). */
  part?: string;
}

export interface Position {
  line: number;
  column: number;
}

/** Builds a problem whose message ends with "at line L, column C" when a position is known. */
export const templateProblem = (
  message: string,
  field: string,
  part: string,
  position?: Position,
): TemplateProblem =>
  position === undefined
    ? { code: 'invalid', message, field, part }
    : {
        code: 'invalid',
        message: `${message} at line ${position.line}, column ${position.column}`,
        field,
        part,
        line: position.line,
        column: position.column,
      };

/** The 1-based line and column of a string offset. */
export const positionOf = (text: string, offset: number): Position => {
  let line = 1;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) {
    line += 1;
    lineStart = i + 1;
  }
  return { line, column: offset - lineStart + 1 };
};
