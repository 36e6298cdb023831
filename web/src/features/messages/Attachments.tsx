// Files in the chat: the files waiting to go with the next message (each removable), and a sent
// message's files — pictures shown, sound playable, the rest as a link with its size.
import { Anchor, Badge, CloseButton, Group, Image, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { Schemas } from '../../shared/api/client';

export type Attachment = Schemas['Attachment'];

export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;
export const MAX_ATTACHMENTS = 5;
/** What the server accepts (it checks the bytes itself); the browser's picker offers these. */
export const ACCEPTED_FILES =
  'image/png,image/jpeg,image/gif,image/webp,application/pdf,audio/*,.docx,.xlsx,.pptx,.odt,.ods,.odp,.txt,.csv,.md';

export function fileSize(bytes: number, locale: string): string {
  const [b, kb, mb] = locale.startsWith('en') ? ['B', 'KB', 'MB'] : ['o', 'Ko', 'Mo'];
  const format = (n: number) => n.toLocaleString(locale, { maximumFractionDigits: 1 });
  if (bytes < 1024) return `${bytes} ${b}`;
  if (bytes < 1024 * 1024) return `${format(bytes / 1024)} ${kb}`;
  return `${format(bytes / 1024 / 1024)} ${mb}`;
}

/** A paperclip drawn in SVG (emoji fonts are not everywhere). */
export function PaperclipIcon({ size = 18 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2"
      strokeLinecap="round" strokeLinejoin="round" aria-hidden="true" focusable="false">
      <path d="M21.4 11.1l-9.2 9.2a6 6 0 0 1-8.5-8.5l9.2-9.2a4 4 0 0 1 5.7 5.7l-9.2 9.2a2 2 0 0 1-2.8-2.8l8.5-8.5" />
    </svg>
  );
}

export function PendingFiles({ files, onRemove }: { files: Attachment[]; onRemove: (id: string) => void }) {
  const { t, i18n } = useTranslation();
  if (files.length === 0) return null;
  return (
    <Group gap={6} mb={6} aria-label={t('chat.filesToSend')} role="list">
      {files.map((f) => (
        <Badge key={f.id} role="listitem" variant="light" color="gray" size="lg" radius="sm" tt="none"
          rightSection={<CloseButton size="xs" onClick={() => onRemove(f.id)} aria-label={t('chat.removeFile', { name: f.name })} />}>
          {f.name} · {fileSize(f.size, i18n.language)}
        </Badge>
      ))}
    </Group>
  );
}

export function MessageFiles({ files }: { files: Attachment[] }) {
  const { t, i18n } = useTranslation();
  if (files.length === 0) return null;
  return (
    <Stack gap={6} mt={4}>
      {files.map((f) =>
        f.content_type.startsWith('image/') ? (
          <Anchor key={f.id} href={f.url} target="_blank" rel="noopener" aria-label={t('chat.openFile', { name: f.name })}>
            <Image src={f.url} alt={f.name} maw={260} mah={200} fit="contain" radius="sm" />
          </Anchor>
        ) : f.content_type.startsWith('audio/') ? (
          <Stack key={f.id} gap={2}>
            <Text size="xs">{f.name}</Text>
            <audio controls src={f.url} preload="none" aria-label={f.name} />
          </Stack>
        ) : (
          <Anchor key={f.id} href={f.url} size="sm" target="_blank" rel="noopener">
            <Group gap={4} wrap="nowrap" component="span">
              <PaperclipIcon size={14} />
              <span>{f.name}</span>
              <Text span size="xs" c="dimmed">({fileSize(f.size, i18n.language)})</Text>
            </Group>
          </Anchor>
        ),
      )}
    </Stack>
  );
}
