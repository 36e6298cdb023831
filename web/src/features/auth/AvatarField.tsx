// One's picture: shown, replaced (PNG, JPEG or WebP up to 512 KiB) or removed.
import { useState } from 'react';
import { Alert, Avatar, Button, FileInput, Group, Stack, Text } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api } from '../../shared/api/client';
import { errorMessage } from '../../shared/ui/states';
import { useAuth } from './auth';

export function AvatarField() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const queryClient = useQueryClient();
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  if (!me) return null;
  const hasAvatar = me.user.has_avatar;
  const run = async (work: () => Promise<unknown>) => {
    setBusy(true);
    setError(null);
    try {
      await work();
      setVersion((v) => v + 1);
      await queryClient.invalidateQueries({ queryKey: ['me'] });
    } catch (caught) {
      setError(errorMessage(caught, t));
    } finally {
      setBusy(false);
    }
  };
  return (
    <Stack gap="xs">
      <Text fw={600} size="sm">{t('avatar.title')}</Text>
      <Group align="flex-end">
        <Avatar
          size="lg"
          radius="xl"
          src={hasAvatar ? `/api/v1/users/${me.user.id}/avatar?v=${version}` : null}
          alt={t('avatar.alt', { name: me.user.display_name })}
        >
          {me.user.display_name.slice(0, 1)}
        </Avatar>
        <FileInput
          label={t('avatar.choose')}
          description={t('avatar.hint')}
          accept="image/png,image/jpeg,image/webp"
          value={null}
          onChange={(file) => file && run(async () => api('PUT', '/api/v1/me/avatar', await file.arrayBuffer(), file.type))}
          disabled={busy}
          style={{ flex: 1 }}
        />
        {hasAvatar && (
          <Button variant="subtle" color="red" loading={busy} onClick={() => run(() => api('DELETE', '/api/v1/me/avatar'))}>
            {t('avatar.remove')}
          </Button>
        )}
      </Group>
      {error && <Alert color="red" role="alert">{error}</Alert>}
    </Stack>
  );
}
