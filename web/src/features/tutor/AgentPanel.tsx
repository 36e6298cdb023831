// The teacher's tutor for the path's subject: how it answers (policy), in what language and for
// what level, the instructions it follows, which documents it may quote, off-topic questions.
// One agent per teacher and subject: the settings hold for every path of theirs in the subject.
import { useEffect, useState } from 'react';
import { Alert, Checkbox, Group, Radio, Select, Stack, Switch, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../shared/api/client';
import { useAuth } from '../auth/auth';
import { SaveRow } from './SaveRow';
import { ErrorState, LoadingState, errorMessage } from '../../shared/ui/states';
import { tutorKeys, useAgent, useSources, useTutorChanged, type Agent, type AgentChange } from './queries';

type Path = Schemas['LearningPath'];
const POLICIES = ['hints_only', 'explain', 'full_answers'] as const;

export function AgentPanel({ path }: { path: Path }) {
  const { t } = useTranslation();
  const { me } = useAuth();
  if (me?.user.id !== path.owner_id) {
    return (
      <Stack gap="xs">
        <Title order={2} size="h4">{t('tutor.agentTitle')}</Title>
        <Alert color="blue" variant="light" role="note">{t('tutor.agentOfOwner', { name: path.owner_name ?? '' })}</Alert>
      </Stack>
    );
  }
  return <AgentForm path={path} />;
}

function AgentForm({ path }: { path: Path }) {
  const { t } = useTranslation();
  const agent = useAgent(path.subject_id);
  const sources = useSources(path.id);
  const queryClient = useQueryClient();
  const changed = useTutorChanged();
  const [draft, setDraft] = useState<Agent | null>(null);
  const [saved, setSaved] = useState(false);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (agent.data) setDraft(agent.data);
  }, [agent.data]);
  const save = useMutation({
    mutationFn: (change: AgentChange) => api<Agent>('PUT', `/api/v1/agents/${path.subject_id}`, change),
    onSuccess: (next) => {
      queryClient.setQueryData(tutorKeys.agent(path.subject_id), next);
      void changed.status(path.id);
      setError(null);
      setSaved(true);
    },
    onError: (caught) => setError(errorMessage(caught, t)),
  });
  if (agent.isLoading || !draft) return agent.isError ? <ErrorState error={agent.error} onRetry={() => agent.refetch()} /> : <LoadingState rows={2} />;
  const update = (change: Partial<Agent>) => {
    setSaved(false);
    setDraft({ ...draft, ...change });
  };
  const pathSources = sources.data?.items ?? [];
  const everySource = draft.source_ids === null;
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        save.mutate({
          answer_policy: draft.answer_policy,
          language: draft.language,
          level: draft.level,
          instructions: draft.instructions,
          allow_off_topic: draft.allow_off_topic,
          source_ids: draft.source_ids,
        });
      }}
    >
      <Stack gap="sm">
        <Stack gap={2}>
          <Title order={2} size="h4">{t('tutor.agentTitle')}</Title>
          <Text size="sm" c="dimmed">{t('tutor.agentHint', { subject: path.subject_name })}</Text>
        </Stack>
        <Radio.Group label={t('tutor.policyLabel')} value={draft.answer_policy} onChange={(v) => update({ answer_policy: v as Agent['answer_policy'] })}>
          <Stack gap="xs" mt="xs">
            {POLICIES.map((policy) => (
              <Radio key={policy} value={policy} label={t(`tutor.policies.${policy}`)} description={t(`tutor.policyHints.${policy}`)} />
            ))}
          </Stack>
        </Radio.Group>
        <Group grow align="flex-start">
          <Select label={t('tutor.language')} allowDeselect={false} value={draft.language}
            data={[{ value: 'fr', label: 'Français' }, { value: 'en', label: 'English' }]}
            onChange={(v) => update({ language: (v ?? 'fr') as Agent['language'] })} />
          <TextInput label={t('tutor.level')} placeholder={t('tutor.levelPlaceholder')} value={draft.level} maxLength={100}
            onChange={(e) => update({ level: e.currentTarget.value })} />
        </Group>
        <Textarea label={t('tutor.instructions')} description={t('tutor.instructionsHint')} value={draft.instructions}
          onChange={(e) => update({ instructions: e.currentTarget.value })} autosize minRows={3} maxRows={10} maxLength={4000} />
        <Stack gap={6}>
          <Switch label={t('tutor.everySource')} checked={everySource}
            onChange={(e) => update({ source_ids: e.currentTarget.checked ? null : pathSources.map((s) => s.id) })} />
          {!everySource && (
            <Checkbox.Group label={t('tutor.chosenSources')} value={draft.source_ids ?? []} onChange={(ids) => update({ source_ids: ids })}>
              <Stack gap={4} mt={4}>
                {pathSources.length === 0 && <Text size="sm" c="dimmed">{t('tutor.noSources')}</Text>}
                {pathSources.map((s) => <Checkbox key={s.id} value={s.id} label={s.name} />)}
              </Stack>
            </Checkbox.Group>
          )}
          <Switch label={t('tutor.allowOffTopic')} description={t('tutor.allowOffTopicHint')} checked={draft.allow_off_topic}
            onChange={(e) => update({ allow_off_topic: e.currentTarget.checked })} />
        </Stack>
        {error && <Alert color="red" role="alert">{error}</Alert>}
        <SaveRow saving={save.isPending} saved={saved} />
      </Stack>
    </form>
  );
}
