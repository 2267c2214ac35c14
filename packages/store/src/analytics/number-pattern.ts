/**
 * A plain decimal number as text, optionally signed and with an exponent, as
 * both engines' regular expressions read it. Bounded (20 digits before the
 * point, a 2-digit exponent) so that every match converts to a double on both.
 */
export const NUMBER_PATTERN = '\\s*[+-]?(\\d{1,20}(\\.\\d*)?|\\.\\d+)([eE][+-]?\\d{1,2})?\\s*';
