// User journeys of the platform foundation, in a real browser.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { BASE, launch, linkIn, login, mailTo, newPage, shot } from './support.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('a wrong password shows the server message next to the form', async () => {
  const page = await newPage(browser);
  await login(page, 'demo', 'teacher@demo.test', 'wrong-password');
  const alert = page.getByRole('alert');
  await alert.waitFor();
  assert.match(await alert.innerText(), /mot de passe|password/i);
  await shot(page, '01-login-error');
  await page.context().close();
});

test('the platform admin creates a school and sees it listed', async () => {
  // The interface follows the account's language: the platform admin's is English.
  const page = await newPage(browser, { locale: 'en' });
  await login(page, '', 'platform@mnemos.test');
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  await shot(page, '02-platform-home');
  await page.getByRole('link', { name: 'Schools' }).first().click();
  await page.getByRole('table').waitFor();
  await page.getByRole('button', { name: 'New school' }).click();
  const name = `Lycée E2E ${Date.now() % 100000}`;
  await page.getByRole('dialog').getByLabel('Name').fill(name);
  await shot(page, '03-platform-new-school');
  await page.getByRole('button', { name: 'Create the school' }).click();
  // A new school's way in: its first administrator, invited at once.
  const admins = page.getByRole('dialog', { name: `Administrators of ${name}` });
  await admins.getByText('This school has no administrator yet').waitFor();
  await admins.getByLabel('Name').fill('Anne Direction');
  await admins.getByLabel('Email address').fill(`direction.${Date.now() % 100000}@lycee-e2e.test`);
  await admins.getByRole('button', { name: 'Send the invitation' }).click();
  await admins.getByRole('list', { name: 'Administrators' }).getByText('Anne Direction').waitFor();
  await shot(page, '04-platform-first-admin');
  await page.keyboard.press('Escape');
  await page.getByRole('cell', { name, exact: true }).waitFor();
  await shot(page, '04-platform-schools');
  await page.context().close();
});

test('the school admin finds users, and creates a teacher who starts as invited', async () => {
  const page = await newPage(browser);
  await login(page, 'demo', 'admin@demo.test');
  await page.getByRole('link', { name: 'Utilisateurs' }).first().click();
  await page.getByRole('cell', { name: 'admin@demo.test' }).waitFor();
  await shot(page, '05-admin-users');
  await page.getByLabel('Rechercher').fill('Camille');
  await page.getByRole('cell', { name: 'teacher2@demo.test' }).waitFor();
  assert.equal(await page.getByRole('cell', { name: 'teacher@demo.test' }).count(), 0);

  await page.getByRole('button', { name: 'Nouvel utilisateur' }).click();
  const email = `new.teacher.${Date.now() % 100000}@demo.test`;
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('E-mail').fill(email);
  await dialog.getByLabel('Nom').fill('Nora Nouvelle');
  // Roles: replace the default (student) with teacher, with the keyboard.
  const roles = dialog.getByLabel('Rôles');
  await roles.click();
  await roles.press('Backspace');
  await page.getByRole('option', { name: 'Enseignant' }).click();
  await roles.press('Escape');
  await dialog.getByRole('button', { name: 'Créer le compte' }).click();
  await page.getByLabel('Rechercher').fill(email);
  const row = page.getByRole('row').filter({ hasText: email });
  await row.waitFor();
  assert.match(await row.innerText(), /Invité/i);
  assert.match(await row.innerText(), /Enseignant/i);
  assert.doesNotMatch(await row.innerText(), /Élève/i);
  await shot(page, '06-admin-user-created');

  // A field the server refuses is named next to its input.
  await page.getByRole('button', { name: 'Nouvel utilisateur' }).click();
  await dialog.getByLabel('E-mail').fill(email);
  await dialog.getByLabel('Nom').fill('Doublon');
  await dialog.getByRole('button', { name: 'Créer le compte' }).click();
  await dialog.getByText('Déjà utilisée dans cet établissement.').waitFor();  // the server's message, in French
  await shot(page, '07-admin-duplicate-email');
  await page.context().close();

  // The invitation arrives by email; the teacher chooses a password and logs in.
  const mail = await mailTo(browser, email);
  assert.match(mail.subject, /Votre compte Mnemos/);
  const invitee = await newPage(browser);
  await invitee.goto(linkIn(mail));
  await invitee.getByText(/Bonjour Nora Nouvelle/).waitFor();
  await invitee.getByLabel(/^Nouveau mot de passe/).fill('craie et tableau noir');
  await invitee.getByLabel(/^Confirmer/).fill('craie et tableau noir');
  await shot(invitee, '14-accept-invitation');
  await invitee.getByRole('button', { name: 'Activer mon compte' }).click();
  await invitee.getByRole('heading', { name: 'Compte activé' }).waitFor();
  await invitee.getByRole('link', { name: 'Se connecter' }).click();
  await login(invitee, 'demo', email, 'craie et tableau noir');
  await invitee.getByRole('heading', { name: /Bonjour, Nora Nouvelle/ }).waitFor();
  await invitee.context().close();
});

test('a user of another school sees none of it', async () => {
  const page = await newPage(browser, { locale: 'en' });
  await login(page, 'other', 'admin@other.test');
  await page.getByRole('link', { name: 'Users' }).first().click();
  await page.getByRole('cell', { name: 'teacher@other.test' }).waitFor();
  await page.getByLabel('Search').fill('demo.test');
  await page.getByText('No users').waitFor();
  await shot(page, '08-other-school-sees-nothing');
  // Even asked directly, the API denies that another school's users exist.
  const demoSchool = await page.evaluate(async () => (await fetch('/api/v1/users?q=admin@demo')).json());
  assert.equal(demoSchool.items.length, 0);
  await page.context().close();
});

test('a student reaches home and profile on a phone-sized screen', async () => {
  const page = await newPage(browser, { width: 390, height: 844 });
  await login(page, 'demo', 'student@demo.test');
  await page.getByRole('heading', { name: /Bonjour/ }).waitFor();
  await shot(page, '09-student-home-phone');
  await page.getByRole('button', { name: 'Ouvrir le menu' }).click();
  await page.getByRole('navigation').getByRole('link', { name: 'Mon profil', exact: true }).click();
  await page.getByRole('heading', { name: 'Mon profil' }).waitFor();
  await shot(page, '10-student-profile-phone');
  // Students have no user directory: the page is not offered, and the API refuses.
  const status = await page.evaluate(async () => (await fetch('/api/v1/users')).status);
  assert.equal(status, 403);
  await page.getByRole('button', { name: 'Se déconnecter', exact: true }).click();
  await page.getByRole('button', { name: 'Se connecter' }).waitFor();
  await page.context().close();
});

test('the login form is usable with the keyboard alone', async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/login`);
  await page.getByLabel('Établissement').waitFor();
  await page.keyboard.press('Tab');
  await page.keyboard.type('demo');
  await page.keyboard.press('Tab');
  await page.keyboard.type('teacher@demo.test');
  await page.keyboard.press('Tab');
  await page.keyboard.type('mnemos-demo');
  await page.keyboard.press('Enter');
  await page.getByRole('heading', { name: /Bonjour/ }).waitFor();
  await page.context().close();
});

test('the school admin creates a class and fills it; its teacher then sees it', async () => {
  const page = await newPage(browser);
  await login(page, 'demo', 'admin@demo.test');
  await page.getByRole('navigation').getByRole('link', { name: 'Classes et matières' }).click();
  await page.getByText('4e A', { exact: true }).waitFor();
  await page.getByText('Mathématiques').waitFor();
  await shot(page, '11-admin-classes');
  const name = `5e E2E ${Date.now() % 100000}`;
  await page.getByRole('button', { name: 'Nouvelle classe' }).click();
  await page.getByRole('dialog').getByLabel('Nom').fill(name);
  await page.getByRole('dialog').getByLabel('Niveau').fill('5e');
  await page.getByRole('button', { name: 'Créer la classe' }).click();
  await page.getByRole('button', { name: `Gérer les membres de ${name}` }).click();
  const dialog = page.getByRole('dialog');
  const teachers = dialog.getByLabel('Enseignants');
  await teachers.click();
  await teachers.fill('Camille');
  await page.getByRole('option', { name: /Camille Petit/ }).click();
  await teachers.press('Escape');
  const students = dialog.getByLabel('Élèves');
  await students.click();
  await students.fill('student2');
  await page.getByRole('option', { name: /student21@demo.test/ }).click();
  await page.getByRole('option', { name: /student22@demo.test/ }).click();
  await students.press('Escape');
  await shot(page, '12-admin-class-members');
  await dialog.getByRole('button', { name: 'Enregistrer' }).click();
  const card = page.locator('.mantine-Card-root').filter({ hasText: name });
  await card.getByText('1 enseignant, 2 élèves').waitFor();
  await page.context().close();

  const teacherPage = await newPage(browser);
  await login(teacherPage, 'demo', 'teacher2@demo.test');
  await teacherPage.getByRole('navigation').getByRole('link', { name: 'Classes et matières' }).click();
  await teacherPage.getByText(name, { exact: true }).waitFor();
  assert.equal(await teacherPage.getByText('4e A', { exact: true }).count(), 0, 'teacher2 does not teach 4e A');
  await shot(teacherPage, '13-teacher-classes');
  await teacherPage.context().close();
});

test('a student who forgot their password resets it from the emailed link', async () => {
  const page = await newPage(browser);
  await page.goto(`${BASE}/login`);
  await page.getByRole('link', { name: 'Mot de passe oublié ?' }).click();
  await page.getByLabel('Établissement').fill('demo');
  await page.getByLabel('Adresse e-mail').fill('student12@demo.test');
  await page.getByRole('button', { name: 'Envoyer le lien' }).click();
  await page.getByText(/Si un compte correspond/).waitFor();
  await shot(page, '15-forgot-password');

  const mail = await mailTo(browser, 'student12@demo.test');
  await page.goto(linkIn(mail));
  await page.getByLabel(/^Nouveau mot de passe/).fill('azerty');
  await page.getByLabel(/^Confirmer/).fill('azerty');
  await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
  await page.getByText('Au moins 10 caractères.').first().waitFor();
  await page.getByLabel(/^Nouveau mot de passe/).fill('mon cartable est bleu');
  await page.getByLabel(/^Confirmer/).fill('mon cartable est bleu');
  await page.getByRole('button', { name: 'Changer le mot de passe' }).click();
  await page.getByText(/Mot de passe changé/).waitFor();
  await shot(page, '16-password-reset-done');
  await login(page, 'demo', 'student12@demo.test', 'mon cartable est bleu');
  await page.getByRole('heading', { name: /Bonjour/ }).waitFor();
  await page.context().close();
});

test('the school admin imports students by CSV and reads the per-row report', async () => {
  const page = await newPage(browser);
  await login(page, 'demo', 'admin@demo.test');
  await page.getByRole('navigation').getByRole('link', { name: 'Utilisateurs' }).click();
  await page.getByRole('button', { name: 'Importer (CSV)' }).click();
  const stamp = Date.now() % 100000;
  const csv = `email;nom;rôle;classe\nimport.${stamp}.a@demo.test;Inès Import;élève;4e A\n` +
    `pas-un-email;Mauvais;élève;\nimport.${stamp}.b@demo.test;Bruno Import;élève;4e B\n`;
  await page.locator('input[type=file]').setInputFiles({ name: 'eleves.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('button', { name: 'Vérifier le fichier' }).click();
  await page.getByText('2 lignes prêtes, 1 ligne refusée. Rien n\'est encore créé.').waitFor();
  await page.getByText("L'adresse e-mail n'est pas valide.").waitFor();  // the server's reason, in French
  await shot(page, '17-import-check');
  await page.getByRole('button', { name: 'Importer 2 comptes' }).click();
  await page.getByText('2 comptes créés, 1 ligne refusée.').waitFor();
  await shot(page, '18-import-done');
  await page.getByRole('button', { name: 'Fermer', exact: true }).click();
  await page.getByLabel('Rechercher').fill(`import.${stamp}`);
  const users = page.getByRole('table', { name: 'Utilisateurs' });
  await users.getByRole('cell', { name: `import.${stamp}.a@demo.test` }).waitFor();
  await users.getByRole('cell', { name: `import.${stamp}.b@demo.test` }).waitFor();
  // The import is in the school's activity log.
  await page.getByRole('navigation').getByRole('link', { name: "Journal d'activité" }).click();
  await page.getByRole('cell', { name: 'Import CSV' }).first().waitFor();
  await shot(page, '21-activity-log');
  await page.context().close();
});

test('a student sets their learning profile and downloads their data', async () => {
  const page = await newPage(browser);
  await login(page, 'demo', 'student18@demo.test');
  await page.getByRole('navigation').getByRole('link', { name: 'Mon profil', exact: true }).click();
  await page.getByLabel('Durée de séance préférée (minutes)').fill('25');
  await page.getByLabel("Ma façon d'apprendre").fill('Des séances courtes le matin.');
  await page.getByLabel('Police adaptée à la dyslexie').check();
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByText('Profil enregistré.').waitFor();
  // A picture: a tiny real PNG (1×1 pixel).
  const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
  await page.locator('input[type=file]').setInputFiles({ name: 'moi.png', mimeType: 'image/png', buffer: png });
  await page.getByRole('img', { name: 'Photo de Élève 18' }).waitFor();
  await page.getByRole('button', { name: 'Retirer' }).waitFor();
  await shot(page, '19-student-profile');
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Télécharger mes données' }).click(),
  ]);
  const path = await download.path();
  const data = JSON.parse((await import('node:fs')).readFileSync(path, 'utf8'));
  assert.equal(data.account.email, 'student18@demo.test');
  assert.equal(data.student_profile.preferred_session_minutes, 25);
  assert.deepEqual(data.student_profile.accessibility_needs, ['dyslexia_font']);

  // An API token, shown once, then usable as a bearer token.
  await page.getByLabel("Nom du jeton (l'outil qui l'utilise)").fill('Agenda');
  await page.getByRole('button', { name: 'Créer', exact: true }).click();
  const token = (await page.locator('pre').filter({ hasText: 'mnm_' }).innerText()).trim();
  await shot(page, '20-api-token');
  const status = await page.evaluate(async (bearer) => {
    const response = await fetch('/api/v1/me', { credentials: 'omit', headers: { Authorization: `Bearer ${bearer}` } });
    return response.status;
  }, token);
  assert.equal(status, 200);
  await page.getByRole('button', { name: 'Révoquer le jeton Agenda' }).click();
  await page.getByText('Aucun jeton').waitFor();
  await page.context().close();
});

test('logging out of every device on the laptop signs the phone out at once, with the reason', async () => {
  const laptop = await newPage(browser);
  const phone = await newPage(browser, { width: 390, height: 844 });
  await login(laptop, 'demo', 'student20@demo.test');
  // The phone's real-time channel opens once it is signed in; wait for the server's welcome.
  const welcomed = phone
    .waitForEvent('websocket')
    .then((socket) => socket.waitForEvent('framereceived', { predicate: (frame) => String(frame.payload).includes('"welcome"') }));
  await login(phone, 'demo', 'student20@demo.test');
  await phone.getByRole('heading', { name: /Bonjour/ }).waitFor();
  await welcomed;
  await laptop.getByRole('navigation').getByRole('link', { name: 'Mon profil', exact: true }).click();
  await laptop.getByRole('button', { name: 'Se déconnecter de tous les appareils' }).click();
  await laptop.getByRole('heading', { name: 'Mnemos' }).waitFor();
  // No click and no reload on the phone: the server's message takes it to the login page.
  await phone.waitForURL(/\/login/);
  await phone.getByText('Vous vous êtes déconnecté de tous vos appareils.').waitFor();
  await shot(phone, '23-signed-out-elsewhere');
  await laptop.context().close();
  await phone.context().close();
});

test('support reads its school’s background jobs and recent errors, and cannot act on them', async () => {
  const page = await newPage(browser);
  await login(page, 'demo', 'support@demo.test');
  await page.getByRole('navigation').getByRole('link', { name: 'Tâches et erreurs' }).click();
  await page.getByRole('heading', { name: 'Tâches de fond et erreurs' }).waitFor();
  await page.getByRole('group', { name: 'Tâches par état' }).getByText(/En attente : \d+/).waitFor();
  await page.getByRole('heading', { name: 'Dernières erreurs du serveur' }).waitFor();
  await page.getByText(/Aucune erreur serveur récente|Identifiant de requête/).first().waitFor();
  assert.equal(await page.getByRole('button', { name: /Relancer/ }).count(), 0);
  await page.locator('label', { hasText: /^En échec$/ }).click();
  assert.equal(await page.getByRole('radio', { name: 'En échec' }).isChecked(), true);
  await page.getByText(/Aucune tâche ici|Dernière erreur/).first().waitFor();
  await shot(page, '24-support-jobs');
  await page.context().close();
});
