// A school's AI settings. The platform chooses the school's model (built-in, Ollama or an
// OpenAI-compatible endpoint; its key kept, never shown again) and its space for sources; the
// school's admin sets how many questions a student may ask the tutor a day. An empty field takes
// the server's default, shown beside it.
import { useEffect, useState } from 'react';
import { Alert, Button, Group, NumberInput, PasswordInput, Select, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { ApiError, api, type Schemas } from '../../shared/api/client';
import { useAuth } from '../auth/auth';
import { SaveRow } from './SaveRow';
import { ErrorState, LoadingState, errorMessage } from '../../shared/ui/states';

type Settings = Schemas['AiSchoolSettings'];
type Change = Schemas['AiSchoolSettingsChange'];

interface Draft {
  provider: string;  // '' = default
  url: string;
  model: string;
  embedding_model: string;
  api_key: string;  // '' = keep
  daily_questions: number | string;
  sources_quota_mb: number | string;
}

function draftOf(s: Settings): Draft {
  return {
    provider: s.provider ?? '', url: s.url ?? '', model: s.model ?? '', embedding_model: s.embedding_model ?? '', api_key: '',
    daily_questions: s.daily_questions ?? '', sources_quota_mb: s.sources_quota_mb ?? '',
  };
}

const orNull = (text: string) => (text.trim() ? text.trim() : null);
const numberOrNull = (value: number | string) => (value === '' ? null : Number(value));

export function SchoolAiSettings({ schoolId }: { schoolId: string }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  const platform = !!me?.user.roles.includes('platform_admin');
  const queryClient = useQueryClient();
  const key = ['ai-school-settings', schoolId];
  const settings = useQuery({ queryKey: key, queryFn: () => api<Settings>('GET', `/api/v1/schools/${schoolId}/ai`) });
  const [draft, setDraft] = useState<Draft | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (settings.data) setDraft(draftOf(settings.data));
  }, [settings.data]);
  const save = useMutation({
    mutationFn: (change: Change) => api<Settings>('PUT', `/api/v1/schools/${schoolId}/ai`, change),
    onSuccess: (next) => {
      queryClient.setQueryData(key, next);
      setError(null);
      setSaved(true);
    },
    onError: (caught) => setError(caught instanceof ApiError ? caught : null),
  });
  if (settings.isLoading || (!draft && !settings.isError)) return <LoadingState rows={3} />;
  if (settings.isError) return <ErrorState error={settings.error} onRetry={() => settings.refetch()} />;
  const data = settings.data!;
  const d = draft!;
  const update = (change: Partial<Draft>) => {
    setSaved(false);
    setDraft({ ...d, ...change });
  };
  const inForce = data.in_force;
  const withModel = (d.provider || inForce.provider) !== 'builtin';
  const submit = () => {
    const change: Change = { daily_questions: numberOrNull(d.daily_questions) };
    if (platform) {
      Object.assign(change, {
        provider: d.provider || null, url: orNull(d.url), model: orNull(d.model), embedding_model: orNull(d.embedding_model),
        sources_quota_mb: numberOrNull(d.sources_quota_mb),
      });
      if (d.api_key.trim()) change.api_key = d.api_key.trim();
    }
    save.mutate(change);
  };
  const fieldError = (field: string) => error?.fieldMessage(field);
  return (
    <form onSubmit={(e) => { e.preventDefault(); submit(); }}>
      <Stack gap="sm">
        {platform && (
          <>
            <Title order={3} size="h5">{t('tutor.settings.model')}</Title>
            <Select label={t('tutor.settings.provider')} value={d.provider} allowDeselect={false}
              description={t('tutor.settings.inForce', { value: t(`tutor.providers.${inForce.provider}`) })}
              data={[
                { value: '', label: t('tutor.settings.default') },
                { value: 'builtin', label: t('tutor.providers.builtin') },
                { value: 'ollama', label: 'Ollama' },
                { value: 'openai', label: t('tutor.settings.openai') },
              ]}
              onChange={(v) => update({ provider: v ?? '' })} error={fieldError('provider')} />
            {withModel && (
              <>
                <TextInput label={t('tutor.settings.url')} description={t('tutor.settings.urlHint')} value={d.url}
                  onChange={(e) => update({ url: e.currentTarget.value })} error={fieldError('url')} />
                <Group grow align="flex-start">
                  <TextInput label={t('tutor.settings.modelName')} value={d.model} placeholder={inForce.model}
                    onChange={(e) => update({ model: e.currentTarget.value })} error={fieldError('model')} />
                  <TextInput label={t('tutor.settings.embeddingModel')} value={d.embedding_model} placeholder={inForce.embedding_model}
                    onChange={(e) => update({ embedding_model: e.currentTarget.value })} error={fieldError('embedding_model')} />
                </Group>
                <PasswordInput label={t('tutor.settings.apiKey')} value={d.api_key} autoComplete="off"
                  description={data.api_key_set ? t('tutor.settings.apiKeyKept') : t('tutor.settings.apiKeyNone')}
                  onChange={(e) => update({ api_key: e.currentTarget.value })} error={fieldError('api_key')} />
                {data.api_key_set && (
                  <Button variant="subtle" color="red" size="compact-sm" style={{ alignSelf: 'flex-start' }}
                    onClick={() => save.mutate({ api_key: null })}>{t('tutor.settings.removeKey')}</Button>
                )}
              </>
            )}
            <NumberInput label={t('tutor.settings.quota')} min={1} max={1000000} value={d.sources_quota_mb}
              description={t('tutor.settings.inForce', { value: t('tutor.settings.mebibytes', { count: inForce.sources_quota_mb }) })}
              onChange={(v) => update({ sources_quota_mb: v })} error={fieldError('sources_quota_mb')} />
          </>
        )}
        <NumberInput label={t('tutor.settings.dailyQuestions')} min={0} max={1000} value={d.daily_questions}
          description={t('tutor.settings.inForce', { value: inForce.daily_questions })}
          onChange={(v) => update({ daily_questions: v })} error={fieldError('daily_questions')} />
        {error && error.fields.length === 0 && <Alert color="red" role="alert">{errorMessage(error, t)}</Alert>}
        <SaveRow saving={save.isPending} saved={saved} />
      </Stack>
    </form>
  );
}

/** The school admin's page: the tutor's limits for their school. */
export function SchoolAiPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  if (!me?.school) return null;
  return (
    <Stack maw={560}>
      <Title order={1} size="h2">{t('tutor.settings.pageTitle')}</Title>
      <Text c="dimmed">{t('tutor.settings.pageHint')}</Text>
      <SchoolAiSettings schoolId={me.school.id} />
    </Stack>
  );
}
