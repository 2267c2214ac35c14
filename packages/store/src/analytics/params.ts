/** A value bound to a placeholder: text, or a number that the SQL casts. */
export type SqlValue = string | number;

/**
 * Collects bound values for one statement and hands out their placeholders.
 * Both engines number them `$1, $2, …`. Every value a user chose (ids, filter
 * values, patterns, property names) goes through here, never into the text.
 */
export class Params {
  readonly values: SqlValue[] = [];

  /** A placeholder for a text value, cast so both engines know its type. */
  text(value: string): string {
    this.values.push(value);
    return `cast($${this.values.length} as varchar)`;
  }

  /** A placeholder for a whole number (JavaScript numbers bind as floating point). */
  int(value: number): string {
    if (!Number.isSafeInteger(value)) throw new RangeError(`${value} is not a whole number`);
    this.values.push(value);
    return `cast($${this.values.length} as bigint)`;
  }

  /** A placeholder for a floating-point number. */
  float(value: number): string {
    if (!Number.isFinite(value)) throw new RangeError(`${value} is not a finite number`);
    this.values.push(value);
    return `cast($${this.values.length} as double precision)`;
  }

  /** A placeholder for an instant, sent as ISO 8601 text (millisecond precision on both engines). */
  time(value: Date | number): string {
    const date = typeof value === 'number' ? new Date(value) : value;
    this.values.push(date.toISOString());
    return `cast($${this.values.length} as timestamptz)`;
  }
}
