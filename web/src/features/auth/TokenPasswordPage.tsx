// The pages behind the links sent by email: accept an invitation, reset a password.
// Both choose a password with a single-use token taken from the address.
import { useEffect, useState } from 'react';
import { Alert, Anchor, Button, Center, Loader, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { PasswordField } from '../../shared/ui/PasswordField';
import { useForm } from '@mantine/form';
import { useTranslation } from 'react-i18next';
import { Link, useSearchParams } from 'react-router-dom';
import { ApiError, api } from '../../shared/api/client';
import { applyFieldErrors, errorMessage } from '../../shared/ui/states';
import { LanguageSwitch } from '../shell/LanguageSwitch';

interface Invitation {
  email: string;
  display_name: string;
  school_name: string;
  school: string;
}

function Frame({ title, children }: { title: string; children: React.ReactNode }) {
  return (
    <Center mih="100vh" p="md" bg="gray.0">
      <Paper component="main" withBorder shadow="sm" p="xl" w="100%" maw={440}>
        <Stack>
          <Title order={1} size="h2">{title}</Title>
          {children}
          <Center><LanguageSwitch /></Center>
        </Stack>
      </Paper>
    </Center>
  );
}

function PasswordForm({ submitLabel, email, onSubmit }: { submitLabel: string; email: string; onSubmit: (password: string) => Promise<void> }) {
  const { t } = useTranslation();
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [tokenRefused, setTokenRefused] = useState(false);
  const form = useForm({
    initialValues: { password: '', confirm: '' },
    validate: {
      password: (v) => (v.length >= 10 ? null : t('profile.tooShort')),
      confirm: (v, values) => (v === values.password ? null : t('profile.mismatch')),
    },
  });
  return (
    <form
      noValidate
      onSubmit={form.onSubmit(async ({ password }) => {
        setError(null);
        setSaving(true);
        try {
          await onSubmit(password);
        } catch (caught) {
          const tokenRefused = caught instanceof ApiError && caught.fieldMessage('token');
          setError(tokenRefused || (applyFieldErrors(caught, form.setFieldError, ['password']) ?? errorMessage(caught, t)));
          setTokenRefused(!!tokenRefused);
        } finally {
          setSaving(false);
        }
      })}
    >
      <Stack>
        {error && <Alert color="red" role="alert">{error}</Alert>}
        {tokenRefused && <Anchor component={Link} to="/forgot-password" size="sm">{t('reset.askAgain')}</Anchor>}
        {/* Lets password managers file the new password under the right account. */}
        <input type="email" name="username" autoComplete="username" value={email} readOnly hidden />
        <PasswordField label={t('profile.new')} description={t('profile.policy')} autoComplete="new-password" required {...form.getInputProps('password')} />
        <PasswordField label={t('profile.confirm')} autoComplete="new-password" required {...form.getInputProps('confirm')} />
        <Button type="submit" loading={saving}>{submitLabel}</Button>
      </Stack>
    </form>
  );
}

export function AcceptInvitationPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [invitation, setInvitation] = useState<Invitation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState(false);
  useEffect(() => {
    if (!token) {
      setError(t('invitation.incomplete'));
      return;
    }
    api<Invitation>('POST', '/api/v1/auth/invitation', { token })
      .then(setInvitation)
      .catch((caught) => setError(errorMessage(caught, t)));
  }, [token, t]);

  if (done && invitation) {
    return (
      <Frame title={t('invitation.doneTitle')}>
        <Text>{t('invitation.done')}</Text>
        <Button component={Link} to={`/login?school=${encodeURIComponent(invitation.school)}`}>{t('login.submit')}</Button>
      </Frame>
    );
  }
  return (
    <Frame title={t('invitation.title')}>
      {error ? (
        <Stack>
          <Alert color="red" role="alert">{error}</Alert>
          {/* Never a dead end: what to do next, and where. */}
          <Text size="sm">{t('invitation.whatNow')}</Text>
          <Button component={Link} to="/login" variant="default">{t('invitation.toLogin')}</Button>
        </Stack>
      ) : !invitation ? (
        <Center role="status"><Loader size="sm" aria-label={t('common.loading')} /></Center>
      ) : (
        <>
          <Text>{t('invitation.welcome', { name: invitation.display_name, school: invitation.school_name || 'Mnemos' })}</Text>
          <TextInput label={t('login.email')} value={invitation.email} readOnly />
          <PasswordForm
            email={invitation.email}
            submitLabel={t('invitation.submit')}
            onSubmit={async (password) => {
              await api('POST', '/api/v1/auth/invitation/accept', { token, password });
              setDone(true);
            }}
          />
        </>
      )}
    </Frame>
  );
}

export function ResetPasswordPage() {
  const { t } = useTranslation();
  const [params] = useSearchParams();
  const token = params.get('token') ?? '';
  const [done, setDone] = useState(false);
  return (
    <Frame title={t('reset.title')}>
      {done ? (
        <>
          <Text>{t('reset.done')}</Text>
          <Button component={Link} to="/login">{t('login.submit')}</Button>
        </>
      ) : !token ? (
        <Stack>
          <Alert color="red" role="alert">{t('reset.incomplete')}</Alert>
          <Button component={Link} to="/forgot-password">{t('reset.askAgain')}</Button>
        </Stack>
      ) : (
        <PasswordForm
          email=""
          submitLabel={t('reset.submit')}
          onSubmit={async (password) => {
            await api('POST', '/api/v1/auth/password-reset/confirm', { token, password });
            setDone(true);
          }}
        />
      )}
    </Frame>
  );
}

export function ForgotPasswordPage() {
  const { t } = useTranslation();
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [sending, setSending] = useState(false);
  const form = useForm({
    initialValues: { school: localStorage.getItem('mnemos.school') ?? '', email: '' },
    validate: { email: (v) => (/^\S+@\S+\.\S+$/.test(v.trim()) ? null : t('login.emailInvalid')) },
  });
  return (
    <Frame title={t('forgot.title')}>
      {sent ? (
        <Alert color="green" role="status">{t('forgot.sent')}</Alert>
      ) : (
        <form
          noValidate
          onSubmit={form.onSubmit(async ({ school, email }) => {
            setError(null);
            setSending(true);
            try {
              const body: Record<string, string> = { email: email.trim() };
              if (school.trim()) body.school = school.trim().toLowerCase();
              await api('POST', '/api/v1/auth/password-reset', body);
              setSent(true);
            } catch (caught) {
              setError(errorMessage(caught, t));
            } finally {
              setSending(false);
            }
          })}
        >
          <Stack>
            <Text size="sm">{t('forgot.intro')}</Text>
            {error && <Alert color="red" role="alert">{error}</Alert>}
            <TextInput label={t('login.school')} description={t('login.schoolHint')} autoCapitalize="none" {...form.getInputProps('school')} />
            <TextInput label={t('login.email')} type="email" required autoComplete="username" autoCapitalize="none" {...form.getInputProps('email')} />
            <Button type="submit" loading={sending}>{t('forgot.submit')}</Button>
          </Stack>
        </form>
      )}
      <Anchor component={Link} to="/login" size="sm">{t('forgot.back')}</Anchor>
    </Frame>
  );
}
