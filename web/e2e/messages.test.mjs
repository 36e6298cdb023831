// Messages (docs/communication.md), with two browsers at once: a student writes to their teacher,
// who sees it arrive live with its unread count and the student typing, and answers; the school's
// admin blocks a word, which a message is then refused for, and deals with a reported message.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, checkAccessibility, launch, login, mailTo, newPage, shot } from './support.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('a student writes to their teacher, who sees it live and answers', async () => {
  const teacher = await newPage(browser);
  await login(teacher, 'demo', 'teacher@demo.test');
  await teacher.getByRole('heading', { name: /Bonjour/ }).waitFor();
  await teacher.getByRole('link', { name: /^Messages/ }).click();
  await teacher.getByRole('heading', { name: 'Messages', level: 1 }).waitFor();
  // The class's channel is there from the start.
  await teacher.getByRole('navigation', { name: 'Mes conversations' }).getByText('4e A', { exact: true }).waitFor();

  const student = await newPage(browser);
  await login(student, 'demo', 'student@demo.test');
  await student.getByRole('heading', { name: /Bonjour/ }).waitFor();
  await student.goto(`${BASE}/messages`);
  await student.getByRole('button', { name: 'Nouveau message' }).click();
  const dialog = student.getByRole('dialog', { name: 'Nouveau message' });
  // Only the people a student may write to: their teachers and the staff, not another class's teacher.
  await dialog.getByRole('checkbox', { name: 'Thomas Bernard' }).waitFor();
  assert.equal(await dialog.getByRole('checkbox', { name: 'Camille Petit' }).count(), 0);
  await dialog.getByLabel('Chercher une personne').fill('Thom');
  await dialog.getByRole('checkbox', { name: 'Thomas Bernard' }).check();
  await dialog.getByRole('button', { name: 'Écrire' }).click();
  await student.getByRole('heading', { name: 'Thomas Bernard', level: 2 }).waitFor();
  await checkAccessibility(student, 'messages, empty thread');

  const box = student.getByRole('textbox', { name: 'Votre message' });
  await box.fill('Bonjour Monsieur, je ne comprends pas le **prétérit** de *go*.');
  await box.press('Enter');
  await student.getByRole('log').getByText('prétérit').waitFor();

  // Live on the teacher's side: the conversation appears with one unread message.
  const row = teacher.getByRole('link', { name: /Sam Durand/ });
  await row.getByLabel('1 message non lu').waitFor();
  await teacher.getByRole('navigation', { name: 'Navigation principale' }).getByLabel(/1 non lu/).waitFor();
  await shot(teacher, '50-messages-unread');
  await row.click();
  const thread = teacher.getByRole('log');
  await thread.getByText('prétérit').waitFor();
  assert.equal(await thread.locator('strong', { hasText: 'prétérit' }).count(), 1);
  // Read: the badge goes, and the student sees "Vu".
  await teacher.getByRole('link', { name: /Sam Durand/ }).getByLabel('1 message non lu').waitFor({ state: 'detached' });
  await student.getByText(/· Vu$/).waitFor();

  // The student types again: the teacher sees it, live.
  await box.fill('Et pour');
  await teacher.getByText(/Sam Durand est en train d.écrire/).waitFor();
  await box.fill('Et pour *to be* ?');
  await box.press('Enter');
  await thread.getByText('to be').waitFor();

  // A picture of the exercise: attached, sent, shown to the teacher.
  const picture = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGP4z8DwHwAFAAH/iZk9HQAAAABJRU5ErkJggg==', 'base64');
  await student.locator('input[type=file]').setInputFiles({ name: 'exercice.png', mimeType: 'image/png', buffer: picture });
  await student.getByRole('list', { name: 'Fichiers à envoyer' }).getByText(/exercice\.png/).waitFor();
  await student.getByRole('button', { name: 'Envoyer' }).click();
  await teacher.getByRole('log').getByRole('img', { name: 'exercice.png' }).waitFor();

  await teacher.getByRole('textbox', { name: 'Votre message' }).fill('Go, went, gone : révise la liste p. 12.');
  await teacher.getByRole('button', { name: 'Envoyer' }).click();
  await student.getByRole('log').getByText('Go, went, gone').waitFor();
  await shot(student, '51-messages-thread');
  await checkAccessibility(teacher, 'messages, thread');

  // On a phone: the list, then the thread alone with a way back.
  const phone = await newPage(browser, { width: 390, height: 844 });
  await login(phone, 'demo', 'student@demo.test');
  await phone.getByRole('heading', { name: /Bonjour/ }).waitFor();
  await phone.goto(`${BASE}/messages`);
  await phone.getByRole('link', { name: /Thomas Bernard/ }).click();
  await phone.getByRole('log').getByText('Go, went, gone').waitFor();
  await phone.getByRole('link', { name: 'Retour aux conversations' }).waitFor();
  await shot(phone, '52-messages-phone');
  await phone.context().close();

  // The teacher goes offline; the next messages reach them as one email digest.
  await teacher.context().close();
  await box.fill('Dernière question : been ou gone ?');
  await box.press('Enter');
  await box.fill('Et pour *to do* ?');
  await box.press('Enter');
  await student.getByRole('log').getByText('to do').waitFor();
  // The agenda's test may have mailed the teacher just before: wait for the digest itself.
  const digest = await mailTo(browser, 'teacher@demo.test', { subject: '2 nouveaux messages sur Mnemos' });
  assert.match(digest.text, /Sam Durand : Dernière question : been ou gone \?/);
  assert.match(digest.text, /Et pour \*to do\* \?/);
  assert.match(digest.text, /\/messages/);
  await student.context().close();
});

test('the school blocks a word, a message holding it is refused with the reason, a report is dealt with', async () => {
  const admin = await newPage(browser);
  await login(admin, 'demo', 'admin@demo.test');
  await admin.getByRole('heading', { name: /Bonjour/ }).waitFor();
  await admin.getByRole('link', { name: 'Modération' }).click();
  await admin.getByRole('heading', { name: 'Règles' }).waitFor();
  const words = admin.getByRole('combobox', { name: 'Mots interdits' });
  await words.fill('crétin');
  await words.press('Enter');
  await admin.getByRole('button', { name: 'Enregistrer' }).click();
  await admin.getByText('Règles enregistrées.').waitFor();

  const student = await newPage(browser);
  await login(student, 'demo', 'student01@demo.test');
  await student.getByRole('heading', { name: /Bonjour/ }).waitFor();
  await student.goto(`${BASE}/messages`);
  await student.getByRole('link', { name: /4e A/ }).click();
  const box = student.getByRole('textbox', { name: 'Votre message' });
  await box.fill('Quel CRÉTIN ce exercice');
  await box.press('Enter');
  await student.getByText(/mot que l'établissement n'autorise pas : crétin/).waitFor();
  assert.equal(await box.inputValue(), 'Quel CRÉTIN ce exercice');  // kept, to be rewritten
  await shot(student, '53-messages-blocked-word');

  // The student reports a classmate's message in the class channel.
  const classmate = await newPage(browser);
  await login(classmate, 'demo', 'student02@demo.test');
  await classmate.getByRole('heading', { name: /Bonjour/ }).waitFor();
  await classmate.goto(`${BASE}/messages`);
  await classmate.getByRole('link', { name: /4e A/ }).click();
  await classmate.getByRole('textbox', { name: 'Votre message' }).fill('Personne ne lit ce canal lol');
  await classmate.getByRole('button', { name: 'Envoyer' }).click();
  await student.getByRole('log').getByText('Personne ne lit ce canal').waitFor();
  await student.getByRole('button', { name: 'Actions sur le message' }).last().click();
  await student.getByRole('menuitem', { name: 'Signaler' }).click();
  const report = student.getByRole('dialog', { name: 'Signaler ce message' });
  await report.getByLabel('Raison').fill('Hors sujet dans le canal de la classe.');
  await report.getByRole('button', { name: 'Signaler' }).click();
  await student.getByText('Message signalé aux administrateurs.').waitFor();

  // The admin is told at once, by the bell.
  await admin.getByRole('button', { name: 'Notifications, 1 non lue' }).click();
  await admin.getByRole('dialog').getByText('Un message a été signalé').waitFor();
  await shot(admin, '55-notifications');
  await admin.getByRole('dialog').getByText('Un message a été signalé').click();
  await admin.getByRole('button', { name: 'Notifications' , exact: true }).waitFor();
  await admin.reload();
  const reports = admin.getByRole('table', { name: 'Messages signalés' });
  await reports.getByText('Hors sujet dans le canal de la classe.').waitFor();
  await reports.getByText('Personne ne lit ce canal lol').waitFor();
  await checkAccessibility(admin, 'school messaging');
  await shot(admin, '54-school-messaging');
  await reports.getByRole('button', { name: 'Marquer comme traité' }).click();
  await admin.getByText('Aucun message signalé').waitFor();
  for (const context of [admin.context(), student.context(), classmate.context()]) await context.close();
});
