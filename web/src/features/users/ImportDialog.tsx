// CSV import of students and teachers: check the file (a dry run), read the report, then import.
import { useState } from 'react';
import { Alert, Badge, Button, FileInput, Group, Stack, Table, Text } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { useTranslation } from 'react-i18next';
import { api, type Schemas } from '../../shared/api/client';
import { errorMessage } from '../../shared/ui/states';
import { useClassesChanged } from '../classes/queries';

type Report = Schemas['ImportReport'];

export function ImportDialog({ onDone }: { onDone: () => void }) {
  const { t } = useTranslation();
  const queryClient = useQueryClient();
  const changed = useClassesChanged();
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<Report | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const run = async (dryRun: boolean) => {
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const result = await api<Report>('POST', `/api/v1/users/import${dryRun ? '?dry_run=true' : ''}`, await file.text(), 'text/csv');
      setReport(result);
      if (!dryRun) {
        void queryClient.invalidateQueries({ queryKey: ['users'] });
        void changed.classes();
        notifications.show({ color: 'green', message: t('import.done', { count: result.created }) });
      }
    } catch (caught) {
      setError(errorMessage(caught, t));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Stack>
      <Text size="sm">{t('import.help')}</Text>
      <Text size="xs" c="dimmed" component="pre" style={{ margin: 0 }}>{'email;nom;rôle;classe\nlea.martin@exemple.fr;Léa Martin;élève;4e A'}</Text>
      <FileInput
        label={t('import.file')}
        accept=".csv,text/csv"
        value={file}
        onChange={(value) => { setFile(value); setReport(null); }}
        clearable
      />
      {error && <Alert color="red" role="alert">{error}</Alert>}
      <Group>
        <Button variant="light" disabled={!file} loading={busy && !report} onClick={() => run(true)}>{t('import.check')}</Button>
        <Button disabled={!file || !report || !report.dry_run || report.created === 0} loading={busy && !!report} onClick={() => run(false)}>
          {t('import.run', { count: report?.created ?? 0 })}
        </Button>
      </Group>
      {report && (
        <Stack gap="xs" aria-live="polite">
          <Text fw={600}>
            {report.dry_run
              ? t('import.summaryDry', { ready: t('import.ready', { count: report.created }), refused: t('import.refused', { count: report.rejected }) })
              : t('import.summary', { created: t('import.accounts', { count: report.created }), refused: t('import.refused', { count: report.rejected }) })}
          </Text>
          <Table.ScrollContainer minWidth={560} mah={320}>
            <Table striped aria-label={t('import.report')}>
              <Table.Thead>
                <Table.Tr>
                  <Table.Th scope="col">{t('import.line')}</Table.Th>
                  <Table.Th scope="col">{t('users.email')}</Table.Th>
                  <Table.Th scope="col">{t('users.name')}</Table.Th>
                  <Table.Th scope="col">{t('import.result')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.rows.map((row) => (
                  <Table.Tr key={row.line}>
                    <Table.Td>{row.line}</Table.Td>
                    <Table.Td>{row.email}</Table.Td>
                    <Table.Td>{row.display_name}</Table.Td>
                    <Table.Td>
                      {row.status === 'rejected' ? (
                        <Text size="sm" c="red.9">{row.reason}</Text>
                      ) : (
                        <Badge color="green" variant="light" size="sm">{t(`import.status.${row.status}`)}</Badge>
                      )}
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
          {!report.dry_run && <Button variant="subtle" onClick={onDone}>{t('import.close')}</Button>}
        </Stack>
      )}
    </Stack>
  );
}
