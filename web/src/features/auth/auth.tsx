import { createContext, useCallback, useContext, useEffect, useMemo } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { ApiError, api, setCsrfToken, type Me } from '../../shared/api/client';
import { setLanguage } from '../../shared/i18n';
import { RealtimeProvider, useRealtimeMessage } from '../../shared/realtime/realtime';

type MeWithCsrf = Me & { csrf_token?: string };

interface AuthState {
  me: MeWithCsrf | null;
  loading: boolean;
  login: (school: string, email: string, password: string) => Promise<MeWithCsrf>;
  logout: () => Promise<void>;
}

const AuthContext = createContext<AuthState | null>(null);

async function fetchMe(): Promise<MeWithCsrf | null> {
  try {
    return await api<MeWithCsrf>('GET', '/api/v1/me');
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) return null;
    throw error;
  }
}

export function AuthProvider({ children }: { children: React.ReactNode }) {
  const queryClient = useQueryClient();
  const meQuery = useQuery({ queryKey: ['me'], queryFn: fetchMe, staleTime: 60_000 });
  const me = meQuery.data ?? null;

  useEffect(() => {
    setCsrfToken(me?.csrf_token);
  }, [me?.csrf_token]);

  const login = useCallback(
    async (school: string, email: string, password: string) => {
      const body: Record<string, string> = { email, password };
      if (school.trim()) body.school = school.trim().toLowerCase();
      const result = await api<MeWithCsrf>('POST', '/api/v1/auth/login', body);
      setCsrfToken(result.csrf_token);
      // Another user's cached data must not survive a login; the 'me' query stays observed.
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
      queryClient.setQueryData(['me'], result);
      if (result.user.locale === 'fr' || result.user.locale === 'en') setLanguage(result.user.locale);
      return result;
    },
    [queryClient],
  );

  const logout = useCallback(async () => {
    try {
      await api('POST', '/api/v1/auth/logout');
    } finally {
      setCsrfToken(undefined);
      queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
      queryClient.setQueryData(['me'], null);
    }
  }, [queryClient]);

  const value = useMemo(
    () => ({ me, loading: meQuery.isLoading, login, logout }),
    [me, meQuery.isLoading, login, logout],
  );
  return (
    <AuthContext.Provider value={value}>
      <RealtimeProvider enabled={!!me}>
        <SessionEndedWatcher />
        {children}
      </RealtimeProvider>
    </AuthContext.Provider>
  );
}

// When the server ends this session (logged out elsewhere, password changed, account disabled),
// leave at once rather than at the next failing request, and say why on the login page.
// The guarded routes then send the tab to the login page, which reads the reason once.
function SessionEndedWatcher() {
  const queryClient = useQueryClient();
  useRealtimeMessage<{ reason?: string }>('session.ended', (message) => {
    sessionStorage.setItem(ENDED_KEY, message.data.reason ?? 'logged_out');
    setCsrfToken(undefined);
    queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== 'me' });
    queryClient.setQueryData(['me'], null);
  });
  return null;
}

const ENDED_KEY = 'mnemos.sessionEnded';

// Why the last session ended, if the server said so (shown once by the login page).
export function sessionEndedReason(): string | null {
  return sessionStorage.getItem(ENDED_KEY);
}
export function forgetSessionEndedReason() {
  sessionStorage.removeItem(ENDED_KEY);
}

export function useAuth(): AuthState {
  const context = useContext(AuthContext);
  if (!context) throw new Error('useAuth outside AuthProvider');
  return context;
}

/** Whether the school's plan includes a module (billing): the others are hidden. */
export function planHas(me: Me | null, module: keyof Me['modules']): boolean {
  return me?.modules?.[module] !== false;
}

export function hasRole(me: Me | null, ...roles: Me['user']['roles']): boolean {
  return !!me && me.user.roles.some((role) => roles.includes(role));
}
