// Loading, empty and error states, the same everywhere.
import { Alert, Button, Center, Loader, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';

export function FullPageLoader() {
  const { t } = useTranslation();
  return (
    <Center h="100vh" role="status" aria-live="polite">
      <Loader aria-label={t('common.loading')} />
    </Center>
  );
}

export function LoadingState() {
  const { t } = useTranslation();
  return (
    <Center py="xl" role="status" aria-live="polite">
      <Loader size="sm" mr="sm" />
      <Text c="dimmed">{t('common.loading')}</Text>
    </Center>
  );
}

export function EmptyState({ title, hint }: { title: string; hint?: string }) {
  return (
    <Stack align="center" py="xl" gap={4}>
      <Text fw={600}>{title}</Text>
      {hint && <Text c="dimmed" size="sm">{hint}</Text>}
    </Stack>
  );
}

/** The server's own words when it gave some; a translated fallback otherwise. */
export function errorMessage(error: unknown, t: (key: string) => string): string {
  if (error instanceof ApiError) {
    if (error.status === 0) return t('errors.network');
    if (error.status >= 500) return t('errors.server');
    return error.message;
  }
  return t('errors.server');
}

export function ErrorState({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  return (
    <Alert color="red" title={t('errors.title')} role="alert">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{errorMessage(error, t)}</Text>
        {onRetry && (
          <Button size="xs" variant="light" color="red" onClick={onRetry}>
            {t('common.retry')}
          </Button>
        )}
      </Stack>
    </Alert>
  );
}

/** Maps an ApiError's named fields onto a Mantine form, and returns the rest as one message. */
export function applyFieldErrors(
  error: unknown,
  setFieldError: (field: string, message: string) => void,
  known: string[],
): string | null {
  if (error instanceof ApiError && error.fields.length > 0) {
    const unknown = error.fields.filter((f) => !known.includes(f.field));
    error.fields.filter((f) => known.includes(f.field)).forEach((f) => setFieldError(f.field, f.message));
    return unknown.length ? unknown.map((f) => f.message).join(' ') : null;
  }
  return null;
}

/** "Show more" under a cursor-paged list (TanStack infinite query). */
export function LoadMore({ query }: { query: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown } }) {
  const { t } = useTranslation();
  if (!query.hasNextPage) return null;
  return (
    <Button variant="light" onClick={() => query.fetchNextPage()} loading={query.isFetchingNextPage} style={{ alignSelf: 'center' }}>
      {t('common.loadMore')}
    </Button>
  );
}
