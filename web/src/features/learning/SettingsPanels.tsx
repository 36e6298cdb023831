// Settings of paths, steps and memory: the path's description, exam date and memory settings, a
// step's unlock rule, a teacher's defaults and a student's retention goal (docs/learning.md,
// "Scheduling": platform → teacher → subject → path → student, most specific wins).
import { useState } from 'react';
import { Alert, Button, Group, NumberInput, Select, Stack, Text, TextInput, Textarea, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { DateField } from '../../shared/ui/DateField';
import { ApiError, api, type Schemas } from '../../shared/api/client';
import { ErrorState, LoadingState } from '../../shared/ui/states';
import { useLearningChanged, useSettingsAt } from './queries';

type Path = Schemas['LearningPath'];
type Step = Schemas['Step'];

interface Memory {
  desired_retention: number | null;
  new_cards_per_day: number | null;
  reviews_per_day: number | null;
  maximum_interval_days: number | null;
}

const nullable = (v: string | number) => (v === '' ? null : Number(v));

// Empty means "inherited": the placeholder says what applies instead.
function MemoryFields({ value, onChange, error, retentionOnly = false }: {
  value: Memory;
  onChange: (m: Memory) => void;
  error: ApiError | null;
  retentionOnly?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <Group grow align="flex-start" wrap="wrap">
      <NumberInput
        label={t('learning.settings.retention')}
        description={t('learning.settings.retentionHint')}
        placeholder={t('learning.settings.inherited')}
        min={70} max={99} suffix=" %"
        value={value.desired_retention == null ? '' : Math.round(value.desired_retention * 100)}
        onChange={(v) => onChange({ ...value, desired_retention: v === '' ? null : Number(v) / 100 })}
        error={error?.fieldMessage('desired_retention')}
      />
      {!retentionOnly && (
        <>
          <NumberInput label={t('learning.settings.newPerDay')} placeholder={t('learning.settings.inherited')} min={0} max={1000}
            value={value.new_cards_per_day ?? ''} onChange={(v) => onChange({ ...value, new_cards_per_day: nullable(v) })}
            error={error?.fieldMessage('new_cards_per_day')} />
          <NumberInput label={t('learning.settings.reviewsPerDay')} placeholder={t('learning.settings.inherited')} min={0} max={10000}
            value={value.reviews_per_day ?? ''} onChange={(v) => onChange({ ...value, reviews_per_day: nullable(v) })}
            error={error?.fieldMessage('reviews_per_day')} />
          <NumberInput label={t('learning.settings.maxInterval')} placeholder={t('learning.settings.inherited')} min={1} max={36500}
            value={value.maximum_interval_days ?? ''} onChange={(v) => onChange({ ...value, maximum_interval_days: nullable(v) })}
            error={error?.fieldMessage('maximum_interval_days')} />
        </>
      )}
    </Group>
  );
}

// The submit button of a settings form, and "Saved." once it went through.
function SaveRow({ pending, saved }: { pending: boolean; saved: boolean }) {
  const { t } = useTranslation();
  return (
    <Group>
      <Button type="submit" loading={pending}>{t('learning.settings.save')}</Button>
      {saved && <Text size="sm" role="status">{t('learning.settings.saved')}</Text>}
    </Group>
  );
}

function memoryOf(source: Partial<Memory> | undefined): Memory {
  return {
    desired_retention: source?.desired_retention ?? null,
    new_cards_per_day: source?.new_cards_per_day ?? null,
    reviews_per_day: source?.reviews_per_day ?? null,
    maximum_interval_days: source?.maximum_interval_days ?? null,
  };
}

export function PathSettingsPanel({ path }: { path: Path }) {
  const { t } = useTranslation();
  const changed = useLearningChanged();
  const [title, setTitle] = useState(path.title);
  const [objectives, setObjectives] = useState(path.objectives ?? '');
  const [level, setLevel] = useState(path.level ?? '');
  const [examDate, setExamDate] = useState(path.exam_date ?? '');
  const [memory, setMemory] = useState<Memory>(memoryOf(path as Partial<Memory>));
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: () =>
      api<Path>('PATCH', `/api/v1/learning-paths/${path.id}`, {
        title, objectives, level, exam_date: examDate || null, ...memory,
      }),
    onSuccess: () => {
      setError(null);
      setSaved(true);
      void changed.path(path.id);
    },
    onError: (caught) => {
      setSaved(false);
      setError(caught instanceof ApiError ? caught : null);
    },
  });
  const editable = !!path.can_edit;
  return (
    <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
      <Stack gap="sm" maw={720}>
        {error && <Alert color="red" role="alert">{error.message}</Alert>}
        <TextInput label={t('learning.title')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} error={error?.fieldMessage('title')} disabled={!editable} />
        <Textarea label={t('learning.objectives')} value={objectives} onChange={(e) => setObjectives(e.currentTarget.value)} autosize minRows={2}
          error={error?.fieldMessage('objectives')} disabled={!editable} />
        <Group grow align="flex-start">
          <TextInput label={t('learning.level')} value={level} onChange={(e) => setLevel(e.currentTarget.value)} error={error?.fieldMessage('level')} disabled={!editable} />
          <DateField label={t('learning.settings.examDate')} description={t('learning.settings.examHint')} value={examDate}
            onChange={setExamDate} error={error?.fieldMessage('exam_date')} disabled={!editable} />
        </Group>
        <Title order={3} size="h5">{t('learning.settings.memoryTitle')}</Title>
        <Text size="sm" c="dimmed">{t('learning.settings.pathHint')}</Text>
        <MemoryFields value={memory} onChange={setMemory} error={error} />
        {editable && (
          <SaveRow pending={save.isPending} saved={saved} />
        )}
      </Stack>
    </form>
  );
}

// The unlock rule of a step: open, after the previous step, after a prerequisite, from a date.
export function StepRulesEditor({ step, steps, pathId }: { step: Step; steps: Step[]; pathId: string }) {
  const { t } = useTranslation();
  const changed = useLearningChanged();
  const [rule, setRule] = useState(step.unlock_rule);
  const [prerequisite, setPrerequisite] = useState<string | null>(step.prerequisite_step_id ?? null);
  const [date, setDate] = useState(step.unlock_at ? new Date(step.unlock_at).toISOString().slice(0, 10) : '');
  const [error, setError] = useState<ApiError | null>(null);
  const save = useMutation({
    mutationFn: () =>
      api<Step>('PATCH', `/api/v1/steps/${step.id}`, {
        unlock_rule: rule,
        prerequisite_step_id: rule === 'prerequisite' ? prerequisite : null,
        unlock_at: rule === 'date' && date ? new Date(`${date}T00:00:00`).getTime() : null,
      }),
    onSuccess: () => {
      setError(null);
      void changed.path(pathId);
    },
    onError: (caught) => setError(caught instanceof ApiError ? caught : null),
  });
  const edited = rule !== step.unlock_rule || (prerequisite ?? null) !== (step.prerequisite_step_id ?? null) ||
    date !== (step.unlock_at ? new Date(step.unlock_at).toISOString().slice(0, 10) : '');
  return (
    <form onSubmit={(e) => { e.preventDefault(); save.mutate(); }}>
      <Group align="flex-end" gap="xs" wrap="wrap">
        <Select
          size="xs"
          label={t('learning.unlockRule')}
          value={rule}
          onChange={(v) => setRule((v ?? 'open') as Step['unlock_rule'])}
          allowDeselect={false}
          data={['open', 'sequential', 'prerequisite', 'date'].map((r) => ({ value: r, label: t(`learning.unlock.${r}`) }))}
        />
        {rule === 'prerequisite' && (
          <Select
            size="xs"
            label={t('learning.prerequisite')}
            value={prerequisite}
            onChange={setPrerequisite}
            data={steps.filter((s) => s.id !== step.id).map((s) => ({ value: s.id, label: s.title }))}
            error={error?.fieldMessage('prerequisite_step_id')}
          />
        )}
        {rule === 'date' && (
          <DateField size="xs" label={t('learning.unlockDate')} value={date} onChange={setDate} error={error?.fieldMessage('unlock_at')} />
        )}
        <Button size="xs" type="submit" variant="light" disabled={!edited} loading={save.isPending}>{t('learning.settings.save')}</Button>
      </Group>
      {error && !error.fieldMessage('prerequisite_step_id') && !error.fieldMessage('unlock_at') && (
        <Text size="xs" c="red" role="alert">{error.message}</Text>
      )}
    </form>
  );
}

// Loads memory settings from `url`, keeps the edits, and saves them back with PUT.
function useMemorySettings<T extends Memory>(url: string, bodyOf: (m: Memory, loaded: T) => object = (m) => m) {
  const changed = useLearningChanged();
  const settings = useSettingsAt<T>(url);
  const [draft, setDraft] = useState<Memory | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (m: Memory) => api('PUT', url, bodyOf(m, settings.data!)),
    onSuccess: () => {
      setError(null);
      setSaved(true);
      void changed.memorySettings(url);
    },
    onError: (caught) => {
      setSaved(false);
      setError(caught instanceof ApiError ? caught : null);
    },
  });
  const value = draft ?? memoryOf(settings.data);
  const edit = (m: Memory) => {
    setDraft(m);
    setSaved(false);
  };
  return { settings, value, edit, save, error, saved };
}

type MySettings = Memory & { scope: string; platform: Memory };

// A teacher's defaults for their paths, or a student's retention goal (/me/memory-settings).
export function MyMemorySettings() {
  const { t } = useTranslation();
  const { settings, value, edit, save, error, saved } = useMemorySettings<MySettings>(
    '/api/v1/me/memory-settings',
    (m, loaded) => (loaded.scope === 'student' ? { desired_retention: m.desired_retention } : m),
  );
  if (settings.isLoading) return <LoadingState />;
  if (settings.isError) return <ErrorState error={settings.error} onRetry={() => settings.refetch()} />;
  const student = settings.data!.scope === 'student';
  const platform = settings.data!.platform;
  return (
    <form onSubmit={(e) => { e.preventDefault(); save.mutate(value); }}>
      <Stack gap="sm" maw={720}>
        <Title order={1} size="h2">{t('learning.settings.myTitle')}</Title>
        <Text c="dimmed">
          {student ? t('learning.settings.studentHint') : t('learning.settings.teacherHint')}{' '}
          {t('learning.settings.platformDefaults', {
            retention: Math.round((platform.desired_retention ?? 0.9) * 100),
            newCards: platform.new_cards_per_day,
            reviews: platform.reviews_per_day,
          })}
        </Text>
        {error && <Alert color="red" role="alert">{error.message}</Alert>}
        <MemoryFields value={value} onChange={edit} error={error} retentionOnly={student} />
        <SaveRow pending={save.isPending} saved={saved} />
      </Stack>
    </form>
  );
}

// The school's memory settings for a subject (school admins): between teachers' defaults and paths.
export function SubjectMemorySettings({ subjectId }: { subjectId: string }) {
  const { t } = useTranslation();
  const { settings, value, edit, save, error, saved } = useMemorySettings<Memory>(`/api/v1/subjects/${subjectId}/memory-settings`);
  if (settings.isLoading) return <LoadingState />;
  if (settings.isError) return <ErrorState error={settings.error} onRetry={() => settings.refetch()} />;
  return (
    <form onSubmit={(e) => { e.preventDefault(); save.mutate(value); }}>
      <Stack gap="xs" p="xs" style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 4 }}>
        <Text size="sm" c="dimmed">{t('learning.settings.subjectHint')}</Text>
        {error && <Alert color="red" role="alert">{error.message}</Alert>}
        <MemoryFields value={value} onChange={edit} error={error} />
        <SaveRow pending={save.isPending} saved={saved} />
      </Stack>
    </form>
  );
}
