import { useEffect, useState } from 'react';
import { Alert, Anchor, Button, Center, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { PasswordField } from '../../shared/ui/PasswordField';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { LanguageSwitch } from '../shell/LanguageSwitch';
import { applyFieldErrors, errorMessage } from '../../shared/ui/states';
import { forgetSessionEndedReason, sessionEndedReason, useAuth } from './auth';

export function LoginPage() {
  const { t } = useTranslation();
  const { me, login } = useAuth();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [error, setError] = useState<string | null>(null);
  const [submitting, setSubmitting] = useState(false);
  const form = useForm({
    initialValues: {
      school: params.get('school') ?? localStorage.getItem('mnemos.school') ?? '',
      email: '',
      password: '',
    },
    validate: {
      email: (value) => (/^\S+@\S+\.\S+$/.test(value.trim()) ? null : t('login.emailInvalid')),
      password: (value) => (value ? null : t('login.passwordRequired')),
    },
  });
  const next = params.get('next');
  const [ended] = useState(sessionEndedReason);
  useEffect(forgetSessionEndedReason, []);
  const target = next && next.startsWith('/') && !next.startsWith('//') ? next : '/';

  if (me) return <Navigate to={target} replace />;

  const submit = form.onSubmit(async (values) => {
    setError(null);
    setSubmitting(true);
    try {
      await login(values.school, values.email.trim(), values.password);
      localStorage.setItem('mnemos.school', values.school.trim().toLowerCase());
      navigate(target, { replace: true });
    } catch (caught) {
      setError(applyFieldErrors(caught, form.setFieldError, ['email', 'password']) ?? errorMessage(caught, t));
    } finally {
      setSubmitting(false);
    }
  });

  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Paper component="main" withBorder shadow="sm" p="xl" w="100%" maw={420}>
        <Stack>
          <Stack gap={4}>
            <Title order={1} size="h2">
              Mnemos
            </Title>
            <Text c="dimmed">{t('login.subtitle')}</Text>
          </Stack>
          <form onSubmit={submit} noValidate aria-label={t('login.title')}>
            <Stack>
              {ended && !error && (
                <Alert color="blue" role="status" title={t('login.endedTitle')}>
                  {t(`login.ended.${ended}`, { defaultValue: t('login.ended.logged_out') })}
                </Alert>
              )}
              {error && (
                <Alert color="red" role="alert" title={t('login.failed')}>
                  {error}
                </Alert>
              )}
              <TextInput
                label={t('login.school')}
                description={t('login.schoolHint')}
                autoComplete="organization"
                autoCapitalize="none"
                {...form.getInputProps('school')}
              />
              <TextInput
                label={t('login.email')}
                type="email"
                required
                autoComplete="username"
                autoCapitalize="none"
                {...form.getInputProps('email')}
              />
              <PasswordField
                label={t('login.password')}
                required
                autoComplete="current-password"
                {...form.getInputProps('password')}
              />
              <Button type="submit" loading={submitting} fullWidth>
                {t('login.submit')}
              </Button>
            </Stack>
          </form>
          <Stack gap={4} align="center">
            <Anchor component={Link} to="/forgot-password" size="sm">
              {t('forgot.link')}
            </Anchor>
            <LanguageSwitch />
            <Anchor href="/api/v1/openapi.json" size="xs" c="dimmed">
              API
            </Anchor>
          </Stack>
        </Stack>
      </Paper>
    </Center>
  );
}
