/**
 * The country a workspace's local phone numbers belong to, from its time zone:
 * a number typed as 0501234567 by a team in Riyadh is Saudi. Contacts with a
 * country of their own use that instead. Time zones shared by several
 * countries (none of those below) give no default, and such numbers need the
 * international form.
 */
const COUNTRY_OF_ZONE: Record<string, string> = {
  'Asia/Riyadh': 'SA',
  'Africa/Cairo': 'EG',
  'Asia/Dubai': 'AE',
  'Asia/Amman': 'JO',
  'Africa/Casablanca': 'MA',
  'Asia/Kuwait': 'KW',
  'Asia/Qatar': 'QA',
  'Asia/Bahrain': 'BH',
  'Asia/Muscat': 'OM',
  'Asia/Beirut': 'LB',
  'Asia/Baghdad': 'IQ',
  'Africa/Algiers': 'DZ',
  'Africa/Tunis': 'TN',
  'Africa/Tripoli': 'LY',
  'Africa/Khartoum': 'SD',
  'Asia/Aden': 'YE',
  'Asia/Damascus': 'SY',
  'Asia/Gaza': 'PS',
  'Asia/Hebron': 'PS',
  'Africa/Nouakchott': 'MR',
  'Europe/London': 'GB',
  'Europe/Paris': 'FR',
  'Europe/Berlin': 'DE',
  'Europe/Istanbul': 'TR',
  'America/New_York': 'US',
  'America/Chicago': 'US',
  'America/Denver': 'US',
  'America/Los_Angeles': 'US',
  'America/Toronto': 'CA',
};

export const defaultCountryOf = (timeZone: string): string | undefined => COUNTRY_OF_ZONE[timeZone];
