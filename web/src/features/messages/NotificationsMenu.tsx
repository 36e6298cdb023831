// The bell in the header: unread notifications counted, the latest listed, each opening where
// it points; new ones arrive live (notification.created).
import { ActionIcon, Button, Group, Indicator, Popover, ScrollArea, Stack, Text, UnstyledButton } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { api, type Schemas } from '../../shared/api/client';
import { formatMessageTime } from '../../shared/format/dates';
import { useRealtimeMessage } from '../../shared/realtime/realtime';

type Notification = Schemas['Notification'];
interface NotificationPage {
  items: Notification[];
  unread: number;
  next_cursor: string | null;
}

export const notificationKeys = { latest: ['notifications', 'latest'] as const, settings: ['notifications', 'settings'] as const };

function Bell() {
  return (
    <svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round" strokeLinejoin="round" aria-hidden>
      <path d="M6 8a6 6 0 0 1 12 0c0 7 3 9 3 9H3s3-2 3-9" />
      <path d="M10.3 21a1.94 1.94 0 0 0 3.4 0" />
    </svg>
  );
}

export function NotificationsMenu() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [opened, setOpened] = useState(false);
  const latest = useQuery({
    queryKey: notificationKeys.latest,
    queryFn: () => api<NotificationPage>('GET', '/api/v1/notifications?limit=10'),
    refetchInterval: 60_000,
  });
  useRealtimeMessage('notification.created', () => void queryClient.invalidateQueries({ queryKey: notificationKeys.latest }));
  const refresh = () => queryClient.invalidateQueries({ queryKey: notificationKeys.latest });
  const readAll = useMutation({ mutationFn: () => api('POST', '/api/v1/notifications/read-all'), onSuccess: refresh });
  const open = async (n: Notification) => {
    setOpened(false);
    if (!n.read_at) await api('POST', `/api/v1/notifications/${n.id}/read`).catch(() => undefined);
    void refresh();
    if (n.link) navigate(n.link);
  };
  const unread = latest.data?.unread ?? 0;
  const items = latest.data?.items ?? [];
  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={340} shadow="md" trapFocus>
      {/* The target is the button itself: it carries aria-expanded. */}
      <Indicator label={unread} disabled={unread === 0} size={18} offset={4} color="red.8">
        <Popover.Target>
          <ActionIcon variant="subtle" color="gray" size="lg" onClick={() => setOpened((o) => !o)}
            aria-label={unread > 0 ? t('notifications.openUnread', { count: unread }) : t('notifications.open')}>
            <Bell />
          </ActionIcon>
        </Popover.Target>
      </Indicator>
      <Popover.Dropdown p="xs">
        <Group justify="space-between" mb="xs">
          <Text fw={700}>{t('notifications.title')}</Text>
          {unread > 0 && (
            <Button variant="subtle" size="compact-xs" onClick={() => readAll.mutate()} loading={readAll.isPending}>
              {t('notifications.readAll')}
            </Button>
          )}
        </Group>
        {items.length === 0 ? (
          <Text size="sm" c="dimmed" py="md" ta="center">{t('notifications.none')}</Text>
        ) : (
          <ScrollArea.Autosize mah={380} type="auto">
            <Stack gap={2} component="ul" style={{ listStyle: 'none', margin: 0, padding: 0 }} aria-label={t('notifications.title')}>
              {items.map((n) => (
                <li key={n.id}>
                  <UnstyledButton className="conversation-row" onClick={() => void open(n)} data-selected={!n.read_at || undefined}>
                    <Text size="sm" fw={n.read_at ? 500 : 700}>{n.title}</Text>
                    <Text size="xs" c="dimmed" lineClamp={2}>{n.body}</Text>
                    <Text size="xs" c="dimmed">{formatMessageTime(n.created_at)}</Text>
                  </UnstyledButton>
                </li>
              ))}
            </Stack>
          </ScrollArea.Autosize>
        )}
      </Popover.Dropdown>
    </Popover>
  );
}
