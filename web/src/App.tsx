import { lazy, Suspense } from 'react';
import { Navigate, Route, Routes, useLocation } from 'react-router-dom';
import { AuthProvider, useAuth } from './features/auth/auth';
import { LoginPage } from './features/auth/LoginPage';
import { AcceptInvitationPage, ForgotPasswordPage, ResetPasswordPage } from './features/auth/TokenPasswordPage';
import { ProfilePage } from './features/auth/ProfilePage';
import { ClassesPage } from './features/classes/ClassesPage';
import { MailPage } from './features/schools/MailPage';
import { SchoolsPage } from './features/schools/SchoolsPage';
import { HomePage } from './features/shell/HomePage';
import { PathBuilderPage } from './features/learning/PathBuilderPage';
import { PathPreviewPage } from './features/learning/PathPreviewPage';
import { PathsPage } from './features/learning/PathsPage';
import { MyMemorySettings } from './features/learning/SettingsPanels';
import { RevisionPage } from './features/learning/RevisionPage';
import { StudentPathPage } from './features/learning/StudentPathPage';
import { Layout } from './features/shell/Layout';
import { NotFoundPage } from './features/shell/NotFoundPage';
import { ActivityPage } from './features/users/ActivityPage';
import { JobsPage } from './features/support/JobsPage';
import { MessagesPage } from './features/messages/MessagesPage';
import { AgendaPage } from './features/agenda/AgendaPage';
import { AppointmentsPage } from './features/agenda/AppointmentsPage';
import { RoomPage } from './features/agenda/RoomPage';
import { SchoolMessagesPage } from './features/messages/SchoolMessagesPage';
import { SchoolAiPage } from './features/tutor/SchoolAiSettings';
import { UsersPage } from './features/users/UsersPage';
import { FullPageLoader } from './shared/ui/states';
import type { Role } from './shared/api/client';

// The billing pages draw charts: they and the chart library load when opened, not with the app.
const SubscriptionPage = lazy(() => import('./features/billing/SubscriptionPage').then((m) => ({ default: m.SubscriptionPage })));
const PlatformBillingPage = lazy(() => import('./features/billing/PlatformBillingPage').then((m) => ({ default: m.PlatformBillingPage })));

function RequireAuth({ children, roles }: { children: React.ReactNode; roles?: Role[] }) {
  const { me, loading } = useAuth();
  const location = useLocation();
  if (loading) return <FullPageLoader />;
  if (!me) return <Navigate to={`/login?next=${encodeURIComponent(location.pathname)}`} replace />;
  if (roles && !me.user.roles.some((role) => roles.includes(role))) return <NotFoundPage />;
  return <>{children}</>;
}

export function App() {
  return (
    <AuthProvider>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route path="/accept-invitation" element={<AcceptInvitationPage />} />
        <Route path="/forgot-password" element={<ForgotPasswordPage />} />
        <Route path="/reset-password" element={<ResetPasswordPage />} />
        <Route
          element={
            <RequireAuth>
              <Layout />
            </RequireAuth>
          }
        >
          <Route index element={<HomePage />} />
          <Route path="profile" element={<ProfilePage />} />
          <Route
            path="messages"
            element={
              <RequireAuth roles={['school_admin', 'teacher', 'student', 'support']}>
                <MessagesPage />
              </RequireAuth>
            }
          />
          <Route
            path="messages/:id"
            element={
              <RequireAuth roles={['school_admin', 'teacher', 'student', 'support']}>
                <MessagesPage />
              </RequireAuth>
            }
          />
          <Route
            path="agenda"
            element={
              <RequireAuth roles={['school_admin', 'teacher', 'student', 'support']}>
                <AgendaPage />
              </RequireAuth>
            }
          />
          <Route
            path="appointments"
            element={
              <RequireAuth roles={['school_admin', 'teacher', 'student', 'support']}>
                <AppointmentsPage />
              </RequireAuth>
            }
          />
          <Route
            path="appointments/:id"
            element={
              <RequireAuth roles={['school_admin', 'teacher', 'student', 'support']}>
                <AppointmentsPage />
              </RequireAuth>
            }
          />
          <Route
            path="rooms/:id"
            element={
              <RequireAuth roles={['school_admin', 'teacher', 'student', 'support']}>
                <RoomPage />
              </RequireAuth>
            }
          />
          <Route
            path="school/messages"
            element={
              <RequireAuth roles={['school_admin']}>
                <SchoolMessagesPage />
              </RequireAuth>
            }
          />
          <Route
            path="school/subscription"
            element={
              <RequireAuth roles={['school_admin']}>
                <Suspense fallback={<FullPageLoader />}>
                  <SubscriptionPage />
                </Suspense>
              </RequireAuth>
            }
          />
          <Route
            path="admin/users"
            element={
              <RequireAuth roles={['school_admin', 'teacher', 'support']}>
                <UsersPage />
              </RequireAuth>
            }
          />
          <Route
            path="school/activity"
            element={
              <RequireAuth roles={['school_admin', 'support']}>
                <ActivityPage />
              </RequireAuth>
            }
          />
          <Route
            path="school/ai"
            element={
              <RequireAuth roles={['school_admin']}>
                <SchoolAiPage />
              </RequireAuth>
            }
          />
          <Route
            path="school/classes"
            element={
              <RequireAuth roles={['school_admin', 'teacher', 'student', 'support']}>
                <ClassesPage />
              </RequireAuth>
            }
          />
          <Route
            path="learning/paths"
            element={
              <RequireAuth roles={['school_admin', 'teacher', 'support']}>
                <PathsPage />
              </RequireAuth>
            }
          />
          <Route
            path="learning/paths/:id"
            element={
              <RequireAuth roles={['school_admin', 'teacher', 'support']}>
                <PathBuilderPage />
              </RequireAuth>
            }
          />
          <Route
            path="learning/paths/:id/preview"
            element={
              <RequireAuth roles={['school_admin', 'teacher', 'support']}>
                <PathPreviewPage />
              </RequireAuth>
            }
          />
          <Route
            path="learning/settings"
            element={
              <RequireAuth roles={['teacher', 'student']}>
                <MyMemorySettings />
              </RequireAuth>
            }
          />
          <Route
            path="learning/my/:id"
            element={
              <RequireAuth roles={['student']}>
                <StudentPathPage />
              </RequireAuth>
            }
          />
          <Route
            path="learning/sessions/:id"
            element={
              <RequireAuth roles={['student']}>
                <RevisionPage />
              </RequireAuth>
            }
          />
          <Route
            path="support/jobs"
            element={
              <RequireAuth roles={['platform_admin', 'support']}>
                <JobsPage />
              </RequireAuth>
            }
          />
          <Route
            path="platform/schools"
            element={
              <RequireAuth roles={['platform_admin']}>
                <SchoolsPage />
              </RequireAuth>
            }
          />
          <Route
            path="platform/billing"
            element={
              <RequireAuth roles={['platform_admin']}>
                <Suspense fallback={<FullPageLoader />}>
                  <PlatformBillingPage />
                </Suspense>
              </RequireAuth>
            }
          />
          <Route
            path="platform/mail"
            element={
              <RequireAuth roles={['platform_admin']}>
                <MailPage />
              </RequireAuth>
            }
          />
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </AuthProvider>
  );
}
