import { useState } from 'react';
import { Alert, Badge, Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { PasswordField } from '../../shared/ui/PasswordField';
import { useForm } from '@mantine/form';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api } from '../../shared/api/client';
import { applyFieldErrors, errorMessage } from '../../shared/ui/states';
import { useAuth } from './auth';
import { ApiTokensCard } from './ApiTokensCard';
import { NotificationSettingsCard } from '../messages/NotificationSettingsCard';
import { AvatarField } from './AvatarField';
import { ProfileForm } from './ProfileForm';

export function ProfilePage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const form = useForm({
    initialValues: { current_password: '', new_password: '', confirm: '' },
    validate: {
      current_password: (v) => (v ? null : t('profile.currentRequired')),
      new_password: (v) => (v.length >= 10 ? null : t('profile.tooShort')),
      confirm: (v, values) => (v === values.new_password ? null : t('profile.mismatch')),
    },
  });
  if (!me) return null;

  const changePassword = form.onSubmit(async ({ current_password, new_password }) => {
    setError(null);
    setSaving(true);
    try {
      await api('POST', '/api/v1/auth/password', { current_password, new_password });
      form.reset();
      notifications.show({ color: 'green', message: t('profile.passwordChanged') });
    } catch (caught) {
      setError(applyFieldErrors(caught, form.setFieldError, ['current_password', 'new_password']) ?? errorMessage(caught, t));
    } finally {
      setSaving(false);
    }
  });

  const logoutEverywhere = async () => {
    try {
      await api('POST', '/api/v1/auth/logout-everywhere');
    } finally {
      queryClient.setQueryData(['me'], null);
      navigate('/login', { replace: true });
    }
  };

  return (
    <Stack maw={900}>
      <Title order={1} size="h2">
        {t('profile.title')}
      </Title>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <ProfileForm />
        <Card withBorder>
          <Stack gap="xs">
            <Title order={2} size="h4">
              {t('profile.account')}
            </Title>
            <Text>
              <Text span fw={600}>{t('common.labelPrefix', { label: t('profile.name') })}</Text>
              {me.user.display_name}
            </Text>
            <Text>
              <Text span fw={600}>{t('common.labelPrefix', { label: t('profile.email') })}</Text>
              {me.user.email}
            </Text>
            {me.school && (
              <Text>
                <Text span fw={600}>{t('common.labelPrefix', { label: t('profile.school') })}</Text>
                {me.school.name}
              </Text>
            )}
            <AvatarField />
            <Group gap="xs">
              {me.user.roles.map((role) => (
                <Badge key={role} variant="light">
                  {t(`roles.${role}`)}
                </Badge>
              ))}
            </Group>
            <Button variant="light" color="red" mt="md" onClick={logoutEverywhere}>
              {t('profile.logoutEverywhere')}
            </Button>
            <Title order={2} size="h4" mt="md">{t('profile.data')}</Title>
            <Text size="sm" c="dimmed">{t('profile.exportHint')}</Text>
            <Button component="a" href="/api/v1/me/export" download="mnemos-personal-data.json" variant="light">
              {t('profile.export')}
            </Button>
          </Stack>
        </Card>
        <Card withBorder>
          <form onSubmit={changePassword} noValidate aria-label={t('profile.changePassword')}>
            <Stack gap="sm">
              <Title order={2} size="h4">
                {t('profile.changePassword')}
              </Title>
              {error && (
                <Alert color="red" role="alert">
                  {error}
                </Alert>
              )}
              <PasswordField label={t('profile.current')} autoComplete="current-password" required {...form.getInputProps('current_password')} />
              <PasswordField
                label={t('profile.new')}
                description={t('profile.policy')}
                autoComplete="new-password"
                required
                {...form.getInputProps('new_password')}
              />
              <PasswordField label={t('profile.confirm')} autoComplete="new-password" required {...form.getInputProps('confirm')} />
              <Button type="submit" loading={saving}>
                {t('profile.save')}
              </Button>
            </Stack>
          </form>
        </Card>
        {me.school && <NotificationSettingsCard />}
        <ApiTokensCard />
      </SimpleGrid>
    </Stack>
  );
}
