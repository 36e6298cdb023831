import { Alert, Anchor, AppShell, Badge, Box, Burger, Button, Group, NavLink, Text, Title, VisuallyHidden } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useTranslation } from 'react-i18next';
import { Link, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { hasRole, planHas, useAuth } from '../auth/auth';
import { NotificationsMenu } from '../messages/NotificationsMenu';
import { useMessagesSync, useUnreadTotal } from '../messages/queries';
import { LanguageSwitch } from './LanguageSwitch';

export function Layout() {
  const { t } = useTranslation();
  const { me, logout } = useAuth();
  const [opened, { toggle, close }] = useDisclosure();
  const location = useLocation();
  const navigate = useNavigate();
  const inSchool = !!me?.school;
  useMessagesSync(inSchool);
  const unread = useUnreadTotal(inSchool);

  const links = [
    { to: '/', label: t('nav.home'), show: true },
    { to: '/messages', label: t('nav.messages'), show: inSchool, badge: unread },
    { to: '/agenda', label: t('nav.agenda'), show: inSchool },
    { to: '/appointments', label: t('nav.appointments'), show: hasRole(me, 'teacher', 'student') },
    { to: '/learning/paths', label: t('nav.paths'), show: hasRole(me, 'school_admin', 'teacher', 'support') },
    { to: '/learning/settings', label: t('nav.memory'), show: hasRole(me, 'teacher', 'student') },
    { to: '/admin/users', label: t('nav.users'), show: hasRole(me, 'school_admin', 'teacher', 'support') },
    { to: '/school/classes', label: t('nav.classes'), show: !!me?.school },
    { to: '/school/activity', label: t('nav.activity'), show: hasRole(me, 'school_admin', 'support') },
    { to: '/school/ai', label: t('nav.ai'), show: hasRole(me, 'school_admin') && planHas(me, 'ai_tutor') },
    { to: '/school/messages', label: t('nav.schoolMessages'), show: hasRole(me, 'school_admin') },
    { to: '/school/subscription', label: t('nav.subscription'), show: hasRole(me, 'school_admin') },
    { to: '/support/jobs', label: t('nav.jobs'), show: hasRole(me, 'platform_admin', 'support') },
    { to: '/platform/schools', label: t('nav.schools'), show: hasRole(me, 'platform_admin') },
    { to: '/platform/billing', label: t('nav.platformBilling'), show: hasRole(me, 'platform_admin') },
    { to: '/platform/mail', label: t('nav.mail'), show: hasRole(me, 'platform_admin') },
    { to: '/profile', label: t('nav.profile'), show: true },
  ].filter((link) => link.show);

  const onLogout = async () => {
    await logout();
    navigate('/login', { replace: true });
  };

  return (
    <AppShell header={{ height: 60 }} navbar={{ width: 240, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <a href="#main" className="skip-link">
        {t('nav.skip')}
      </a>
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label={t('nav.menu')} />
            <Title order={2} size="h3" c="indigo.8">
              Mnemos
            </Title>
            {me?.school && (
              <Text c="dimmed" size="sm" visibleFrom="sm" truncate>
                {me.school.name}
              </Text>
            )}
          </Group>
          <Group gap="sm" wrap="nowrap">
            {inSchool && <NotificationsMenu />}
            {/* On a phone the language is chosen in the menu: the header keeps the bell and logging out. */}
            <Box visibleFrom="sm">
              <LanguageSwitch />
            </Box>
            <Text size="sm" visibleFrom="md">
              {me?.user.display_name}
            </Text>
            <Button variant="subtle" size="compact-sm" onClick={onLogout}>
              {t('nav.logout')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('nav.main')}>
        <VisuallyHidden>
          <h2>{t('nav.main')}</h2>
        </VisuallyHidden>
        {links.map((link) => (
          <NavLink
            key={link.to}
            component={Link}
            to={link.to}
            label={link.label}
            rightSection={
              link.badge ? (
                <Badge color="indigo" variant="filled" size="sm" aria-label={t('nav.unread', { count: link.badge })}>
                  {link.badge}
                </Badge>
              ) : undefined
            }
            active={link.to === '/' ? location.pathname === '/' : location.pathname.startsWith(link.to)}
            aria-current={location.pathname === link.to ? 'page' : undefined}
            onClick={close}
          />
        ))}
        <Box hiddenFrom="sm" p="xs">
          <LanguageSwitch />
        </Box>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        {me?.read_only && (
          // Suspended for an unpaid invoice: everything reads, nothing changes until it is paid.
          <Alert color="red" variant="light" mb="md" title={t('billing.readOnlyTitle')} role="status">
            <Text size="sm">{t('billing.readOnlyBody')}</Text>
            {hasRole(me, 'school_admin') && (
              <Anchor component={Link} to="/school/subscription" size="sm" fw={600}>{t('billing.readOnlyAction')}</Anchor>
            )}
          </Alert>
        )}
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
