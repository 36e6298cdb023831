// A button for a risky action: it asks first, in the app's own dialog (never the browser's
// confirm(), which cannot be styled, translated or read well by screen readers).
import { useState, type ReactNode } from 'react';
import { Button, Group, Modal, Stack, Text, type ButtonProps } from '@mantine/core';
import { useTranslation } from 'react-i18next';

type Props = ButtonProps & {
  /** The dialog's title, a question: "Delete the step Vocabulary?" */
  title: string;
  /** What will happen, in a sentence. */
  message: string;
  /** The confirming button's words: "Delete". */
  confirmLabel: string;
  onConfirm: () => void;
  children: ReactNode;
  'aria-label'?: string;
};

export function ConfirmButton({ title, message, confirmLabel, onConfirm, children, ...button }: Props) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <Button {...button} onClick={() => setOpen(true)}>{children}</Button>
      <Modal opened={open} onClose={() => setOpen(false)} title={title} centered>
        <Stack>
          <Text size="sm">{message}</Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setOpen(false)} data-autofocus>{t('common.cancel')}</Button>
            <Button color="red.9" onClick={() => { setOpen(false); onConfirm(); }}>{confirmLabel}</Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
