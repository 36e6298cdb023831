// A tutor's reply as the student reads it: its text with each [n] a button that opens the cited
// passage, and the passage in a dialog with the quoted words marked.
import { Fragment } from 'react';
import { Badge, Group, Modal, Stack, Text, UnstyledButton } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ErrorState, LoadingState } from '../../shared/ui/states';
import { plainText } from './plainText';
import { usePassage, type Citation } from './queries';

export function TutorText({ text, citations, onOpen }: { text: string; citations: Citation[]; onOpen: (citation: Citation) => void }) {
  const { t } = useTranslation();
  const parts = plainText(text).split(/(\[\d+\])/);
  return (
    <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
      {parts.map((part, i) => {
        const marker = /^\[(\d+)\]$/.exec(part);
        const citation = marker ? citations.find((c) => (c.marker ?? 0) === Number(marker[1])) : undefined;
        if (!citation) return <Fragment key={i}>{part}</Fragment>;
        return (
          <UnstyledButton key={i} className="citation" onClick={() => onOpen(citation)} aria-label={t('tutor.openCitation', { n: marker![1] })}>
            {part}
          </UnstyledButton>
        );
      })}
    </Text>
  );
}

/** Splits `text` around the first occurrence of `quote` (masked letters and spacing aside). */
export function around(text: string, quote: string): [string, string, string] | null {
  const probe = quote.replace(/▢+/g, '').trim().slice(0, 60);
  if (probe.length < 8) return null;
  const at = text.indexOf(probe);
  if (at < 0) return null;
  const end = text.indexOf(quote) === at ? at + quote.length : at + probe.length;
  return [text.slice(0, at), text.slice(at, end), text.slice(end)];
}

export function PassageDialog({ pathId, citation, onClose }: { pathId: string; citation: Citation | null; onClose: () => void }) {
  const { t } = useTranslation();
  const passage = usePassage(pathId, citation?.passage_id ?? null);
  const data = passage.data;
  // A masked quote (the policy withheld an answer) is not marked: the passage would show it whole.
  const masked = !!citation && citation.quote.includes('▢');
  const text = data ? plainText(data.text) : '';
  const split = data && citation && !masked ? around(text, plainText(citation.quote)) : null;
  return (
    <Modal opened={!!citation} onClose={onClose} title={data?.source_name ?? t('tutor.passage')} size="lg" zIndex={400}>
      {passage.isLoading && <LoadingState rows={2} />}
      {passage.isError && <ErrorState error={passage.error} />}
      {data && (
        <Stack gap="xs">
          <Group gap="xs">
            {data.heading && <Text size="sm" fw={600}>{data.heading}</Text>}
            {data.page ? <Badge variant="outline" color="gray.7">{t('tutor.page', { page: data.page })}</Badge> : null}
          </Group>
          {masked ? (
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>{plainText(citation!.quote)}</Text>
          ) : (
            <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
              {split ? <>{split[0]}<mark>{split[1]}</mark>{split[2]}</> : text}
            </Text>
          )}
          {masked && <Text size="xs" c="dimmed">{t('tutor.maskedPassage')}</Text>}
        </Stack>
      )}
    </Modal>
  );
}
