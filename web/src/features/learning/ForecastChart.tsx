// The next days' reviews as a bar chart with dates and counts on its axes (@mantine/charts), in
// its own chunk: the chart library is loaded only when a student's home shows it.
import { Stack, Text, Title } from '@mantine/core';
import { BarChart } from '@mantine/charts';
import { useTranslation } from 'react-i18next';
import { formatDayShort } from '../../shared/format/dates';

type Day = { date: string; count: number };

/** Reviews due per day as bars, dates along the bottom (every nth day where they do not all fit, so
 *  the gaps stay even), counts up the side. `text` says the same in
 *  a sentence, shown above the chart and read to those who do not see it. */
export default function ForecastChart({ days, count = 14, title, text, headingOrder = 2 }:
  { days: Day[]; count?: number; title: string; text: string; headingOrder?: 2 | 3 }) {
  const { t } = useTranslation();
  // The first bar is the school's learning day, which starts at 04:00: before then it is still
  // yesterday's date, so it is named "today" rather than dated.
  const shown = days.slice(0, count).map((d, i) => ({
    day: i === 0 ? t('learning.forecastToday') : formatDayShort(d.date), [t('learning.reviewsSeries')]: d.count,
  }));
  return (
    <Stack gap={4}>
      <Title order={headingOrder} size="h5">{title}</Title>
      <Text size="sm" c="dimmed">{text}</Text>
      <div role="img" aria-label={text}>
        <BarChart h={180} data={shown} dataKey="day" series={[{ name: t('learning.reviewsSeries'), color: 'indigo.7' }]}
          tickLine="y" gridAxis="y" yAxisLabel={t('learning.cards')} yAxisProps={{ allowDecimals: false }}
          xAxisProps={{ interval: 'equidistantPreserveStart' }} withTooltip />
      </div>
    </Stack>
  );
}
