// The learning journey in a real browser: a teacher builds a path, imports a CSV deck and assigns
// a class; a student revises, closes the tab mid-session, resumes, finishes and sees when the
// cards come back; the teacher sees the result.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BASE, launch, login, newPage, shot } from './support.mjs';

let browser;
let pathUrl = '';
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('a teacher creates a path, imports a CSV deck and assigns a class', async () => {
  const page = await newPage(browser);
  await login(page, 'demo', 'teacher@demo.test');
  await page.getByRole('link', { name: 'Parcours', exact: true }).click();
  await page.getByRole('button', { name: 'Nouveau parcours' }).click();
  await page.getByLabel('Titre').fill('Verbes irréguliers');
  await page.getByRole('combobox', { name: 'Matière' }).click();
  await page.getByRole('option', { name: 'Anglais' }).click();
  await page.getByLabel('Objectifs').fill('Connaître 3 verbes');
  await page.getByLabel(/^Classes/).first().click({ force: true });
  await page.getByRole('option', { name: /4e A/ }).click();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Créer le parcours' }).click();
  await page.getByRole('heading', { name: 'Verbes irréguliers' }).waitFor();
  pathUrl = new URL(page.url()).pathname;

  await page.getByLabel('Nouvelle étape').fill('Vocabulaire');
  await page.getByRole('button', { name: "Ajouter l'étape" }).click();
  await page.getByText('Pas encore de contenu dans cette étape').waitFor();
  const csv = join(tmpdir(), `mnemos-deck-${Date.now()}.csv`);
  writeFileSync(csv, 'front,back,tags\nto go,went,verbs\nto see,saw,verbs\nto be,,verbs\nto eat,ate,verbs\n');
  await page.locator('input[type=file][accept*=".apkg"]').setInputFiles(csv);
  const report = page.getByRole('status').filter({ hasText: 'cartes importées' });
  await report.waitFor();
  assert.match(await report.innerText(), /3 cartes importées, 1 lignes ignorées/);
  assert.match(await report.innerText(), /Ligne 4/);
  await shot(page, '20-path-builder-import');

  await page.getByRole('tab', { name: 'Affectation' }).click();
  // 4e A's size depends on what the other journeys did to the class: at least its demo student.
  assert.match(await page.getByText(/\d+ élèves? concernés?/).innerText(), /^[1-9]\d* élève/);
  await shot(page, '21-path-assignment');
  await page.context().close();
});

test('a student revises, closes the tab, resumes and finishes with the next due dates', async () => {
  assert.ok(pathUrl, 'the teacher journey ran first');
  const page = await newPage(browser);
  await login(page, 'demo', 'student@demo.test');
  await page.getByText('Verbes irréguliers').first().waitFor();
  await shot(page, '22-student-home');
  await page.getByRole('link', { name: /Verbes irréguliers/ }).click();
  await page.getByRole('button', { name: 'Réviser' }).click();
  await page.getByText('to go').waitFor();
  await page.keyboard.press(' ');
  await page.getByText('went').waitFor();
  await shot(page, '23-revision-card');
  await page.keyboard.press('4');
  await page.getByText('to see').waitFor();

  // The tab is closed; the session is there when the student comes back.
  const sessionUrl = page.url();
  await page.context().close();
  const again = await newPage(browser, { width: 390, height: 844 });
  await login(again, 'demo', 'student@demo.test');
  await again.getByText('Verbes irréguliers').first().waitFor();
  await again.goto(`${BASE}${pathUrl.replace('/learning/paths/', '/learning/my/')}`);
  await again.getByRole('button', { name: 'Reprendre' }).click();
  await again.waitForURL(sessionUrl);
  await again.getByText('to see').waitFor();
  await again.getByRole('button', { name: /Voir la réponse/ }).click();
  await again.getByRole('button', { name: /Facile/ }).click();
  await again.getByText('to eat').waitFor();
  await again.keyboard.press(' ');
  await again.keyboard.press('3');
  // Good on a new card: it comes back in this session until it leaves its learning steps.
  while (!(await again.getByRole('button', { name: 'Voir mes résultats' }).isVisible())) {
    await again.getByRole('button', { name: /Voir la réponse/ }).click();
    await again.getByRole('button', { name: /Facile/ }).click();
    await again.waitForTimeout(100);
  }
  await again.getByRole('button', { name: 'Voir mes résultats' }).click();
  await again.getByRole('heading', { name: 'Séance terminée' }).waitFor();
  assert.match(await again.getByText(/Prochaine révision/).innerText(), /Prochaine révision : \S+/);
  await again.getByText('Étape maîtrisée !').waitFor();
  await shot(again, '24-session-summary-phone');
  await again.context().close();
});

test('the teacher sees the student\'s result', async () => {
  const page = await newPage(browser);
  await login(page, 'demo', 'teacher@demo.test');
  await page.getByRole('heading', { name: /Bonjour/ }).waitFor();
  await page.goto(`${BASE}${pathUrl}`);
  await page.getByRole('tab', { name: 'Progression' }).click();
  const row = page.getByRole('row').filter({ hasText: 'Sam Durand' });
  await row.waitFor();
  const cells = await row.getByRole('cell').allInnerTexts();
  assert.equal(cells[1], '1 / 1');
  assert.equal(cells[2], '3');
  await shot(page, '25-teacher-progress');
  await page.context().close();
});
