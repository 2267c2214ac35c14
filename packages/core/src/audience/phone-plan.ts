import { type CountryCode, isSupportedCountry, Metadata } from 'libphonenumber-js/max';

// The parts of libphonenumber's metadata API the fast path reads (its typings list fewer).
interface PlanApi {
  numberingPlan?: {
    nationalPrefix(): string | undefined;
    nationalPrefixForParsing(): string | undefined;
    nationalPrefixTransformRule(): string | undefined;
    nationalNumberPattern(): string;
    type(type: string): { pattern(): string; possibleLengths(): number[] | undefined } | undefined;
  };
  hasTypes(): boolean;
  countryCallingCode(): string;
}

interface Plan {
  callingCode: string;
  nationalPrefix: string;
  general: RegExp;
  types: { lengths: number[] | undefined; pattern: RegExp }[];
}

// The types isValid() accepts (libphonenumber's getNumberType).
const TYPES = [
  'FIXED_LINE',
  'MOBILE',
  'PREMIUM_RATE',
  'TOLL_FREE',
  'SHARED_COST',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
];

const plans = new Map<string, Plan | null>();

/**
 * A country's plan when it is simple enough for the fast path: a national
 * prefix (0) stripped as is, no parsing rule, type patterns present.
 */
function planOf(country: string): Plan | null {
  let plan = plans.get(country);
  if (plan !== undefined) return plan;
  plan = null;
  if (isSupportedCountry(country)) {
    const metadata = new Metadata() as unknown as PlanApi & { selectNumberingPlan(c: CountryCode): void };
    metadata.selectNumberingPlan(country);
    const np = metadata.numberingPlan;
    const prefix = np?.nationalPrefix();
    if (
      np &&
      prefix &&
      np.nationalPrefixForParsing() === prefix &&
      !np.nationalPrefixTransformRule() &&
      metadata.hasTypes()
    ) {
      const types: Plan['types'] = [];
      for (const name of TYPES) {
        const type = np.type(name);
        const pattern = type?.pattern();
        if (type && pattern)
          types.push({ lengths: type.possibleLengths(), pattern: new RegExp(`^(?:${pattern})$`) });
      }
      plan = {
        callingCode: metadata.countryCallingCode(),
        nationalPrefix: prefix,
        general: new RegExp(`^(?:${np.nationalNumberPattern()})$`),
        types,
      };
    }
  }
  plans.set(country, plan);
  return plan;
}

/**
 * E.164 for a national number written with its national prefix (0501234567
 * in SA) when it is valid by type, using libphonenumber's own patterns,
 * compiled once; undefined means "ask libphonenumber". An import checks a
 * million of these, and libphonenumber's full parse costs ~7 µs each.
 */
export function fastNationalE164(digits: string, country: string): string | undefined {
  const plan = planOf(country);
  if (plan === null || !digits.startsWith(plan.nationalPrefix)) return undefined;
  const national = digits.slice(plan.nationalPrefix.length);
  if (national.startsWith(plan.nationalPrefix) || !plan.general.test(national)) return undefined;
  for (const type of plan.types) {
    if (
      (type.lengths === undefined || type.lengths.includes(national.length)) &&
      type.pattern.test(national)
    ) {
      return `+${plan.callingCode}${national}`;
    }
  }
  return undefined;
}
