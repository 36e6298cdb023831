// The platform's billing (docs/billing.md, "The platform's view"): run a month's invoices, the
// revenue figures with their charts, every invoice with a payment to record, every subscription.
import { useState } from 'react';
import {
  Badge, Button, Card, Group, Modal, NumberInput, SimpleGrid, Stack, Switch, Table, Text, TextInput, Title,
} from '@mantine/core';
import { BarChart } from '@mantine/charts';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../shared/api/client';
import { formatDate } from '../../shared/format/dates';
import { applyFieldErrors, EmptyState, ErrorState, errorMessage, SkeletonState } from '../../shared/ui/states';
import { InvoicesTable } from './InvoicesTable';
import { formatMoney, useCreditNote, useOverview, usePlans, useRecordPayment, useSavePlan, type Plan, type PlanChange, useRunInvoices, type BillingOverview, type Invoice } from './queries';

function lastMonth(): string {
  const now = new Date();
  const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function PlatformBillingPage() {
  const { t } = useTranslation();
  return (
    <Stack maw={1100}>
      <Title order={1}>{t('platformBilling.title')}</Title>
      <RunCard />
      <Figures />
      <PlansCard />
      <AllInvoices />
      <Subscriptions />
    </Stack>
  );
}

function RunCard() {
  const { t } = useTranslation();
  const [period, setPeriod] = useState(lastMonth());
  const run = useRunInvoices();
  const valid = /^\d{4}-(0[1-9]|1[0-2])$/.test(period);
  const start = () =>
    run.mutate(period, {
      onSuccess: (r) =>
        notifications.show({
          color: 'teal',
          message: t('platformBilling.ran', { period: r.period, created: r.created.length, issued: r.issued, already: r.already, reminders: r.reminders }),
        }),
      onError: (error) => notifications.show({ color: 'red', message: errorMessage(error, t) }),
    });
  return (
    <Card withBorder radius="md" component="section" aria-labelledby="run-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="run-title">{t('platformBilling.runTitle')}</Title>
        <Text size="sm" c="dimmed">{t('platformBilling.runHint')}</Text>
        <Group align="flex-end">
          <TextInput label={t('platformBilling.period')} description="YYYY-MM" value={period} onChange={(e) => setPeriod(e.currentTarget.value)}
            error={valid ? undefined : t('platformBilling.periodError')} w={180} />
          <Button onClick={start} loading={run.isPending} disabled={!valid}>{t('platformBilling.run')}</Button>
        </Group>
      </Stack>
    </Card>
  );
}

function money(items: BillingOverview['mrr'], locale: string): string {
  if (items.length === 0) return formatMoney(0, 'EUR', locale);
  return items.map((m) => formatMoney(m.amount, m.currency, locale)).join(' + ');
}

function Figures() {
  const { t, i18n } = useTranslation();
  const overview = useOverview();
  if (overview.isLoading) return <SkeletonState rows={2} height={90} />;
  if (overview.error) return <ErrorState error={overview.error} onRetry={() => void overview.refetch()} />;
  const o = overview.data!;
  const paying = (o.by_status.active ?? 0) + (o.by_status.past_due ?? 0);
  const overdueTotal = o.overdue.reduce((sum, m) => sum + m.amount, 0);
  const euros = (minor: number) => Math.round(minor) / 100;
  // Plain data keys: recharts reads a dot in a key as a path, and the labels have dots (« HT. »).
  const byPlan = o.by_plan.map((p) => ({ plan: p.name, mrr: euros(p.mrr) }));
  const months = o.months.map((m) => ({ month: m.period, invoiced: euros(m.invoiced), collected: euros(m.collected) }));
  const figure = (label: string, value: string, tone?: 'red') => (
    <Card withBorder radius="md" padding="md">
      <Text size="sm" c="dimmed">{label}</Text>
      <Text fz={26} fw={700} c={tone === 'red' ? 'red.9' : undefined}>{value}</Text>
    </Card>
  );
  return (
    <Stack component="section" aria-labelledby="figures-title">
      <Title order={2} size="h4" id="figures-title">{t('platformBilling.figures')}</Title>
      <SimpleGrid cols={{ base: 1, xs: 2, md: 4 }}>
        {figure(t('platformBilling.mrr'), money(o.mrr, i18n.language))}
        {figure(t('platformBilling.paying'), String(paying))}
        {figure(t('platformBilling.trialing'), String(o.by_status.trialing ?? 0))}
        {figure(t('platformBilling.overdue', { count: o.overdue_invoices }), money(o.overdue, i18n.language), overdueTotal > 0 ? 'red' : undefined)}
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <Card withBorder radius="md">
          <Title order={3} size="h5">{t('platformBilling.byPlan')}</Title>
          <Text size="sm" c="dimmed" mb="xs">{t('platformBilling.byPlanText', { plans: o.by_plan.map((p) => `${p.name} ${formatMoney(p.mrr, p.currency, i18n.language)} (${p.paying})`).join(', ') || '—' })}</Text>
          <div role="img" aria-label={t('platformBilling.byPlanText', { plans: o.by_plan.map((p) => `${p.name} ${formatMoney(p.mrr, p.currency, i18n.language)}`).join(', ') || '—' })}>
            <BarChart h={200} data={byPlan} dataKey="plan" series={[{ name: 'mrr', label: t('platformBilling.mrrSeries'), color: 'indigo.7' }]}
              tickLine="y" gridAxis="y" yAxisLabel="€" withTooltip />
          </div>
        </Card>
        <Card withBorder radius="md">
          <Title order={3} size="h5">{t('platformBilling.months')}</Title>
          <Text size="sm" c="dimmed" mb="xs">{t('platformBilling.monthsText')}</Text>
          {months.length === 0 ? (
            <EmptyState title={t('platformBilling.noMonths')} />
          ) : (
            <div role="img" aria-label={o.months.map((m) => `${m.period}: ${formatMoney(m.invoiced, m.currency, i18n.language)} / ${formatMoney(m.collected, m.currency, i18n.language)}`).join('; ')}>
              <BarChart h={200} data={months} dataKey="month" withLegend
                series={[{ name: 'invoiced', label: t('platformBilling.invoicedSeries'), color: 'indigo.7' }, { name: 'collected', label: t('platformBilling.collectedSeries'), color: 'teal.8' }]}
                tickLine="y" gridAxis="y" yAxisLabel="€" withTooltip />
            </div>
          )}
        </Card>
      </SimpleGrid>
    </Stack>
  );
}

function AllInvoices() {
  const { t } = useTranslation();
  const [paying, setPaying] = useState<Invoice | null>(null);
  const [crediting, setCrediting] = useState<Invoice | null>(null);
  return (
    <>
      <InvoicesTable titleId="all-invoices-title" title={t('platformBilling.invoices')} emptyHint={t('platformBilling.noInvoicesHint')}
        withSchool actions={(i) => i.kind === 'invoice' && (i.status === 'issued' || i.status === 'paid') && (
          <>
            {i.status === 'issued' && (
              <Button size="compact-sm" variant="light" onClick={() => setPaying(i)} aria-label={t('platformBilling.recordFor', { number: i.number })}>
                {t('platformBilling.record')}
              </Button>
            )}
            <Button size="compact-sm" variant="subtle" color="red" c="red.9" onClick={() => setCrediting(i)}
              aria-label={t('platformBilling.creditFor', { number: i.number })}>
              {t('platformBilling.credit')}
            </Button>
          </>
        )} />
      {paying && <RecordPayment invoice={paying} onClose={() => setPaying(null)} />}
      {crediting && <CreditNote invoice={crediting} onClose={() => setCrediting(null)} />}
    </>
  );
}

function RecordPayment({ invoice, onClose }: { invoice: Invoice; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const record = useRecordPayment();
  const [amount, setAmount] = useState<number | string>(invoice.amount_due / 100);
  const [date, setDate] = useState(new Date().toISOString().slice(0, 10));
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const submit = () => {
    const cents = Math.round(Number(amount) * 100);
    record.mutate(
      // Noon of the day chosen, or now for today (a payment is never received in the future).
      { invoice: invoice.id, amount: cents, received_at: Math.min(Date.parse(`${date}T12:00:00Z`), Date.now()), note },
      {
        onSuccess: (after) => {
          notifications.show({ color: 'teal', message: after.status === 'paid' ? t('platformBilling.paidInFull', { number: invoice.number }) : t('platformBilling.recorded') });
          onClose();
        },
        onError: (error) => {
          const found: Record<string, string> = {};
          const rest = applyFieldErrors(error, (field, message) => { found[field] = message; }, ['amount', 'received_at', 'note']);
          setErrors(found);
          if (rest !== null || Object.keys(found).length === 0) notifications.show({ color: 'red', message: rest ?? errorMessage(error, t) });
        },
      },
    );
  };
  return (
    <Modal opened onClose={onClose} title={t('platformBilling.recordTitle', { number: invoice.number })}>
      <Stack>
        <Text size="sm">{t('platformBilling.recordHint', { school: invoice.school_name, due: formatMoney(invoice.amount_due, invoice.currency, i18n.language) })}</Text>
        <NumberInput label={t('platformBilling.amount', { currency: invoice.currency })} value={amount} onChange={setAmount}
          decimalScale={2} min={0.01} max={invoice.amount_due / 100} decimalSeparator={i18n.language === 'fr' ? ',' : '.'} error={errors.amount} />
        <TextInput type="date" label={t('platformBilling.receivedOn')} value={date} onChange={(e) => setDate(e.currentTarget.value)} error={errors.received_at} />
        <TextInput label={t('platformBilling.note')} value={note} onChange={(e) => setNote(e.currentTarget.value)} maxLength={300} error={errors.note} />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button onClick={submit} loading={record.isPending}>{t('platformBilling.record')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function PlansCard() {
  const { t, i18n } = useTranslation();
  const plans = usePlans();
  const [editing, setEditing] = useState<Plan | 'new' | null>(null);
  return (
    <Card withBorder radius="md" component="section" aria-labelledby="plans-title">
      <Stack>
        <Group justify="space-between">
          <Title order={2} size="h4" id="plans-title">{t('platformBilling.plans')}</Title>
          <Button variant="light" onClick={() => setEditing('new')}>{t('platformBilling.newPlan')}</Button>
        </Group>
        <Text size="sm" c="dimmed">{t('platformBilling.plansHint')}</Text>
        {plans.isLoading ? (
          <SkeletonState rows={2} height={40} />
        ) : plans.error ? (
          <ErrorState error={plans.error} onRetry={() => void plans.refetch()} />
        ) : (
          <Table.ScrollContainer minWidth={720}>
            <Table striped aria-labelledby="plans-title">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('platformBilling.plan')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('platformBilling.price')}</Table.Th>
                  <Table.Th>{t('platformBilling.seats')}</Table.Th>
                  <Table.Th>{t('platformBilling.modules')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('platformBilling.schools')}</Table.Th>
                  <Table.Th>{t('platformBilling.actions')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {plans.data!.items.map((p) => (
                  <Table.Tr key={p.id}>
                    <Table.Td>
                      {p.name} {p.is_default && <Badge variant="outline" color="gray.8" c="gray.8">{t('platformBilling.default')}</Badge>}
                      <Text size="xs" c="dimmed">{t('platformBilling.version', { version: p.current.version })}</Text>
                    </Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{formatMoney(p.current.monthly_price, p.current.currency, i18n.language)}</Table.Td>
                    <Table.Td>{t('platformBilling.seatsText', { teachers: p.current.included_teachers, students: p.current.included_students })}</Table.Td>
                    <Table.Td>
                      {[p.current.ai_tutor && t('billing.withAi'), p.current.video_rooms && t('billing.withVideo')].filter(Boolean).join(' · ') || '—'}
                      {p.current.ai_requests_per_month !== null && (
                        <Text size="xs" c="dimmed">{t('platformBilling.quotaText', { count: p.current.ai_requests_per_month })}</Text>
                      )}
                    </Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{p.schools ?? 0}</Table.Td>
                    <Table.Td>
                      <Button size="compact-sm" variant="light" onClick={() => setEditing(p)}
                        aria-label={t('platformBilling.newPriceFor', { plan: p.name })}>
                        {t('platformBilling.newPrice')}
                      </Button>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        )}
      </Stack>
      {editing && <PlanForm plan={editing === 'new' ? null : editing} onClose={() => setEditing(null)} />}
    </Card>
  );
}

/** A new plan, or a plan's new version: money typed in euros, sent in cents. */
function PlanForm({ plan, onClose }: { plan: Plan | null; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const save = useSavePlan();
  const v = plan?.current;
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [price, setPrice] = useState<number | string>(v ? v.monthly_price / 100 : 0);
  const [teachers, setTeachers] = useState<number | string>(v?.included_teachers ?? 5);
  const [students, setStudents] = useState<number | string>(v?.included_students ?? 100);
  const [extraTeacher, setExtraTeacher] = useState<number | string>(v ? v.extra_teacher_price / 100 : 0);
  const [extraStudent, setExtraStudent] = useState<number | string>(v ? v.extra_student_price / 100 : 0);
  const [overage, setOverage] = useState(v?.overage_allowed ?? false);
  const [ai, setAi] = useState(v?.ai_tutor ?? false);
  const [video, setVideo] = useState(v?.video_rooms ?? false);
  const [quota, setQuota] = useState<number | string>(v?.ai_requests_per_month ?? '');
  const [trial, setTrial] = useState<number | string>(v?.trial_days ?? 30);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const cents = (value: number | string) => Math.round(Number(value || 0) * 100);
  const submit = () => {
    const change: PlanChange = {
      monthly_price: cents(price), included_teachers: Number(teachers), included_students: Number(students),
      extra_teacher_price: cents(extraTeacher), extra_student_price: cents(extraStudent), overage_allowed: overage,
      ai_tutor: ai, video_rooms: video, ai_requests_per_month: quota === '' ? null : Number(quota), trial_days: Number(trial),
      ...(plan ? {} : { code, name, currency: 'EUR' }),
    };
    save.mutate({ plan: plan?.id, change }, {
      onSuccess: () => {
        notifications.show({ color: 'teal', message: plan ? t('platformBilling.priceSaved', { plan: plan.name }) : t('platformBilling.planSaved') });
        onClose();
      },
      onError: (e) => {
        const found: Record<string, string> = {};
        const rest = applyFieldErrors(e, (field, message) => { found[field] = message; }, [
          'code', 'name', 'monthly_price', 'included_teachers', 'included_students', 'extra_teacher_price',
          'extra_student_price', 'ai_requests_per_month', 'trial_days']);
        setErrors(found);
        if (rest !== null || Object.keys(found).length === 0) notifications.show({ color: 'red', message: rest ?? errorMessage(e, t) });
      },
    });
  };
  const decimal = i18n.language === 'fr' ? ',' : '.';
  return (
    <Modal opened onClose={onClose} size="lg" title={plan ? t('platformBilling.newPriceFor', { plan: plan.name }) : t('platformBilling.newPlan')}>
      <Stack>
        {plan ? <Text size="sm">{t('platformBilling.newPriceHint')}</Text> : (
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            <TextInput label={t('platformBilling.code')} description="college-plus" value={code} onChange={(e) => setCode(e.currentTarget.value)} error={errors.code} />
            <TextInput label={t('platformBilling.name')} value={name} onChange={(e) => setName(e.currentTarget.value)} error={errors.name} />
          </SimpleGrid>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <NumberInput label={t('platformBilling.monthlyPrice')} value={price} onChange={setPrice} min={0} decimalScale={2} decimalSeparator={decimal} error={errors.monthly_price} />
          <NumberInput label={t('platformBilling.trialDays')} value={trial} onChange={setTrial} min={0} max={365} error={errors.trial_days} />
          <NumberInput label={t('platformBilling.includedTeachers')} value={teachers} onChange={setTeachers} min={0} error={errors.included_teachers} />
          <NumberInput label={t('platformBilling.includedStudents')} value={students} onChange={setStudents} min={0} error={errors.included_students} />
          <NumberInput label={t('platformBilling.extraTeacher')} value={extraTeacher} onChange={setExtraTeacher} min={0} decimalScale={2} decimalSeparator={decimal} error={errors.extra_teacher_price} />
          <NumberInput label={t('platformBilling.extraStudent')} value={extraStudent} onChange={setExtraStudent} min={0} decimalScale={2} decimalSeparator={decimal} error={errors.extra_student_price} />
          <NumberInput label={t('platformBilling.quota')} description={t('platformBilling.quotaHint')} value={quota} onChange={setQuota} min={0} allowDecimal={false} error={errors.ai_requests_per_month} />
        </SimpleGrid>
        <Group>
          <Switch label={t('platformBilling.overage')} checked={overage} onChange={(e) => setOverage(e.currentTarget.checked)} />
          <Switch label={t('billing.withAi')} checked={ai} onChange={(e) => setAi(e.currentTarget.checked)} />
          <Switch label={t('billing.withVideo')} checked={video} onChange={(e) => setVideo(e.currentTarget.checked)} />
        </Group>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button onClick={submit} loading={save.isPending}>{plan ? t('platformBilling.savePrice') : t('platformBilling.savePlan')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function CreditNote({ invoice, onClose }: { invoice: Invoice; onClose: () => void }) {
  const { t, i18n } = useTranslation();
  const credit = useCreditNote();
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | undefined>();
  const submit = () =>
    credit.mutate(
      { invoice: invoice.id, reason },
      {
        onSuccess: (note) => {
          notifications.show({ color: 'teal', message: t('platformBilling.credited', { number: note.number, invoice: invoice.number }) });
          onClose();
        },
        onError: (e) => {
          const message = e instanceof ApiError ? e.fieldMessage('reason') : undefined;
          if (message) setError(message);
          else notifications.show({ color: 'red', message: errorMessage(e, t) });
        },
      },
    );
  return (
    <Modal opened onClose={onClose} title={t('platformBilling.creditTitle', { number: invoice.number })}>
      <Stack>
        <Text size="sm">{t('platformBilling.creditHint', { school: invoice.school_name, total: formatMoney(invoice.total, invoice.currency, i18n.language) })}</Text>
        <TextInput label={t('platformBilling.reason')} value={reason} onChange={(e) => setReason(e.currentTarget.value)} maxLength={300}
          error={error} data-autofocus />
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>{t('common.cancel')}</Button>
          <Button color="red.9" onClick={submit} loading={credit.isPending}>{t('platformBilling.creditConfirm')}</Button>
        </Group>
      </Stack>
    </Modal>
  );
}

function Subscriptions() {
  const { t, i18n } = useTranslation();
  const overview = useOverview();
  if (!overview.data) return null;
  const rows = overview.data.subscriptions;
  return (
    <Card withBorder radius="md" component="section" aria-labelledby="subscriptions-title">
      <Stack>
        <Title order={2} size="h4" id="subscriptions-title">{t('platformBilling.subscriptions')}</Title>
        {rows.length === 0 ? (
          <EmptyState title={t('platformBilling.noSubscriptions')} />
        ) : (
          <Table.ScrollContainer minWidth={620}>
            <Table striped aria-labelledby="subscriptions-title">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>{t('platformBilling.school')}</Table.Th>
                  <Table.Th>{t('platformBilling.plan')}</Table.Th>
                  <Table.Th>{t('platformBilling.status')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('platformBilling.price')}</Table.Th>
                  <Table.Th style={{ textAlign: 'right' }}>{t('platformBilling.overdueColumn')}</Table.Th>
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {rows.map((s) => (
                  <Table.Tr key={s.school_id}>
                    <Table.Td>{s.school_name}</Table.Td>
                    <Table.Td>{s.plan_name}</Table.Td>
                    <Table.Td>
                      <Badge variant="outline" color={s.status === 'suspended' || s.status === 'past_due' ? 'red.9' : 'gray.8'}
                        c={s.status === 'suspended' || s.status === 'past_due' ? 'red.9' : 'gray.8'}>
                        {t(`billing.status.${s.status}`)}
                      </Badge>
                      {s.status === 'trialing' && s.trial_ends_at && <Text size="xs" c="dimmed">{formatDate(s.trial_ends_at)}</Text>}
                    </Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{formatMoney(s.monthly_price, s.currency, i18n.language)}</Table.Td>
                    <Table.Td style={{ textAlign: 'right' }}>{s.overdue > 0 ? formatMoney(s.overdue, s.currency, i18n.language) : '—'}</Table.Td>
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
