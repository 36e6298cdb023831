// What the path's students asked its tutor: the questions asked most and the most demanding ones,
// then per student their exchanges, with refusals and demanding questions flagged.
import { useState } from 'react';
import { Badge, Card, Group, List, Paper, Select, SimpleGrid, Stack, Table, Text, Title, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../shared/api/client';
import { formatDateTime } from '../../shared/format/dates';
import { ListState } from '../../shared/ui/states';
import { COMPLEX_BLOOM, summarise, type AskedQuestion } from './archive';
import { PassageDialog, TutorText } from './TutorText';
import { useConversations, type Citation, type Conversation } from './queries';

type Path = Schemas['LearningPath'];

export function ConversationsPanel({ path }: { path: Path }) {
  const { t } = useTranslation();
  const conversations = useConversations(path.id);
  const [student, setStudent] = useState<string | null>(null);
  const [step, setStep] = useState<string | null>(null);
  const [opened, setOpened] = useState<Citation | null>(null);
  const stepTitle = (id?: string | null) => path.steps?.find((s) => s.id === id)?.title;
  return (
    <ListState query={conversations} empty={{ title: t('tutor.noQuestions'), hint: t('tutor.noQuestionsHint') }}>
      {(items) => {
        // Per step: the summary and the exchanges of that step only.
        const inStep = step ? items.filter((c) => c.step_id === step) : items;
        const summary = summarise(inStep);
        const shown = student ? inStep.filter((c) => c.student_id === student) : [];
        const steps = (path.steps ?? []).filter((s) => items.some((c) => c.step_id === s.id));
        return (
          <Stack gap="md">
            {steps.length > 0 && (
              <Select label={t('tutor.inStep')} placeholder={t('tutor.allSteps')} value={step} onChange={setStep} clearable maw={360}
                data={steps.map((s) => ({ value: s.id, label: s.title }))} />
            )}
            <SimpleGrid cols={{ base: 1, md: 2 }}>
              <QuestionList title={t('tutor.frequentQuestions')} empty={t('tutor.noFrequentQuestions')} questions={summary.frequent}
                badge={(q) => t('tutor.timesAsked', { count: q.count })} />
              <QuestionList title={t('tutor.complexQuestions')} empty={t('tutor.noComplexQuestions')} questions={summary.complex}
                badge={(q) => t(`tutor.bloom.${q.bloomName}`)} withStudent />
            </SimpleGrid>
            <Title order={2} size="h4">{t('tutor.byStudent')}</Title>
            <Table.ScrollContainer minWidth={520}>
              <Table striped highlightOnHover aria-label={t('tutor.byStudent')}>
                <Table.Thead>
                  <Table.Tr>
                    <Table.Th>{t('tutor.student')}</Table.Th>
                    <Table.Th>{t('tutor.questions')}</Table.Th>
                    <Table.Th>{t('tutor.refusals')}</Table.Th>
                    <Table.Th>{t('tutor.demanding')}</Table.Th>
                    <Table.Th>{t('tutor.lastQuestion')}</Table.Th>
                  </Table.Tr>
                </Table.Thead>
                <Table.Tbody>
                  {summary.students.map((s) => (
                    <Table.Tr key={s.id} aria-selected={student === s.id}>
                      <Table.Td>
                        <UnstyledButton className="link-button" onClick={() => setStudent(s.id)}>{s.name}</UnstyledButton>
                      </Table.Td>
                      <Table.Td>{s.questions}</Table.Td>
                      <Table.Td>{s.refusals > 0 ? <Badge color="orange" variant="light">{s.refusals}</Badge> : 0}</Table.Td>
                      <Table.Td>{s.complex > 0 ? <Badge color="grape" variant="light">{s.complex}</Badge> : 0}</Table.Td>
                      <Table.Td>{formatDateTime(s.lastAt)}</Table.Td>
                    </Table.Tr>
                  ))}
                </Table.Tbody>
              </Table>
            </Table.ScrollContainer>
            <Select label={t('tutor.readExchanges')} placeholder={t('tutor.pickStudent')} value={student} onChange={setStudent}
              data={summary.students.map((s) => ({ value: s.id, label: s.name }))} clearable maw={360} />
            {shown.map((conversation) => (
              <Transcript key={conversation.id} conversation={conversation} stepTitle={stepTitle(conversation.step_id)} onOpen={setOpened} />
            ))}
            <PassageDialog pathId={path.id} citation={opened} onClose={() => setOpened(null)} />
          </Stack>
        );
      }}
    </ListState>
  );
}

function QuestionList({ title, empty, questions, badge, withStudent }: {
  title: string; empty: string; questions: AskedQuestion[]; badge: (q: AskedQuestion) => string; withStudent?: boolean;
}) {
  return (
    <Card withBorder>
      <Title order={3} size="h5" mb="xs">{title}</Title>
      {questions.length === 0 ? (
        <Text size="sm" c="dimmed">{empty}</Text>
      ) : (
        <List spacing={6} size="sm">
          {questions.map((q, i) => (
            <List.Item key={i}>
              <Group gap={6} wrap="nowrap" align="flex-start">
                <Badge size="sm" variant="light" style={{ flexShrink: 0 }}>{badge(q)}</Badge>
                <Text size="sm">{q.text}{withStudent ? <Text span c="dimmed" size="xs"> — {q.studentName}</Text> : null}</Text>
              </Group>
            </List.Item>
          ))}
        </List>
      )}
    </Card>
  );
}

function Transcript({ conversation, stepTitle, onOpen }: { conversation: Conversation; stepTitle?: string; onOpen: (c: Citation) => void }) {
  const { t } = useTranslation();
  return (
    <Card withBorder component="section" aria-label={t('tutor.exchangeOf', { name: conversation.student_name, date: formatDateTime(conversation.created_at) })}>
      <Group gap="xs" mb="xs">
        <Text fw={600}>{conversation.student_name}</Text>
        <Text size="sm" c="dimmed">{formatDateTime(conversation.created_at)}{stepTitle ? ` · ${stepTitle}` : ''}</Text>
      </Group>
      <Stack gap={6}>
        {conversation.messages.map((m) =>
          m.role === 'student' ? (
            <Paper key={m.id} className="bubble bubble-mine" p="xs" radius="md" withBorder>
              <Group gap={6} mb={2}>
                <Badge size="xs" variant={(m.bloom_level ?? 1) >= COMPLEX_BLOOM ? 'filled' : 'light'} color={(m.bloom_level ?? 1) >= COMPLEX_BLOOM ? 'grape.9' : 'grape'}>{t(`tutor.bloom.${m.bloom ?? 'remember'}`)}</Badge>
                {m.readability !== undefined && <Text size="xs" c="dimmed">{t('tutor.readability', { score: Math.max(0, Math.min(100, Math.round(m.readability))) })}</Text>}
              </Group>
              <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{m.text}</Text>
            </Paper>
          ) : (
            <Paper key={m.id} className="bubble" p="xs" radius="md" withBorder>
              <Group gap={6} mb={2}>
                {m.refused && <Badge size="xs" color="orange" variant="light">{t(m.refusal === 'off_topic' ? 'tutor.declined' : 'tutor.hintBadge')}</Badge>}
                <Text size="xs" c="dimmed">{t(`tutor.providers.${m.provider ?? 'builtin'}`)}{m.fallback ? ` · ${t('tutor.fallback')}` : ''}</Text>
              </Group>
              <TutorText text={m.text} citations={m.citations ?? []} onOpen={onOpen} />
            </Paper>
          ),
        )}
      </Stack>
    </Card>
  );
}
