// The next days' reviews as a bar chart with dates and counts on its axes (@mantine/charts), in
// its own chunk: the chart library is loaded only when a student's home shows it.
import { Stack, Text, Title } from '@mantine/core';
import { BarChart } from '@mantine/charts';
import { useTranslation } from 'react-i18next';
import { formatDayShort } from '../../shared/format/dates';

type Day = { date: string; count: number };

const kForecastDays = 14;

export default function ForecastChart({ days }: { days: Day[] }) {
  const { t } = useTranslation();
  const shown = days.slice(0, kForecastDays).map((d) => ({ day: formatDayShort(d.date), [t('learning.reviewsSeries')]: d.count }));
  const total = days.slice(0, kForecastDays).reduce((a, d) => a + d.count, 0);
  return (
    <Stack gap={4}>
      <Title order={2} size="h5">{t('learning.forecastTitle', { count: kForecastDays })}</Title>
      <Text size="sm" c="dimmed">{t('learning.forecastText', { total, count: kForecastDays })}</Text>
      <div role="img" aria-label={t('learning.forecastText', { total, count: kForecastDays })}>
        <BarChart h={180} data={shown} dataKey="day" series={[{ name: t('learning.reviewsSeries'), color: 'indigo.7' }]}
          tickLine="y" gridAxis="y" yAxisLabel={t('learning.cards')} yAxisProps={{ allowDecimals: false }} withTooltip />
      </div>
    </Stack>
  );
}

