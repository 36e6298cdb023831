// On the profile page: how one is told of each kind of notification.
import { Card, Select, Stack, Text, Title } from '@mantine/core';
import { notifications as toasts } from '@mantine/notifications';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../shared/api/client';
import { errorMessage, SkeletonState } from '../../shared/ui/states';
import { hasRole, useAuth } from '../auth/auth';
import { notificationKeys } from './NotificationsMenu';

type Settings = Schemas['NotificationSettings'];
const CHANNELS = ['both', 'in_app', 'email', 'none'] as const;

export function NotificationSettingsCard() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const queryClient = useQueryClient();
  const settings = useQuery({ queryKey: notificationKeys.settings, queryFn: () => api<Settings>('GET', '/api/v1/me/notification-settings') });
  const save = useMutation({
    mutationFn: (change: Record<string, string>) => api<Settings>('PUT', '/api/v1/me/notification-settings', change),
    onSuccess: (saved) => {
      queryClient.setQueryData(notificationKeys.settings, saved);
      toasts.show({ color: 'green', message: t('notifications.saved') });
    },
    onError: (error) => toasts.show({ color: 'red', message: errorMessage(error, t) }),
  });
  // Each person sees the kinds that can reach them.
  const relevant: Record<string, boolean> = {
    message: true,
    path_assigned: hasRole(me, 'student'),
    session_results: hasRole(me, 'teacher'),
    message_reported: hasRole(me, 'school_admin'),
    appointment: hasRole(me, 'teacher', 'student'),
    class_event: hasRole(me, 'student'),
    invoice: hasRole(me, 'school_admin'),
  };
  return (
    <Card withBorder component="section" aria-labelledby="notification-settings-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="notification-settings-title">{t('notifications.settings')}</Title>
        <Text size="sm" c="dimmed">{t('notifications.settingsHint')}</Text>
        {settings.isLoading ? (
          <SkeletonState rows={2} height={40} />
        ) : (
          settings.data?.items.filter((s) => relevant[s.kind]).map((s) => (
            <Select key={s.kind} label={t(`notifications.kind.${s.kind}`)} value={s.channel} allowDeselect={false}
              data={CHANNELS.map((c) => ({ value: c, label: t(`notifications.channel.${c}`) }))}
              onChange={(value) => value && save.mutate({ [s.kind]: value })} />
          ))
        )}
      </Stack>
    </Card>
  );
}
