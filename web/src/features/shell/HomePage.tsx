import { Card, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { hasRole, useAuth } from '../auth/auth';
import { StudentHome } from '../learning/StudentHome';
import { TeacherToday } from '../learning/TeacherToday';

export function HomePage() {
  const { t } = useTranslation();
  const { me } = useAuth();
  if (!me) return null;
  const cards = [
    { to: '/learning/paths', title: t('home.pathsTitle'), text: t('home.pathsText'), show: hasRole(me, 'school_admin', 'teacher', 'support') },
    { to: '/admin/users', title: t('home.usersTitle'), text: t('home.usersText'), show: hasRole(me, 'school_admin', 'teacher', 'support') },
    { to: '/school/classes', title: t('home.classesTitle'), text: t('home.classesText'), show: !!me.school },
    { to: '/school/subscription', title: t('home.subscriptionTitle'), text: t('home.subscriptionText'), show: hasRole(me, 'school_admin') },
    { to: '/platform/schools', title: t('home.schoolsTitle'), text: t('home.schoolsText'), show: hasRole(me, 'platform_admin') },
    { to: '/platform/billing', title: t('home.platformBillingTitle'), text: t('home.platformBillingText'), show: hasRole(me, 'platform_admin') },
    { to: '/profile', title: t('home.profileTitle'), text: t('home.profileText'), show: true },
  ].filter((card) => card.show);
  return (
    <Stack>
      <Title order={1} size="h2">
        {t('home.welcome', { name: me.user.display_name })}
      </Title>
      {me.school && <Text c="dimmed">{me.school.name}</Text>}
      {hasRole(me, 'student') && <StudentHome />}
      {hasRole(me, 'teacher') && <TeacherToday />}
      {/* Roles without a day of their own get their main places; students and teachers have the menu. */}
      {!hasRole(me, 'student', 'teacher') && <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {cards.map((card) => (
          <Card key={card.to} withBorder component={Link} to={card.to} className="link-card">
            <Text fw={600}>{card.title}</Text>
            <Text size="sm" c="dimmed">
              {card.text}
            </Text>
          </Card>
        ))}
      </SimpleGrid>}
    </Stack>
  );
}
