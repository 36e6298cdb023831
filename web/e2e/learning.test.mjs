// The learning journey in a real browser: a teacher builds a path (a draft until published),
// imports a CSV deck and a GIFT quiz, looks at it as a student, publishes it and assigns a class;
// a student revises, closes the tab mid-session, resumes on a phone, and the last answer finishes
// the step; a wrong quiz answer shows the student's answer beside the right one, in words; the
// teacher sees the result.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { BASE, checkAccessibility, createPath, launch, login, newPage, shot } from './support.mjs';

let browser;
let pathUrl = '';
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('a teacher builds a draft path, previews it as a student, publishes and assigns it', async () => {
  const page = await newPage(browser);
  await login(page, 'demo', 'teacher@demo.test');
  pathUrl = await createPath(page, { title: 'Verbes irréguliers', subject: 'Anglais', className: '4e A', objectives: 'Connaître 3 verbes' });
  // A new path is a draft: nothing reaches the students until it is published.
  await page.getByText(/Brouillon : vos élèves ne voient pas encore ce parcours/).waitFor();

  await page.getByLabel('Nouvelle étape').fill('Vocabulaire');
  await page.getByRole('button', { name: "Ajouter l'étape" }).click();
  await page.getByText('Pas encore de contenu dans cette étape').waitFor();
  const csv = join(tmpdir(), `mnemos-deck-${Date.now()}.csv`);
  writeFileSync(csv, 'front,back,tags\nto go,went,verbs\nto see,saw,verbs\nto be,,verbs\nto eat,ate,verbs\n');
  await page.locator('input[type=file][accept*=".apkg"]').setInputFiles(csv);
  // First a preview of what the file gives, duplicates and refused lines explained; then the import.
  const preview = page.getByRole('status').filter({ hasText: "Avant d'importer" });
  await preview.waitFor();
  assert.match(await preview.innerText(), /3 cartes à prendre ; ignorées : 1 ligne \(/);
  await shot(page, '20a-import-preview');
  await page.getByRole('button', { name: 'Importer 3 cartes' }).click();
  const report = page.getByRole('status').filter({ hasText: 'cartes importées' });
  await report.waitFor();
  assert.match(await report.innerText(), /3 cartes importées, 1 ligne ignorée/);
  assert.match(await report.innerText(), /Ligne 4/);
  await shot(page, '20-path-builder-import');

  // A quiz step with one question from a GIFT file.
  await page.getByLabel('Nouvelle étape').fill('Quiz');
  await page.getByRole('combobox', { name: 'Type' }).click();
  await page.getByRole('option', { name: 'Quiz' }).click();
  await page.getByRole('button', { name: "Ajouter l'étape" }).click();
  await page.getByText('Pas encore de contenu dans cette étape').waitFor();
  const gift = join(tmpdir(), `mnemos-quiz-${Date.now()}.gift`);
  writeFileSync(gift, '::Go:: Past tense of "go"? {~goed =went ~gone}\n');
  await page.locator('input[type=file][accept*=".apkg"]').setInputFiles(gift);
  await page.getByRole('button', { name: 'Importer 1 carte' }).click();
  await page.getByRole('status').filter({ hasText: '1 carte importée' }).waitFor();

  // The student's view, before anyone sees it.
  await page.getByRole('link', { name: 'Voir comme un élève' }).click();
  await page.getByText('Aperçu élève').waitFor();
  await page.getByText('to go', { exact: true }).waitFor();
  await page.getByRole('button', { name: 'Voir la réponse' }).first().click();
  await page.getByText('went', { exact: true }).first().waitFor();
  await checkAccessibility(page, 'path preview');
  await shot(page, '20b-path-preview');
  await page.getByRole('button', { name: 'Publier' }).click();
  await page.getByText(/ce que vos élèves voient/).waitFor();
  await page.getByRole('link', { name: "Retour à l'édition" }).click();
  await page.getByText('Actif', { exact: true }).waitFor();

  await page.getByRole('tab', { name: 'Affectation' }).click();
  // 4e A's size depends on what the other journeys did to the class: at least its demo student.
  assert.match(await page.getByText(/\d+ élèves? concernés?/).innerText(), /^[1-9]\d* élève/);
  await shot(page, '21-path-assignment');
  await page.context().close();
});

test('a student revises, closes the tab, resumes on a phone, and the last answer finishes the step', async () => {
  assert.ok(pathUrl, 'the teacher journey ran first');
  const page = await newPage(browser);
  await login(page, 'demo', 'student@demo.test');
  await page.getByText('Verbes irréguliers').first().waitFor();
  // The forecast's first bar is the school's learning day (it starts at 04:00): named, not dated.
  const firstDay = page.locator('.recharts-xAxis-tick-labels .recharts-cartesian-axis-tick-value').first();
  await firstDay.waitFor();
  assert.equal((await firstDay.textContent()).trim(), 'Auj.');
  await shot(page, '22-student-home');
  await page.getByRole('link', { name: /Verbes irréguliers/ }).click();
  await page.getByRole('button', { name: 'Réviser' }).first().click();
  await page.getByText('Carte 1 sur 3', { exact: true }).waitFor();
  await page.getByText('to go', { exact: true }).first().waitFor();
  await page.keyboard.press(' ');
  await page.getByText('went', { exact: true }).waitFor();
  await shot(page, '23-revision-card');
  await page.keyboard.press('4');
  await page.getByText('to see', { exact: true }).waitFor();

  // The tab is closed; the session is there when the student comes back, on a phone.
  const sessionUrl = page.url();
  await page.context().close();
  const again = await newPage(browser, { width: 390, height: 844 });
  await login(again, 'demo', 'student@demo.test');
  await again.getByText('Verbes irréguliers').first().waitFor();
  await again.goto(`${BASE}${pathUrl.replace('/learning/paths/', '/learning/my/')}`);
  await again.getByRole('button', { name: 'Reprendre' }).click();
  await again.waitForURL(sessionUrl);
  await again.getByText('to see', { exact: true }).waitFor();
  // The session's top row wraps on a phone instead of widening the page (it scrolled sideways by 32 px).
  assert.equal(await again.evaluate(() => document.documentElement.scrollWidth), 390);
  await again.getByRole('link', { name: 'Quitter' }).waitFor();
  await again.getByRole('button', { name: /Voir la réponse/ }).click();
  await shot(again, '23b-revision-phone');
  // On a phone the rating buttons sit at the bottom of the screen, under the thumb.
  const box = await again.getByRole('button', { name: /Facile/ }).boundingBox();
  assert.ok(box && box.y + box.height > 844 * 0.7, `rating buttons at the bottom (y=${box?.y})`);
  await again.getByRole('button', { name: /Facile/ }).click();
  await again.getByText('to eat', { exact: true }).waitFor();
  await again.getByRole('button', { name: /Voir la réponse/ }).click();
  await again.getByRole('button', { name: /Facile/ }).click();
  // The last answer finished the session: no "see my results" to press, the summary is there.
  await again.getByRole('heading', { name: 'Séance terminée' }).waitFor();
  assert.match(await again.getByText(/Prochaine révision/).innerText(), /Prochaine révision : \S+/);
  await again.getByText('Étape maîtrisée !').waitFor();
  await again.getByText('Nouvelle étape ouverte : Quiz').waitFor();
  await checkAccessibility(again, 'session summary');
  await shot(again, '24-session-summary-phone');
  await again.context().close();
});

test('a wrong quiz answer shows the student’s answer and the right one on the card answered', async () => {
  const page = await newPage(browser);
  await login(page, 'demo', 'student@demo.test');
  await page.getByText('Verbes irréguliers').first().waitFor();
  await page.goto(`${BASE}${pathUrl.replace('/learning/paths/', '/learning/my/')}`);
  // The first step is done although the student never asked for the results.
  await page.getByRole('heading', { name: '1. Vocabulaire' }).waitFor();
  await page.locator('.mantine-Card-root').filter({ hasText: '1. Vocabulaire' }).getByText('Terminée').waitFor();
  await page.locator('.mantine-Card-root').filter({ hasText: '2. Quiz' }).getByRole('button', { name: 'Réviser' }).click();
  await page.getByText('Past tense of "go"?', { exact: true }).waitFor();
  await page.getByRole('radio', { name: 'goed' }).check();
  await page.getByRole('button', { name: 'Vérifier' }).click();
  const correction = page.getByRole('status').filter({ hasText: 'Votre réponse' });
  await correction.waitFor();
  const words = await correction.innerText();
  assert.match(words, /Votre réponse :\s*goed/);
  assert.match(words, /Réponse attendue :\s*went/);
  assert.doesNotMatch(words, /answers|accepted|\d,\d/, 'no internal data');
  // The question answered is still on screen, beside its correction, until the student moves on.
  await page.getByText('Past tense of "go"?', { exact: true }).waitFor();
  await checkAccessibility(page, 'revision correction');
  await shot(page, '24b-quiz-correction');
  await page.getByRole('button', { name: 'Continuer' }).click();
  // Missed, the card comes back in the session, and says why; moving on answered nothing.
  await page.getByText('Cette carte revient').waitFor();
  assert.equal(await page.getByText('(pas de réponse)').count(), 0);
  await page.getByRole('radio', { name: 'went' }).check();
  await page.getByRole('button', { name: 'Vérifier' }).click();
  await page.getByText('Juste !').waitFor();
  await page.getByRole('button', { name: 'Voir mes résultats' }).click();
  await page.getByRole('heading', { name: 'Séance terminée' }).waitFor();
  await page.context().close();
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
  assert.match(cells[1], /^[12] \/ 2$/);
  assert.equal(cells[2], '4');
  await shot(page, '25-teacher-progress');
  await page.context().close();
});
