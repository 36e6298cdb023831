// A calendar date typed as the interface's language writes it (dd/mm/yyyy), whatever language the
// browser runs in: a native date field shows mm/dd/yyyy in an English browser, even on a French
// page. The value stays ISO (YYYY-MM-DD), as the API takes it; '' when empty.
import { useEffect, useState } from 'react';
import { TextInput, type TextInputProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';

function toText(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : '';
}

/** '15/06/2027', '15-6-2027' or '15.06.2027' -> '2027-06-15'; null when it is no real date. */
export function parseDayMonthYear(text: string): string | null {
  const m = /^\s*(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})\s*$/.exec(text);
  if (!m) return null;
  const [day, month, year] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return null;
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

type Props = Omit<TextInputProps, 'value' | 'onChange'> & { value: string; onChange: (iso: string) => void };

export function DateField({ value, onChange, error, ...props }: Props) {
  const { t } = useTranslation();
  const [text, setText] = useState(toText(value));
  const [invalid, setInvalid] = useState(false);
  useEffect(() => setText(toText(value)), [value]);
  return (
    <TextInput
      {...props}
      inputMode="numeric"
      placeholder={t('common.datePlaceholder')}
      value={text}
      error={invalid ? t('common.dateInvalid') : error}
      onChange={(e) => {
        const next = e.currentTarget.value;
        setText(next);
        if (next.trim() === '') {
          setInvalid(false);
          onChange('');
          return;
        }
        const iso = parseDayMonthYear(next);
        setInvalid(iso === null && next.trim().length >= 8);
        if (iso) onChange(iso);
      }}
      onBlur={() => setInvalid(text.trim() !== '' && parseDayMonthYear(text) === null)}
    />
  );
}
