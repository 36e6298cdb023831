// The content editor in a real browser: a lesson with math, a cloze and a multiple-choice question
// written by hand, a Moodle GIFT quiz imported with its report, the path's exam date and memory
// settings; then the student sees the lesson's formula rendered and sets a retention goal; a school
// admin sets a subject's memory settings.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launch, login, newPage, shot } from './support.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('a teacher writes a lesson with math, cloze and choice cards, imports a GIFT quiz and sets an exam date', async () => {
  const page = await newPage(browser);
  await login(page, 'demo', 'teacher@demo.test');
  await page.getByRole('link', { name: 'Parcours', exact: true }).click();
  await page.getByRole('link', { name: /le prétérit \(exemple\)/ }).click();
  await page.getByRole('heading', { name: /le prétérit/ }).waitFor();

  // The first step, a lesson, is open: write a lesson with a formula and watch the preview.
  // What an imported file could carry never runs and never calls a third party.
  // \Bigg uses KaTeX_Size3, the font KaTeX's stylesheet carries inline (a data: URL).
  await page.getByLabel('Texte de la leçon').fill('## Aire du disque\n\nOn retient $A = \\pi r^2$, soit $\\Bigg( \\pi \\Bigg) r^2$.\n\n' +
    '<script>window.hacked = 1</script><img src="https://example.com/x.png" onerror="window.hacked = 2">\n\n' +
    '![audio](/api/v1/learning-media/00000000-0000-7000-8000-000000000000) ![audio](https://example.com/x.mp3)');
  const preview = page.getByLabel('Aperçu');
  await preview.locator('.katex').first().waitFor();
  assert.match(await preview.innerText(), /Aire du disque/);
  assert.equal(await page.evaluate(() => window.hacked), undefined);
  assert.equal(await preview.locator('script, img[src^="https:"], audio[src^="https:"], [onerror]').count(), 0);
  assert.equal(await preview.locator('audio[controls][src^="/api/v1/learning-media/"]').count(), 1);
  await page.getByRole('button', { name: 'Ajouter', exact: true }).click();
  await page.getByRole('list').getByText(/Aire du disque/).first().waitFor();

  // The cards step, typed like a deck: Enter goes from the front to the back, then adds the card
  // and comes back to an empty front.
  await page.getByRole('button', { name: /^2\. Cartes/ }).click();
  const front = page.getByRole('textbox', { name: 'Recto' });
  await front.fill('to run');
  await front.press('Enter');
  await page.keyboard.type('ran');
  await page.keyboard.press('Enter');
  await page.getByRole('list').getByText('to run').first().waitFor();
  assert.equal(await front.inputValue(), '');
  assert.ok(await front.evaluate((el) => el === document.activeElement), 'the front has the focus again');

  // The quiz step: a cloze and a multiple-choice question by hand.
  await page.getByRole('button', { name: /^3\. Quiz/ }).click();
  await page.getByRole('radiogroup', { name: 'Type de carte' }).getByText('Texte à trous').click();
  await page.getByRole('textbox', { name: 'Texte et ses trous' }).fill('Last week she {{c1::bought}} a bike.');
  await page.getByRole('button', { name: 'Ajouter', exact: true }).click();
  // Listed as students read it: the gap's answer in bold, no {{c1::…}} marker.
  await page.getByRole('list').locator('strong', { hasText: 'bought' }).first().waitFor();
  assert.equal(await page.getByRole('list').getByText('{{c1::').count(), 0);

  await page.getByRole('radiogroup', { name: 'Type de carte' }).getByText('QCM').click();
  await page.getByRole('textbox', { name: 'Question', exact: true }).fill('Prétérit de « to think » ?');
  await page.getByLabel('Proposition 1', { exact: true }).fill('thinked');
  await page.getByLabel('Proposition 2', { exact: true }).fill('thought');
  await page.getByLabel('La proposition 2 est juste').check();
  await page.getByRole('button', { name: 'Ajouter', exact: true }).click();
  await page.getByRole('list').getByText('Prétérit de « to think » ?').first().waitFor();

  // A Moodle GIFT file saved on Windows (Windows-1252, not UTF-8): three questions taken, the
  // essay skipped with its reason, the accents read right and the encoding said.
  const gift = join(tmpdir(), `mnemos-quiz-${Date.now()}.gift`);
  writeFileSync(gift, Buffer.from('::a:: Prétérit de « to run » ? {=ran ~runned}\n\nThe past of "go" is "goed". {F}\n\n' +
    'Prétérit de « to fly » ? {=flew}\n\nRacontez vos vacances. {}\n', 'latin1'));
  await page.locator('input[type=file][accept*=".apkg"]').setInputFiles(gift);
  const giftPreview = page.getByRole('status').filter({ hasText: 'Avant d\'importer' });
  await giftPreview.waitFor();
  assert.match(await giftPreview.innerText(), /lu en Windows-1252/);
  await giftPreview.getByText('Prétérit de « to run » ?').waitFor();
  await shot(page, '29-content-editor-gift-preview-windows-1252');
  await page.getByRole('button', { name: 'Importer 3 cartes' }).click();
  const report = page.getByRole('status').filter({ hasText: 'cartes importées' });
  await report.waitFor();
  assert.match(await report.innerText(), /3 cartes importées, 1 ligne ignorée/);
  assert.match(await report.innerText(), /corrigées à la main/);
  await shot(page, '30-content-editor-gift-import');

  // Students can be taken one by one too, among those of the teacher's classes.
  await page.getByRole('tab', { name: 'Affectation' }).click();
  await page.getByLabel(/^Élèves/).first().click({ force: true });
  assert.ok(await page.getByRole('option').count() > 0);
  await shot(page, '35-path-assignment-students');
  await page.keyboard.press('Escape');

  // Settings: an exam date and a higher retention for this path.
  await page.getByRole('tab', { name: 'Réglages' }).click();
  await page.getByLabel('Date de l\'examen').fill('15/06/2027');  // typed as French writes it
  await page.getByLabel('Rétention visée').fill('92');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByText('Enregistré.').waitFor();
  await page.getByText(/examen le \S+ 15 juin/).first().waitFor();  // dates as French writes them
  await shot(page, '31-path-settings');
  await page.context().close();
});

test('a student sees the formula rendered and sets a retention goal', async () => {
  const page = await newPage(browser, { width: 390, height: 844 });
  // Nothing the page shows trips its own Content-Security-Policy: KaTeX's inlined font (data: URL)
  // is allowed, and a lesson's raw HTML (an <img onerror> here) is shown as text, never parsed.
  const refused = [];
  page.on('console', (message) => {
    if (message.type() === 'error' && /Content Security Policy|Refused to load/i.test(message.text())) refused.push(message.text());
  });
  await login(page, 'demo', 'student@demo.test');
  await page.getByRole('link', { name: /le prétérit \(exemple\)/ }).first().click();
  await page.getByRole('heading', { name: 'Aire du disque' }).first().waitFor();
  await page.locator('.katex').first().waitFor();
  await page.evaluate(() => document.fonts.ready);
  assert.deepEqual(refused, [], 'no resource refused by the Content-Security-Policy');
  await shot(page, '32-student-lesson-math');

  // On a phone the navigation is behind the menu button; the page has its own address.
  await page.goto(new URL('/learning/settings', page.url()).href);
  await page.getByRole('heading', { name: 'Mes réglages de mémorisation' }).waitFor();
  await page.getByLabel('Rétention visée').fill('95');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByText('Enregistré.').waitFor();
  await shot(page, '33-student-memory-settings');
  await page.context().close();
});

test('a school admin sets the memory settings of a subject', async () => {
  const page = await newPage(browser);
  await login(page, 'demo', 'admin@demo.test');
  await page.getByRole('link', { name: 'Classes et matières', exact: true }).click();
  await page.getByRole('button', { name: 'Réglages de mémorisation de Anglais' }).click();
  await page.getByLabel('Nouvelles cartes par jour').fill('15');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByText('Enregistré.').waitFor();
  await shot(page, '34-subject-memory-settings');
  await page.context().close();
});
