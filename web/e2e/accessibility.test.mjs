// Every main screen of every role, checked with axe-core (WCAG 2.2 A and AA) in Chromium: a
// serious or critical violation fails the suite. Each screen is also saved as a screenshot, on a
// desktop or a phone, for people to look at.
import { after, before, test } from 'node:test';
import { BASE, checkAccessibility, launch, login, newPage, shot } from './support.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Logs in and waits for the home page, so that the next address is opened signed in. */
async function signIn(page, school, email) {
  await login(page, school, email);
  await page.waitForURL((url) => !url.pathname.startsWith('/login'));
  await page.getByRole('heading', { level: 1 }).first().waitFor();
}

/** Opens `path`, waits for `ready` (a locator maker), checks and saves the screen. */
async function visit(page, path, ready, name) {
  if (path) await page.goto(`${BASE}${path}`);
  await ready(page).first().waitFor();
  await page.waitForTimeout(150);  // transitions settle before colours are measured
  await checkAccessibility(page, name);
  await shot(page, name);
}

test('screens anyone can reach', async () => {
  const page = await newPage(browser);
  await visit(page, '/login', (p) => p.getByRole('button', { name: 'Se connecter' }), 'a11y-login');
  await visit(page, '/forgot-password', (p) => p.getByRole('heading', { name: /Mot de passe oublié/ }), 'a11y-forgot');
  // A damaged invitation link says what to do next instead of ending there.
  await visit(page, '/accept-invitation?token=garbage', (p) => p.getByRole('link', { name: 'Aller à la connexion' }), 'a11y-bad-invitation');
  await visit(page, '/reset-password', (p) => p.getByRole('link', { name: 'Demander un nouveau lien' }), 'a11y-reset-no-token');
  await page.context().close();
  const english = await newPage(browser, { locale: 'en' });
  await visit(english, '/login', (p) => p.getByRole('button', { name: 'Log in' }), 'a11y-login-en');
  await english.context().close();
});

test('a student’s screens, on a phone', async () => {
  const page = await newPage(browser, { width: 390, height: 844 });
  await signIn(page, 'demo', 'student02@demo.test');
  // The demo path opens with a lesson: the home's one action leads to it.
  await visit(page, '', (p) => p.getByRole('link', { name: 'Lire la leçon suivante' }), 'a11y-student-home-phone');
  await page.getByRole('link', { name: 'Lire la leçon suivante' }).click();
  await visit(page, '', (p) => p.getByRole('button', { name: 'Marquer comme lue' }), 'a11y-student-lesson-phone');
  await page.getByRole('button', { name: 'Marquer comme lue' }).click();
  await page.getByRole('button', { name: 'Réviser' }).first().click();
  await visit(page, '', (p) => p.getByRole('button', { name: /Voir la réponse|Vérifier/ }), 'a11y-revision-phone');
  const show = page.getByRole('button', { name: /Voir la réponse/ });
  if (await show.isVisible()) {
    await show.click();
    await visit(page, '', (p) => p.getByRole('button', { name: /Bien/ }), 'a11y-revision-rating-phone');
  }
  await page.getByRole('link', { name: 'Quitter' }).click();
  await visit(page, '', (p) => p.getByRole('heading', { level: 1 }), 'a11y-student-path-phone');
  await visit(page, '/learning/settings', (p) => p.getByRole('heading', { level: 1 }), 'a11y-student-memory-phone');
  await visit(page, '/profile', (p) => p.getByRole('heading', { level: 1 }), 'a11y-student-profile-phone');
  await page.context().close();
});

test('a student’s home in English on a desktop', async () => {
  const page = await newPage(browser, { locale: 'en' });
  await signIn(page, 'demo', 'student03@demo.test');
  // The interface follows the account's language (French for the demo students).
  await visit(page, '', (p) => p.getByRole('heading', { name: /My paths|Mes parcours/ }), 'a11y-student-home-en');
  await page.context().close();
});

test('a teacher’s screens', async () => {
  const page = await newPage(browser);
  await signIn(page, 'demo', 'teacher@demo.test');
  await visit(page, '', (p) => p.getByRole('heading', { name: /Bonjour/ }), 'a11y-teacher-home');
  await visit(page, '/learning/paths', (p) => p.getByRole('heading', { name: "Parcours d'apprentissage" }), 'a11y-teacher-paths');
  await page.getByRole('link', { name: /prétérit/ }).first().click();
  await visit(page, '', (p) => p.getByRole('tab', { name: 'Étapes et contenu' }), 'a11y-path-builder');
  const builder = page.url();
  await page.getByRole('tab', { name: 'Progression' }).click();
  await visit(page, '', (p) => p.getByRole('heading', { name: /Révisions à venir/ }), 'a11y-path-progress');
  // Sortable by each column; each student opens their detail.
  await page.getByRole('button', { name: 'Élève', exact: true }).click();
  await page.getByRole('columnheader', { name: /Élève/ }).and(page.locator('[aria-sort="ascending"]')).waitFor();
  await page.getByRole('button', { name: /voir le détail/ }).first().click();
  await visit(page, '', (p) => p.getByRole('heading', { name: /Modèle de mémoire/ }), 'a11y-path-student-detail');
  await page.keyboard.press('Escape');
  await page.getByRole('tab', { name: 'Réglages' }).click();
  await visit(page, '', (p) => p.getByRole('button', { name: /Enregistrer/ }), 'a11y-path-settings');
  await visit(page, `${new URL(builder).pathname}/preview`, (p) => p.getByText('Aperçu élève'), 'a11y-path-preview');
  await visit(page, '/school/classes', (p) => p.getByRole('heading', { level: 1 }), 'a11y-teacher-classes');
  await visit(page, '/learning/paths/00000000-0000-7000-8000-000000000000', (p) => p.getByRole('link', { name: "Retour à l'accueil" }), 'a11y-missing-path');
  await page.context().close();
});

test('a school admin’s screens', async () => {
  const page = await newPage(browser);
  await signIn(page, 'demo', 'admin@demo.test');
  await visit(page, '', (p) => p.getByRole('heading', { name: /Bonjour/ }), 'a11y-admin-home');
  await visit(page, '/admin/users', (p) => p.getByRole('table'), 'a11y-admin-users');
  await visit(page, '/school/classes', (p) => p.getByRole('heading', { level: 1 }), 'a11y-admin-classes');
  await visit(page, '/school/activity', (p) => p.getByRole('table'), 'a11y-admin-activity');
  await page.context().close();
});

test('the platform admin’s and support’s screens', async () => {
  const page = await newPage(browser, { locale: 'en' });
  await signIn(page, '', 'platform@mnemos.test');
  await visit(page, '/platform/schools', (p) => p.getByRole('table'), 'a11y-platform-schools');
  await page.getByRole('button', { name: 'Administrators of Collège Démo' }).click();
  await visit(page, '', (p) => p.getByRole('button', { name: 'Send the invitation' }), 'a11y-platform-school-admins');
  await page.keyboard.press('Escape');
  await visit(page, '/platform/mail', (p) => p.getByRole('heading', { level: 1 }), 'a11y-platform-mail');
  await visit(page, '/support/jobs', (p) => p.getByRole('heading', { level: 1 }), 'a11y-platform-jobs');
  await page.context().close();
  const support = await newPage(browser);
  await signIn(support, 'demo', 'support@demo.test');
  await visit(support, '/support/jobs', (p) => p.getByRole('heading', { level: 1 }), 'a11y-support-jobs');
  await support.context().close();
});
