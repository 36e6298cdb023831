// Form pieces of the agenda: a time of day chosen from a list (the same in every browser and
// language, unlike a native time field), and a date + start + length giving a slot in the
// school's time zone.
import { Group, Select } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { DateField } from '../../shared/ui/DateField';
import { parseDay, parseTime, zonedToUtc } from '../../shared/format/zoned';

const TIMES = Array.from({ length: (21 - 7) * 4 + 1 }, (_, i) => {
  const minutes = 7 * 60 + i * 15;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
});

export function TimeSelect({ label, value, onChange, error }: { label: string; value: string; onChange: (v: string) => void; error?: string }) {
  return <Select label={label} data={TIMES} value={value} onChange={(v) => v && onChange(v)} searchable allowDeselect={false} error={error} w={120} />;
}

export const LENGTHS = [15, 30, 45, 60, 90];

export interface SlotDraft {
  day: string; // YYYY-MM-DD
  time: string; // HH:MM
  minutes: number;
}

/** The slot's instants in the school's zone; null while the draft is incomplete. */
export function slotOf(draft: SlotDraft, timeZone: string): { starts_at: number; ends_at: number } | null {
  const day = parseDay(draft.day);
  const time = parseTime(draft.time);
  if (!day || time === null) return null;
  const starts = zonedToUtc(day.year, day.month, day.day, Math.floor(time / 60), time % 60, timeZone);
  return { starts_at: starts, ends_at: starts + draft.minutes * 60_000 };
}

export function SlotFields({ draft, onChange, index, error }: { draft: SlotDraft; onChange: (d: SlotDraft) => void; index?: number; error?: string }) {
  const { t } = useTranslation();
  const suffix = index === undefined ? '' : ` ${index + 1}`;
  return (
    <Group align="flex-start" gap="sm" wrap="wrap">
      <DateField label={t('agenda.day') + suffix} value={draft.day} onChange={(day) => onChange({ ...draft, day })} w={150} error={error} />
      <TimeSelect label={t('agenda.startsAt')} value={draft.time} onChange={(time) => onChange({ ...draft, time })} />
      <Select
        label={t('agenda.length')}
        w={120}
        allowDeselect={false}
        value={String(draft.minutes)}
        data={LENGTHS.map((m) => ({ value: String(m), label: t('agenda.minutes', { count: m }) }))}
        onChange={(v) => v && onChange({ ...draft, minutes: Number(v) })}
      />
    </Group>
  );
}
