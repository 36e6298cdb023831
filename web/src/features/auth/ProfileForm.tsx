// One's name and language; for students, the learning profile later modules read.
import { useState } from 'react';
import { Alert, Button, Card, Checkbox, NumberInput, Select, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../shared/api/client';
import { setLanguage } from '../../shared/i18n';
import { ErrorState, LoadingState, applyFieldErrors, errorMessage } from '../../shared/ui/states';

type Profile = Schemas['Profile'];
const NEEDS: Schemas['AccessibilityNeed'][] = ['dyslexia_font', 'larger_text', 'high_contrast', 'reduced_motion', 'screen_reader', 'extra_time'];

export function ProfileForm() {
  const { t } = useTranslation();
  const profile = useQuery({ queryKey: ['profile'], queryFn: () => api<Profile>('GET', '/api/v1/me/profile') });
  if (profile.isLoading) return <LoadingState />;
  if (profile.isError) return <ErrorState error={profile.error} onRetry={() => profile.refetch()} />;
  return <ProfileFields profile={profile.data!} key={JSON.stringify(profile.data)} t={t} />;
}

function ProfileFields({ profile, t }: { profile: Profile; t: (key: string) => string }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const student = profile.student;
  const form = useForm({
    initialValues: {
      display_name: profile.display_name,
      locale: profile.locale,
      preferred_session_minutes: student?.preferred_session_minutes ?? 15,
      learning_preferences: student?.learning_preferences ?? '',
      accessibility_needs: (student?.accessibility_needs ?? []) as string[],
    },
  });
  const save = form.onSubmit(async (values) => {
    setError(null);
    setSaving(true);
    const body: Record<string, unknown> = { display_name: values.display_name, locale: values.locale };
    if (student) {
      body.preferred_session_minutes = values.preferred_session_minutes;
      body.learning_preferences = values.learning_preferences;
      body.accessibility_needs = values.accessibility_needs;
    }
    try {
      const saved = await api<Profile>('PATCH', '/api/v1/me/profile', body);
      queryClient.setQueryData(['profile'], saved);
      void queryClient.invalidateQueries({ queryKey: ['me'] });
      setLanguage(saved.locale as 'fr' | 'en');
      notifications.show({ color: 'green', message: t('profile.saved') });
    } catch (caught) {
      setError(applyFieldErrors(caught, form.setFieldError, Object.keys(body)) ?? errorMessage(caught, t));
    } finally {
      setSaving(false);
    }
  });
  return (
    <Card withBorder>
      <form onSubmit={save} noValidate aria-label={t('profile.details')}>
        <Stack gap="sm">
          <Title order={2} size="h4">{t('profile.details')}</Title>
          {error && <Alert color="red" role="alert">{error}</Alert>}
          <TextInput label={t('profile.name')} required {...form.getInputProps('display_name')} />
          <Select label={t('common.language')} data={[{ value: 'fr', label: 'Français' }, { value: 'en', label: 'English' }]} allowDeselect={false} {...form.getInputProps('locale')} />
          {student && (
            <>
              <NumberInput label={t('profile.sessionMinutes')} min={5} max={120} step={5} {...form.getInputProps('preferred_session_minutes')} />
              <Textarea label={t('profile.preferences')} description={t('profile.preferencesHint')} autosize minRows={2} maxLength={2000} {...form.getInputProps('learning_preferences')} />
              <Checkbox.Group label={t('profile.needs')} {...form.getInputProps('accessibility_needs')}>
                <Stack gap={6} mt={6}>
                  {NEEDS.map((need) => <Checkbox key={need} value={need} label={t(`needs.${need}`)} />)}
                </Stack>
              </Checkbox.Group>
            </>
          )}
          <Button type="submit" loading={saving}>{t('common.save')}</Button>
        </Stack>
      </form>
    </Card>
  );
}
