// Loading, empty and error states, the same everywhere.
import { Alert, Button, Center, Group, Loader, Skeleton, Stack, Text } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';
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

/** While a page or panel loads: grey blocks where its content will be. */
export function LoadingState({ rows = 3 }: { rows?: number }) {
  return <SkeletonState rows={rows} height={56} />;
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

/**
 * A page that could not be shown: the reason, and always a way on. Trying again is offered only
 * when it may help (the network, the server); a missing or forbidden page offers the way back.
 */
export function ErrorState({ error, onRetry, back }: { error: unknown; onRetry?: () => void; back?: { to: string; label: string } }) {
  const { t } = useTranslation();
  const lasting = error instanceof ApiError && error.status >= 400 && error.status < 500;
  const way = back ?? { to: '/', label: t('common.backHome') };
  return (
    <Alert color="red" title={lasting && error.status === 404 ? t('errors.notFoundTitle') : t('errors.title')} role="alert">
      <Stack gap="xs" align="flex-start">
        <Text size="sm">{errorMessage(error, t)}</Text>
        <Group gap="xs">
          {onRetry && !lasting && (
            <Button size="xs" variant="light" color="red" onClick={onRetry}>
              {t('common.retry')}
            </Button>
          )}
          <Button size="xs" variant="default" component={Link} to={way.to}>
            {way.label}
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}

/** Grey blocks in the shape of what is loading, instead of a bare spinner. */
export function SkeletonState({ rows = 3, height = 72 }: { rows?: number; height?: number }) {
  const { t } = useTranslation();
  return (
    <Stack gap="sm" role="status" aria-live="polite" aria-label={t('common.loading')}>
      {Array.from({ length: rows }, (_, i) => <Skeleton key={i} height={height} radius="md" />)}
    </Stack>
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

/**
 * A list read by a query, in its four states: grey rows while it loads, the error with a retry,
 * the empty state when there is nothing, else `children` with the items.
 */
export function ListState<T>({ query, empty, rows = 3, children }: {
  query: UseQueryResult<{ items: T[] }>;
  empty: { title: string; hint?: string };
  rows?: number;
  children: (items: T[]) => ReactNode;
}) {
  if (query.isLoading) return <LoadingState rows={rows} />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const items = query.data?.items ?? [];
  if (items.length === 0) return <EmptyState title={empty.title} hint={empty.hint} />;
  return <>{children(items)}</>;
}
