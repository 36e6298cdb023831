// The path builder: status, assignment, steps (drag or move to reorder), each step's content with
// validation, imports (CSV, GIFT, Anki) with their report, memory settings, and the class's progress.
import { useState } from 'react';
import {
  ActionIcon, Alert, Badge, Button, Card, FileInput, Group, Menu, MultiSelect, Select, Stack, Tabs, Text,
  TextInput, Title,
} from '@mantine/core';
import { useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { ApiError, api, type Schemas } from '../../shared/api/client';
import { useAuth } from '../auth/auth';
import { formatDayLong } from '../../shared/format/dates';
import { ConfirmButton } from '../../shared/ui/ConfirmButton';
import { EmptyState, ErrorState, ListState, LoadingState, errorMessage } from '../../shared/ui/states';
import { Markdown } from '../../shared/markdown/Markdown';
import { ItemEditor } from './ItemEditor';
import { statusColor } from './PathsPage';
import { ProgressPanel } from './ProgressPanel';
import { PathSettingsPanel, StepRulesEditor } from './SettingsPanels';
import { classKeys, useClasses } from '../classes/queries';

type Path = Schemas['LearningPath'];
type Step = Schemas['Step'];
type Item = Schemas['Item'];
type ImportReport = Schemas['ContentImportReport'];

function itemSummary(item: Item): string {
  const c = item.content as Record<string, unknown>;
  // Pictures and sounds show as symbols, not as their addresses.
  const text = ((c.front ?? c.question ?? c.text ?? c.markdown ?? '') as string)
    .replace(/!\[audio\]\([^)]*\)/g, '🔊')
    .replace(/!\[[^\]]*\]\([^)]*\)/g, '🖼')
    // Headings read as plain lines in a list.
    .replace(/^#+\s*/gm, '')
    // A cloze's gaps read as their answers, in bold, not as {{c1::…}} markers.
    .replace(/\{\{c\d+::(.*?)(::.*?)?\}\}/g, '**$1**');
  return text.length > 90 ? `${text.slice(0, 90)}…` : text;
}

// The format an import is sent as, from the file's name.
function importRequest(file: File): { format: string; type: string } {
  const name = file.name.toLowerCase();
  if (name.endsWith('.apkg') || name.endsWith('.colpkg')) return { format: 'apkg', type: 'application/zip' };
  if (name.endsWith('.gift') || name.endsWith('.txt')) return { format: 'gift', type: 'text/plain' };
  return { format: 'csv', type: 'text/csv' };
}

function StepItems({ step, pathId, canEdit }: { step: Step; pathId: string; canEdit: boolean }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const key = ['step-items', step.id];
  const items = useQuery({ queryKey: key, queryFn: () => api<{ items: Item[] }>('GET', `/api/v1/steps/${step.id}/items`) });
  const [editing, setEditing] = useState<string | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [report, setReport] = useState<ImportReport | null>(null);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: key });
    void queryClient.invalidateQueries({ queryKey: ['learning-path'] });
  };
  const isLesson = step.kind === 'lesson' || step.kind === 'tutor';
  const setValidation = useMutation({
    mutationFn: ({ id, validation }: { id: string; validation: string }) => api('PATCH', `/api/v1/items/${id}`, { validation }),
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: (id: string) => api('DELETE', `/api/v1/items/${id}`), onSuccess: refresh });
  // A file is read twice: first a dry run whose report (cards taken, duplicates and lines skipped)
  // the teacher reads, then the import itself when they confirm.
  const [pending, setPending] = useState<File | null>(null);
  const importFile = useMutation({
    mutationFn: ({ file, dryRun }: { file: File; dryRun: boolean }) => {
      const { format, type } = importRequest(file);
      return api<ImportReport>('POST', `/api/v1/steps/${step.id}/import?format=${format}${dryRun ? '&dry_run=true' : ''}`, file, type);
    },
    onSuccess: (result, { file, dryRun }) => {
      setReport(result);
      setError(null);
      setPending(dryRun ? file : null);
      if (!dryRun) refresh();
    },
    onError: (caught) => {
      setPending(null);
      setError(caught instanceof ApiError ? caught : null);
    },
  });

  return (
    <Stack gap="xs">
      <ListState query={items} empty={{ title: t('learning.noItems') }}>
        {(list) => (
          <Stack gap={4} component="ul" style={{ listStyle: 'none', padding: 0, margin: 0 }}>
            {list.map((item) =>
              editing === item.id ? (
                <Card key={item.id} component="li" withBorder p="xs">
                  <ItemEditor stepId={step.id} pathId={pathId} lessonStep={isLesson} item={item}
                    onDone={() => { setEditing(null); refresh(); }} onCancel={() => setEditing(null)} />
                </Card>
              ) : (
                <Group key={item.id} component="li" justify="space-between" wrap="nowrap" gap="xs">
                  <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
                    <Badge variant="outline" size="sm">{t(`learning.itemKinds.${item.kind}`)}</Badge>
                    <div className="item-preview"><Markdown text={itemSummary(item)} /></div>
                  </Group>
                  <Group gap={4} wrap="nowrap">
                    <Badge size="sm" variant="light" color={item.validation === 'validated' ? 'green' : item.validation === 'pending' ? 'yellow' : 'red'}>
                      {t(`learning.validation.${item.validation}`)}
                    </Badge>
                    {canEdit && item.validation !== 'validated' && (
                      <Button size="compact-xs" variant="light" onClick={() => setValidation.mutate({ id: item.id, validation: 'validated' })}>
                        {t('learning.validate')}
                      </Button>
                    )}
                    {canEdit && item.validation === 'pending' && (
                      <Button size="compact-xs" variant="subtle" color="red" onClick={() => setValidation.mutate({ id: item.id, validation: 'rejected' })}>
                        {t('learning.reject')}
                      </Button>
                    )}
                    {canEdit && (
                      <Button size="compact-xs" variant="subtle" onClick={() => setEditing(item.id)} aria-label={t('learning.editItem', { text: itemSummary(item) })}>
                        {t('learning.edit')}
                      </Button>
                    )}
                    {canEdit && (
                      <ActionIcon variant="subtle" color="red" aria-label={t('learning.deleteItem')} onClick={() => remove.mutate(item.id)}>
                        ×
                      </ActionIcon>
                    )}
                  </Group>
                </Group>
              ),
            )}
          </Stack>
        )}
      </ListState>
      {canEdit && (
        <Card withBorder p="xs">
          <ItemEditor stepId={step.id} pathId={pathId} lessonStep={isLesson} onDone={refresh} />
        </Card>
      )}
      {canEdit && !isLesson && (
        <Stack gap={4}>
          {error && <Alert color="red" role="alert">{error.message}</Alert>}
          <FileInput
            size="xs"
            accept=".csv,text/csv,.txt,.gift,.apkg"
            label={t('learning.importFile')}
            description={t('learning.importFormats')}
            placeholder={t('learning.chooseFile')}
            onChange={(file) => file && importFile.mutate({ file, dryRun: true })}
            disabled={importFile.isPending}
            clearable
          />
          {importFile.isPending && <Text size="xs" role="status">{t('learning.importing')}</Text>}
        </Stack>
      )}
      {report && (
        <Card withBorder p="xs" role="status">
          <Text size="sm" fw={600}>
            {report.dry_run
              ? t('learning.importPreview', { taken: t('learning.cardsCount', { count: report.taken }), skipped: t('learning.linesCount', { count: report.skipped }) })
              : t('learning.importDone', { taken: t('learning.cardsImported', { count: report.taken }), skipped: t('learning.linesSkipped', { count: report.skipped }) })}
          </Text>
          {report.encoding === 'windows-1252' && (
            <Text size="xs">{t('learning.importEncoding')}</Text>
          )}
          {report.dry_run && (
            <Stack gap={2} my={4} component="ul" style={{ margin: 0, paddingLeft: 18 }} aria-label={t('learning.importFirstCards')}>
              {report.lines.filter((l) => l.status === 'taken').slice(0, 5).map((l) => (
                <Text key={l.line} size="xs" component="li">{l.front}</Text>
              ))}
            </Stack>
          )}
          {report.dry_run && pending && (
            <Group gap="xs" my="xs">
              <Button size="xs" disabled={report.taken === 0} loading={importFile.isPending}
                onClick={() => importFile.mutate({ file: pending, dryRun: false })}>
                {t('learning.importConfirm', { count: report.taken })}
              </Button>
              <Button size="xs" variant="default" onClick={() => { setPending(null); setReport(null); }}>{t('common.cancel')}</Button>
            </Group>
          )}
          {report.lines.filter((l) => l.reason).map((l) => (
            <Text key={l.line} size="xs" c={l.status === 'skipped' ? undefined : 'dimmed'}>
              {t(l.status === 'skipped' ? 'learning.importLine' : 'learning.importRemark', { line: l.line, front: l.front, reason: l.reason })}
            </Text>
          ))}
        </Card>
      )}
    </Stack>
  );
}

function StepsPanel({ path }: { path: Path }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const steps = path.steps ?? [];
  const canEdit = !!path.can_edit;
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<string>('cards');
  const [open, setOpen] = useState<string | null>(steps[0]?.id ?? null);
  const [dragged, setDragged] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['learning-path', path.id] });
  const add = useMutation({
    mutationFn: () => api<Step>('POST', `/api/v1/learning-paths/${path.id}/steps`, { title, kind }),
    onSuccess: (step) => {
      setTitle('');
      setOpen(step.id);
      setError(null);
      void refresh();
    },
    onError: (caught) => setError(errorMessage(caught, t)),
  });
  const reorder = useMutation({
    mutationFn: (ids: string[]) => api('PUT', `/api/v1/learning-paths/${path.id}/step-order`, { step_ids: ids }),
    onSuccess: () => void refresh(),
  });
  const remove = useMutation({ mutationFn: (id: string) => api('DELETE', `/api/v1/steps/${id}`), onSuccess: () => void refresh() });
  const move = (from: number, to: number) => {
    if (to < 0 || to >= steps.length) return;
    const ids = steps.map((s) => s.id);
    const [id] = ids.splice(from, 1);
    ids.splice(to, 0, id);
    reorder.mutate(ids);
  };
  return (
    <Stack gap="sm">
      {steps.length === 0 && <EmptyState title={t('learning.noSteps')} hint={canEdit ? t('learning.noStepsHint') : undefined} />}
      {steps.map((step, index) => (
        <Card
          key={step.id}
          withBorder
          draggable={canEdit}
          onDragStart={() => setDragged(step.id)}
          onDragOver={(e) => e.preventDefault()}
          onDrop={() => {
            const from = steps.findIndex((s) => s.id === dragged);
            if (from >= 0 && from !== index) move(from, index);
            setDragged(null);
          }}
        >
          <Group justify="space-between" wrap="nowrap">
            <Group gap="xs" wrap="nowrap">
              {canEdit && <Text c="dimmed" aria-hidden style={{ cursor: 'grab' }}>⠿</Text>}
              <Button variant="subtle" size="compact-md" onClick={() => setOpen(open === step.id ? null : step.id)} aria-expanded={open === step.id}>
                {index + 1}. {step.title}
              </Button>
              <Badge variant="light">{t(`learning.stepKinds.${step.kind}`)}</Badge>
              <Text size="xs" c="dimmed">{t(`learning.unlock.${step.unlock_rule}`)}</Text>
            </Group>
            <Group gap={4} wrap="nowrap">
              <Text size="xs" c="dimmed">{t('learning.itemCount', { count: step.item_count ?? 0 })}</Text>
              {canEdit && (
                <>
                  <ActionIcon variant="subtle" aria-label={t('learning.moveUp', { title: step.title })} disabled={index === 0} onClick={() => move(index, index - 1)}>↑</ActionIcon>
                  <ActionIcon variant="subtle" aria-label={t('learning.moveDown', { title: step.title })} disabled={index === steps.length - 1} onClick={() => move(index, index + 1)}>↓</ActionIcon>
                  <ConfirmButton variant="subtle" color="red" size="compact-sm" aria-label={t('learning.deleteStep', { title: step.title })}
                    title={t('learning.deleteStep', { title: step.title })} message={t('learning.confirmDeleteStep', { title: step.title })}
                    confirmLabel={t('learning.delete')} onConfirm={() => remove.mutate(step.id)}>×</ConfirmButton>
                </>
              )}
            </Group>
          </Group>
          {open === step.id && (
            <Stack mt="sm">
              {canEdit && <StepRulesEditor step={step} steps={steps} pathId={path.id} />}
              <StepItems step={step} pathId={path.id} canEdit={canEdit} />
            </Stack>
          )}
        </Card>
      ))}
      {canEdit && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            add.mutate();
          }}
        >
          <Group align="flex-end">
            <TextInput label={t('learning.newStep')} value={title} onChange={(e) => setTitle(e.currentTarget.value)} style={{ flex: 1 }} />
            <Select
              label={t('learning.stepKind')}
              data={['lesson', 'cards', 'quiz'].map((k) => ({ value: k, label: t(`learning.stepKinds.${k}`) }))}
              value={kind}
              onChange={(v) => setKind(v ?? 'cards')}
              allowDeselect={false}
            />
            <Button type="submit" loading={add.isPending}>{t('learning.addStep')}</Button>
          </Group>
          {error && <Alert color="red" role="alert" mt="xs">{error}</Alert>}
        </form>
      )}
    </Stack>
  );
}

function AssignmentPanel({ path }: { path: Path }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const { me } = useAuth();
  const classes = useClasses();
  // Students a path can take one by one: those of the classes the teacher teaches.
  const details = useQueries({
    queries: (classes.data?.items ?? []).map((c) => ({
      queryKey: classKeys.detail(c.id),
      queryFn: () => api<Schemas['ClassDetail']>('GET', `/api/v1/classes/${c.id}`),
    })),
  });
  const students = new Map<string, string>();
  for (const d of details) {
    if (!d.data || !d.data.teachers.some((teacher) => teacher.id === me?.user.id)) continue;
    for (const s of d.data.students) students.set(s.id, s.display_name);
  }
  for (const s of path.assigned_students ?? []) students.set(s.id, s.display_name);
  const [classIds, setClassIds] = useState<string[]>((path.assigned_classes ?? []).map((c) => c.id ?? ''));
  const [studentIds, setStudentIds] = useState<string[]>((path.assigned_students ?? []).map((s) => s.id));
  const [message, setMessage] = useState<string | null>(null);
  const save = useMutation({
    mutationFn: () =>
      api<{ assigned_students: { id: string }[] }>('PUT', `/api/v1/learning-paths/${path.id}/assignments`, {
        class_ids: classIds,
        student_ids: studentIds,
      }),
    onSuccess: (result) => {
      setMessage(t('learning.assignedCount', { count: result.assigned_students.length }));
      void queryClient.invalidateQueries({ queryKey: ['learning-path', path.id] });
    },
    onError: (caught) => setMessage(errorMessage(caught, t)),
  });
  return (
    <Stack gap="sm">
      <MultiSelect
        label={t('learning.classes')}
        data={(classes.data?.items ?? []).map((c) => ({ value: c.id, label: `${c.name} (${c.school_year})` }))}
        value={classIds}
        onChange={setClassIds}
        disabled={!path.can_edit}
      />
      <MultiSelect
        label={t('learning.students')}
        description={t('learning.studentsHint')}
        data={[...students].map(([value, label]) => ({ value, label })).sort((x, y) => x.label.localeCompare(y.label))}
        value={studentIds}
        onChange={setStudentIds}
        searchable
        disabled={!path.can_edit}
      />
      <Text size="sm">{t('learning.assignedCount', { count: path.assigned_student_count ?? 0 })}</Text>
      {path.can_edit && (
        <Group>
          <Button onClick={() => save.mutate()} loading={save.isPending}>{t('learning.saveAssignment')}</Button>
        </Group>
      )}
      {message && <Text role="status" size="sm">{message}</Text>}
    </Stack>
  );
}

export function PathBuilderPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [searchParams] = useSearchParams();
  const queryClient = useQueryClient();
  const path = useQuery({ queryKey: ['learning-path', id], queryFn: () => api<Path>('GET', `/api/v1/learning-paths/${id}`) });
  const [statusError, setStatusError] = useState<string | null>(null);
  const setStatus = useMutation({
    mutationFn: (status: string) => api<Path>('PATCH', `/api/v1/learning-paths/${id}`, { status }),
    onSuccess: () => {
      setStatusError(null);
      void queryClient.invalidateQueries({ queryKey: ['learning-path', id] });
      void queryClient.invalidateQueries({ queryKey: ['learning-paths'] });
    },
    onError: (caught) => setStatusError(errorMessage(caught, t)),
  });
  if (path.isLoading) return <LoadingState />;
  if (path.isError) return <ErrorState error={path.error} onRetry={() => path.refetch()} />;
  const data = path.data!;
  return (
    <Stack>
      <Group justify="space-between" align="flex-start">
        <Stack gap={2}>
          <Title order={1} size="h2">{data.title}</Title>
          <Text c="dimmed">{data.subject_name}{data.level ? ` · ${data.level}` : ''}{data.exam_date ? ` · ${t('learning.examOn', { date: formatDayLong(data.exam_date) })}` : ''}</Text>
          {data.objectives && <Text size="sm">{data.objectives}</Text>}
        </Stack>
        <Group gap="xs">
          <Badge variant="light" color={statusColor(data.status)}>{t(`learning.statuses.${data.status}`)}</Badge>
          <Button component={Link} to={`/learning/paths/${id}/preview`} variant="default">{t('learning.previewAsStudent')}</Button>
          {data.can_edit && data.status !== 'active' && (
            <Button onClick={() => setStatus.mutate('active')} loading={setStatus.isPending}>{t('learning.publish')}</Button>
          )}
          {data.can_edit && (
            <Menu position="bottom-end">
              <Menu.Target>
                <Button variant="subtle" aria-label={t('learning.moreActions')}>…</Button>
              </Menu.Target>
              <Menu.Dropdown>
                {data.status === 'active' && <Menu.Item onClick={() => setStatus.mutate('draft')}>{t('learning.unpublish')}</Menu.Item>}
                {data.status !== 'archived' && <Menu.Item onClick={() => setStatus.mutate('archived')}>{t('learning.archive')}</Menu.Item>}
                <Menu.Item component="a" href={`/api/v1/learning-paths/${id}/export?format=json`}>{t('learning.exportJson')}</Menu.Item>
                <Menu.Item component="a" href={`/api/v1/learning-paths/${id}/export?format=csv`}>{t('learning.exportCsv')}</Menu.Item>
                <Menu.Item component="a" href={`/api/v1/learning-paths/${id}/export?format=gift`}>{t('learning.exportGift')}</Menu.Item>
              </Menu.Dropdown>
            </Menu>
          )}
        </Group>
      </Group>
      {data.status === 'draft' && <Alert color="blue" variant="light" role="note">{t('learning.draftHint')}</Alert>}
      {statusError && <Alert color="red" role="alert">{statusError}</Alert>}
      <Tabs defaultValue={searchParams.get('tab') ?? 'steps'} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="steps">{t('learning.stepsTab')}</Tabs.Tab>
          <Tabs.Tab value="assign">{t('learning.assignTab')}</Tabs.Tab>
          <Tabs.Tab value="progress">{t('learning.progressTab')}</Tabs.Tab>
          <Tabs.Tab value="settings">{t('learning.settingsTab')}</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="steps" pt="md"><StepsPanel path={data} /></Tabs.Panel>
        <Tabs.Panel value="assign" pt="md"><AssignmentPanel path={data} /></Tabs.Panel>
        <Tabs.Panel value="progress" pt="md"><ProgressPanel path={data} /></Tabs.Panel>
        <Tabs.Panel value="settings" pt="md"><PathSettingsPanel path={data} /></Tabs.Panel>
      </Tabs>
    </Stack>
  );
}
