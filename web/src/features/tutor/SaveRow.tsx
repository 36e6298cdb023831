// A settings form's submit button, and "Saved" beside it once the server has kept the change.
import { Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export function SaveRow({ saving, saved }: { saving: boolean; saved: boolean }) {
  const { t } = useTranslation();
  return (
    <Group gap="sm">
      <Button type="submit" loading={saving}>{t('tutor.saveAgent')}</Button>
      {saved && <Text size="sm" c="teal.9" role="status">{t('tutor.agentSaved')}</Text>}
    </Group>
  );
}
