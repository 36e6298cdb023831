// The school's admins: their plan, the seats used and included, the plans they may move to, and the
// billing details invoices carry (docs/billing.md).
import { useEffect, useState } from 'react';
import {
  Badge, Button, Card, Group, NumberInput, Progress, Radio, SimpleGrid, Stack, Switch, Text, TextInput, Title,
} from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../shared/api/client';
import { BarChart } from '@mantine/charts';
import { formatDate, formatDayShort } from '../../shared/format/dates';
import { ConfirmButton } from '../../shared/ui/ConfirmButton';
import { ErrorState, errorMessage, SkeletonState } from '../../shared/ui/states';
import { useAuth } from '../auth/auth';
import { InvoicesTable } from './InvoicesTable';
import { formatMoney, useChangeDetails, usePlans, useSubscription, useSwitchPlan, type Plan, type Subscription } from './queries';

export function SubscriptionPage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  const school = me?.school?.id ?? '';
  const subscription = useSubscription(school);
  return (
    <Stack gap="lg">
      <Title order={1} size="h2">{t('billing.title')}</Title>
      {subscription.isLoading ? (
        <SkeletonState rows={3} />
      ) : subscription.error ? (
        <ErrorState error={subscription.error} onRetry={() => void subscription.refetch()} />
      ) : (
        <>
          <Summary subscription={subscription.data!} />
          <Usage subscription={subscription.data!} />
          <InvoicesTable titleId="invoices-title" title={t('billing.invoices')} emptyHint={t('billing.noInvoicesHint')} />
          <Plans school={school} subscription={subscription.data!} />
          <Details school={school} subscription={subscription.data!} />
        </>
      )}
    </Stack>
  );
}

function Summary({ subscription: s }: { subscription: Subscription }) {
  const { t, i18n } = useTranslation();
  const statusColor = s.status === 'active' ? 'teal.9' : s.status === 'trialing' ? 'indigo' : 'red.9';
  return (
    <Card withBorder radius="md" component="section" aria-labelledby="plan-title">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start">
          <div>
            <Text size="sm" c="dimmed">{t('billing.yourPlan')}</Text>
            <Title order={2} size="h3" id="plan-title">{s.plan.name}</Title>
            <Text>{t('billing.perMonth', { price: formatMoney(s.version.monthly_price, s.version.currency, i18n.language) })}</Text>
          </div>
          <Badge color={statusColor} variant="filled" size="lg">{t(`billing.status.${s.status}`)}</Badge>
        </Group>
        {s.status === 'trialing' && s.trial_ends_at && (
          <Text size="sm">{t('billing.trialUntil', { date: formatDate(s.trial_ends_at) })}</Text>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="lg">
          <SeatBar label={t('billing.teachers')} used={s.seats.teachers.used} included={s.seats.teachers.included}
            overage={s.version.overage_allowed} />
          <SeatBar label={t('billing.students')} used={s.seats.students.used} included={s.seats.students.included}
            overage={s.version.overage_allowed} />
        </SimpleGrid>
        <Group gap="xs">
          <Badge variant={s.version.ai_tutor ? 'outline' : 'light'} color={s.version.ai_tutor ? 'teal.9' : 'gray'} c={s.version.ai_tutor ? 'teal.9' : 'gray.8'}>
            {s.version.ai_tutor ? t('billing.withAi') : t('billing.withoutAi')}
          </Badge>
          <Badge variant={s.version.video_rooms ? 'outline' : 'light'} color={s.version.video_rooms ? 'teal.9' : 'gray'} c={s.version.video_rooms ? 'teal.9' : 'gray.8'}>
            {s.version.video_rooms ? t('billing.withVideo') : t('billing.withoutVideo')}
          </Badge>
        </Group>
      </Stack>
    </Card>
  );
}


/** This month's usage and the last 30 days', as figures and one chart with its axes. */
function Usage({ subscription: s }: { subscription: Subscription }) {
  const { t, i18n } = useTranslation();
  const u = s.usage;
  const number = (n: number) => new Intl.NumberFormat(i18n.language).format(n);
  const megabytes = new Intl.NumberFormat(i18n.language, { maximumFractionDigits: 1 }).format(u.storage_bytes / 1048576);
  const days = u.days.map((d) => ({ day: formatDayShort(d.day), students: d.active_students, requests: d.ai_requests }));
  const sentence = t('billing.usageText', { students: u.active_students, requests: u.ai_requests });
  return (
    <Card withBorder radius="md" component="section" aria-labelledby="usage-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="usage-title">{t('billing.usage')}</Title>
        <SimpleGrid cols={{ base: 1, sm: 3 }} spacing="lg">
          <div>
            <Text size="sm" c="dimmed">{t('billing.activeStudents')}</Text>
            <Text fz={24} fw={700}>{number(u.active_students)}</Text>
          </div>
          {u.ai_requests_quota !== null ? (
            <SeatBar label={t('billing.aiRequests')} used={u.ai_requests} included={u.ai_requests_quota} overage={false} />
          ) : (
            <div>
              <Text size="sm" c="dimmed">{t('billing.aiRequests')}</Text>
              <Text fz={24} fw={700}>{number(u.ai_requests)}</Text>
              <Text size="xs" c="dimmed">{t('billing.noAiQuota')}</Text>
            </div>
          )}
          <div>
            <Text size="sm" c="dimmed">{t('billing.storage')}</Text>
            <Text fz={24} fw={700}>{t('billing.megabytes', { value: megabytes })}</Text>
          </div>
        </SimpleGrid>
        {days.length > 0 && (
          <div role="img" aria-label={sentence}>
            <BarChart h={160} data={days} dataKey="day" withLegend tickLine="y" gridAxis="y" withTooltip
              yAxisProps={{ allowDecimals: false }} xAxisProps={{ interval: 'equidistantPreserveStart' }}
              series={[{ name: 'students', label: t('billing.activeStudents'), color: 'indigo.7' },
                { name: 'requests', label: t('billing.aiRequests'), color: 'teal.8' }]} />
          </div>
        )}
      </Stack>
    </Card>
  );
}

function SeatBar({ label, used, included, overage }: { label: string; used: number; included: number; overage: boolean }) {
  const { t } = useTranslation();
  const share = included > 0 ? Math.min(100, (used / included) * 100) : 100;
  const full = used >= included;
  return (
    <Stack gap={4}>
      <Group justify="space-between">
        <Text fw={600}>{label}</Text>
        <Text size="sm">{t('billing.seatsUsed', { used, included })}</Text>
      </Group>
      <Progress value={share} color={full ? (overage ? 'orange.9' : 'red.9') : 'indigo'} size="lg"
        aria-label={t('billing.seatsAria', { label, used, included })} />
      {full && (
        <Text size="xs" c={overage ? 'dimmed' : 'red.9'}>{overage ? t('billing.overageBilled') : t('billing.full')}</Text>
      )}
    </Stack>
  );
}

function Plans({ school, subscription }: { school: string; subscription: Subscription }) {
  const { t, i18n } = useTranslation();
  const plans = usePlans();
  const change = useSwitchPlan(school);
  if (plans.isLoading) return <SkeletonState rows={2} />;
  if (plans.error) return <ErrorState error={plans.error} onRetry={() => void plans.refetch()} />;
  const price = (p: Plan) => formatMoney(p.current.monthly_price, p.current.currency, i18n.language);
  return (
    <Card withBorder radius="md" component="section" aria-labelledby="plans-title">
      <Stack>
        <div>
          <Title order={2} size="h4" id="plans-title">{t('billing.plans')}</Title>
          <Text size="sm" c="dimmed">{t('billing.plansHint')}</Text>
        </div>
        {change.error && <Text c="red.9" size="sm" role="alert">{errorMessage(change.error, t)}</Text>}
        <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
          {plans.data!.items.map((p) => {
            const current = p.id === subscription.plan.id;
            return (
              <Card key={p.id} withBorder radius="md" padding="md" component="article" aria-label={p.name}
                style={current ? { borderColor: 'var(--mantine-color-indigo-6)', borderWidth: 2 } : undefined}>
                <Stack gap={6} h="100%">
                  <Group justify="space-between">
                    <Title order={3} size="h5">{p.name}</Title>
                    {current && <Badge color="indigo" variant="light">{t('billing.current')}</Badge>}
                  </Group>
                  <Text fw={700} size="lg">{t('billing.perMonth', { price: price(p) })}</Text>
                  <Text size="sm">{t('billing.planSeats', { teachers: p.current.included_teachers, students: p.current.included_students })}</Text>
                  <Text size="sm">
                    {p.current.overage_allowed
                      ? t('billing.extraSeats', {
                          teacher: formatMoney(p.current.extra_teacher_price, p.current.currency, i18n.language),
                          student: formatMoney(p.current.extra_student_price, p.current.currency, i18n.language),
                        })
                      : t('billing.noExtraSeats')}
                  </Text>
                  <Text size="sm">
                    {[p.current.ai_tutor ? t('billing.withAi') : null, p.current.video_rooms ? t('billing.withVideo') : null]
                      .filter(Boolean).join(' · ') || t('billing.essentialsOnly')}
                  </Text>
                  {!current && (
                    <ConfirmButton mt="auto" variant="light" loading={change.isPending && change.variables === p.id}
                      title={t('billing.switchTitle', { name: p.name })}
                      message={t('billing.switchMessage', { name: p.name, price: price(p) })}
                      confirmLabel={t('billing.switchConfirm')}
                      onConfirm={() => change.mutate(p.id, {
                        onSuccess: () => notifications.show({ color: 'green', message: t('billing.switched', { name: p.name }) }),
                      })}>
                      {t('billing.choose', { name: p.name })}
                    </ConfirmButton>
                  )}
                </Stack>
              </Card>
            );
          })}
        </SimpleGrid>
      </Stack>
    </Card>
  );
}

type Form = {
  legal_name: string; address: string; postal_code: string; city: string; country: string;
  siren: string; siret: string; vat_number: string; einvoice_address: string;
  payment_method: 'transfer' | 'card' | 'sepa_debit'; auto_collect: boolean; billing_day: number;
};

function formOf(s: Subscription): Form {
  const d = s.billing_details;
  return {
    legal_name: d.legal_name, address: d.address, postal_code: d.postal_code, city: d.city, country: d.country,
    siren: d.siren ?? '', siret: d.siret ?? '', vat_number: d.vat_number ?? '', einvoice_address: d.einvoice_address ?? '',
    payment_method: s.payment_method, auto_collect: s.auto_collect, billing_day: s.billing_day,
  };
}

function Details({ school, subscription }: { school: string; subscription: Subscription }) {
  const { t } = useTranslation();
  const save = useChangeDetails(school);
  const [form, setForm] = useState<Form>(() => formOf(subscription));
  useEffect(() => setForm(formOf(subscription)), [subscription]);
  const set = <K extends keyof Form>(key: K, value: Form[K]) => setForm((f) => ({ ...f, [key]: value }));
  const fieldError = (name: string) => (save.error instanceof ApiError ? save.error.fieldMessage(name) : undefined);
  const text = (name: keyof Form & string, label: string, description?: string) => (
    <TextInput label={label} description={description} value={String(form[name])} error={fieldError(name)}
      onChange={(e) => set(name, e.currentTarget.value as never)} />
  );
  return (
    <Card withBorder radius="md" component="section" aria-labelledby="details-title">
      <form onSubmit={(e) => {
        e.preventDefault();
        save.mutate(form, { onSuccess: () => notifications.show({ color: 'green', message: t('billing.detailsSaved') }) });
      }}>
        <Stack>
          <div>
            <Title order={2} size="h4" id="details-title">{t('billing.details')}</Title>
            <Text size="sm" c="dimmed">{t('billing.detailsHint')}</Text>
          </div>
          <SimpleGrid cols={{ base: 1, sm: 2 }}>
            {text('legal_name', t('billing.legalName'))}
            {text('address', t('billing.address'))}
            {text('postal_code', t('billing.postalCode'))}
            {text('city', t('billing.city'))}
            {text('country', t('billing.country'), t('billing.countryHint'))}
            {text('siren', 'SIREN', t('billing.sirenHint'))}
            {text('siret', 'SIRET')}
            {text('vat_number', t('billing.vatNumber'), t('billing.vatHint'))}
            {text('einvoice_address', t('billing.einvoice'), t('billing.einvoiceHint'))}
            <NumberInput label={t('billing.billingDay')} description={t('billing.billingDayHint')} min={1} max={28}
              value={form.billing_day} error={fieldError('billing_day')}
              onChange={(v) => set('billing_day', typeof v === 'number' ? v : form.billing_day)} />
          </SimpleGrid>
          <Stack gap={6}>
            <Radio.Group label={t('billing.paymentMethod')} value={form.payment_method} error={fieldError('payment_method')}
              onChange={(v) => setForm((f) => ({ ...f, payment_method: v as Form['payment_method'], auto_collect: v === 'transfer' ? false : f.auto_collect }))}>
              <Group mt={6} gap="lg">
                <Radio value="transfer" label={t('billing.transfer')} />
                <Radio value="sepa_debit" label={t('billing.sepa')} />
                <Radio value="card" label={t('billing.card')} />
              </Group>
            </Radio.Group>
            <Switch checked={form.auto_collect} disabled={form.payment_method === 'transfer'} label={t('billing.autoCollect')}
              description={form.payment_method === 'transfer' ? t('billing.autoCollectTransfer') : t('billing.autoCollectHint')}
              error={fieldError('auto_collect')} onChange={(e) => set('auto_collect', e.currentTarget.checked)} />
          </Stack>
          {save.error && !(save.error instanceof ApiError && save.error.fields.length > 0) && (
            <Text c="red.9" size="sm" role="alert">{errorMessage(save.error, t)}</Text>
          )}
          <Group>
            <Button type="submit" loading={save.isPending}>{t('billing.saveDetails')}</Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
