// Invoices as a table (docs/billing.md): the school's on its Subscription page, every school's on
// the platform's Billing page (with the school's name and an action per invoice).
import type { ReactNode } from 'react';
import { Anchor, Badge, Card, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { formatDate } from '../../shared/format/dates';
import { EmptyState, ErrorState, SkeletonState } from '../../shared/ui/states';
import { formatMoney, useInvoices, type Invoice } from './queries';

export function InvoicesTable({ titleId, title, emptyHint, withSchool = false, actions }: {
  titleId: string; title: string; emptyHint: string; withSchool?: boolean; actions?: (invoice: Invoice) => ReactNode;
}) {
  const { t, i18n } = useTranslation();
  const invoices = useInvoices();
  const month = (period: string) =>
    new Intl.DateTimeFormat(i18n.language, { month: 'long', year: 'numeric', timeZone: 'UTC' }).format(new Date(`${period}-01T00:00:00Z`));
  return (
    <Card withBorder radius="md" component="section" aria-labelledby={titleId}>
      <Stack>
        <Title order={2} size="h4" id={titleId}>{title}</Title>
        {invoices.isLoading ? (
          <SkeletonState rows={2} height={40} />
        ) : invoices.error ? (
          <ErrorState error={invoices.error} onRetry={() => void invoices.refetch()} />
        ) : invoices.data!.items.length === 0 ? (
          <EmptyState title={t('billing.noInvoices')} hint={emptyHint} />
        ) : (
          <Table.ScrollContainer minWidth={withSchool ? 760 : 560}>
            <Table striped aria-labelledby={titleId}>
              <Table.Thead>
                <Table.Tr>
                  {withSchool && <Table.Th>{t('platformBilling.school')}</Table.Th>}
                  <Table.Th>{t('billing.number')}</Table.Th>
                  <Table.Th>{t('billing.period')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('billing.totalInclTax')}</Table.Th>
                  <Table.Th>{t('billing.invoiceStatus')}</Table.Th>
                  <Table.Th>{t('billing.due')}</Table.Th>
                  <Table.Th>{actions ? t('platformBilling.actions') : t('billing.pdf')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {invoices.data!.items.map((i) => (
                  <Table.Tr key={i.id}>
                    {withSchool && <Table.Td>{i.school_name}</Table.Td>}
                    <Table.Td><Text ff="monospace" size="sm">{i.number}</Text></Table.Td>
                    <Table.Td>{month(i.period)}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>
                      {/* A credit note takes the amount back: shown negative. */}
                      {formatMoney(i.kind === 'credit_note' ? -i.total : i.total, i.currency, i18n.language)}
                      {i.status === 'issued' && i.amount_paid > 0 && (
                        <Text size="xs" c="dimmed">{t('billing.amountDue', { amount: formatMoney(i.amount_due, i.currency, i18n.language) })}</Text>
                      )}
                    </Table.Td>
                    <Table.Td><InvoiceStatus invoice={i} /></Table.Td>
                    <Table.Td>{i.due_at && i.kind === 'invoice' ? formatDate(i.due_at) : '—'}</Table.Td>
                    <Table.Td>
                      <Group gap="xs" wrap="nowrap">
                        {i.pdf_url ? (
                          <Anchor href={`${i.pdf_url}?download=1`} download={`${i.number}.pdf`} size="sm"
                            aria-label={t('billing.downloadInvoice', { number: i.number })}>
                            {t('billing.download')}
                          </Anchor>
                        ) : (
                          <Text size="sm" c="dimmed">{t('billing.pdfComing')}</Text>
                        )}
                        {actions?.(i)}
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
    </Card>
  );
}

function InvoiceStatus({ invoice: i }: { invoice: Invoice }) {
  const { t } = useTranslation();
  if (i.kind === 'credit_note') return <Badge variant="outline" color="gray.8" c="gray.8">{t('billing.creditNote')}</Badge>;
  if (i.status === 'issued' && i.due_at !== null && i.due_at < Date.now()) {
    return <Badge variant="outline" color="red.9" c="red.9">{t('billing.overdue')}</Badge>;
  }
  const paid = i.status === 'paid';
  return (
    <Badge variant={paid ? 'outline' : 'light'} color={paid ? 'teal.9' : 'gray'} c={paid ? 'teal.9' : 'gray.8'}>
      {t(`billing.invoiceStatuses.${i.status}`)}
    </Badge>
  );
}
