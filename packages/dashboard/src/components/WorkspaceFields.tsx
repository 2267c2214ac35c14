import { useI18n } from '../i18n/I18nProvider.tsx';
import { SelectField } from './SelectField.tsx';
import { TextField } from './TextField.tsx';
import { TimeZoneField } from './TimeZoneField.tsx';

interface Bound {
  value: string;
  error: string | undefined;
  onChange: (value: string) => void;
}

/** Name, default language and time zone: shared by "new workspace" and workspace settings. */
export function WorkspaceFields(props: { name: Bound; locale: Bound; timezone: Bound; disabled?: boolean }) {
  const { t } = useI18n();
  const { disabled } = props;
  return (
    <>
      <TextField
        label={t('field.workspaceName')}
        required
        disabled={disabled}
        testId="workspace-name"
        {...props.name}
      />
      <SelectField
        label={t('field.workspaceLocale')}
        hint={t('field.workspaceLocaleHint')}
        disabled={disabled}
        testId="workspace-locale"
        options={[
          { value: 'ar', label: t('language.ar'), lang: 'ar' },
          { value: 'en', label: t('language.en'), lang: 'en' },
        ]}
        {...props.locale}
      />
      <TimeZoneField
        hint={t('field.timezoneHint')}
        disabled={disabled}
        testId="workspace-timezone"
        {...props.timezone}
      />
    </>
  );
}
