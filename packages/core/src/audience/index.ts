export { MAX_ATTRIBUTE_TEXT, parseAttributeValue, parseBoolean, parseNumber } from './attributes.ts';
export { parseGender, parseLifecycleStage, parseLocale, parseTimeZone } from './choices.ts';
export { countryCode } from './country.ts';
export { ageOn, parseDate } from './dates.ts';
export { type EmailResult, normaliseEmail } from './email.ts';
export {
  ATTRIBUTE_TYPES,
  type AttributeDefinition,
  AttributeDefinitionSchema,
  type AttributeType,
  CONSENT_CHANNELS,
  type ConsentChannel,
  type ContactDraft,
  type ContactInput,
  charLength,
  type FieldProblem,
  GENDERS,
  type Gender,
  LIFECYCLE_STAGES,
  type LifecycleStage,
  STANDARD_FIELD_NAMES,
} from './fields.ts';
export { normalisePhone } from './phone.ts';
export { asciiDigits, matchKey } from './text.ts';
export { type ContactValidation, type ValidateOptions, validateContactInput } from './validate.ts';
