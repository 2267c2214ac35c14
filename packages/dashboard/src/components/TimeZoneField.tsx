import { useI18n } from '../i18n/I18nProvider.tsx';
import { timeZoneOptions } from '../lib/timeZones.ts';
import { SelectField } from './SelectField.tsx';

interface TimeZoneFieldProps {
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
  /** What the zone decides here; the workspace's daily reports, or one site's. */
  hint?: string;
  testId: string;
  disabled?: boolean;
}

/** "Time zone": every IANA zone the browser knows (names stay as they are, left to right). */
export function TimeZoneField({ hint, testId, disabled, ...bound }: TimeZoneFieldProps) {
  const { t } = useI18n();
  return (
    <SelectField
      label={t('field.timezone')}
      hint={hint}
      disabled={disabled}
      dir="ltr"
      testId={testId}
      options={timeZoneOptions(bound.value).map((zone) => ({ value: zone, label: zone }))}
      {...bound}
    />
  );
}
