// The AI tutor with the built-in provider (docs/ai.md): a teacher gives a path its documents (a
// PDF and a Markdown file), keeps a hints-only agent, makes cards from the documents and validates
// some; a student asks the tutor in a revision session, gets a cited answer, is refused the card's
// answer with a hint; the teacher reads the exchange.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, call, checkAccessibility, launch, login, newPage, shot } from './support.mjs';

const COURSE_MD = `# L'Australie

## Le relief et le climat

L'Australie est un pays-continent de l'hémisphère sud. Le centre du pays est un immense désert chaud et sec,
que les Australiens appellent l'outback. Les côtes de l'est reçoivent davantage de pluie : on y trouve des
forêts tropicales au nord et un climat tempéré au sud-est.

## Les villes

La capitale de l'Australie est Canberra, une ville construite pour départager Sydney et Melbourne.
Sydney est la plus grande ville du pays ; Melbourne est réputée pour sa vie culturelle.

## La faune

Le kangourou est un marsupial : la femelle porte son petit dans une poche ventrale.
L'ornithorynque est un mammifère qui pond des œufs.
`;

// A one-page PDF with a text layer (Helvetica, ASCII), written here so that no file is committed.
function pdfWithText(lines) {
  const stream = `BT /F1 12 Tf 72 740 Td 16 TL ${lines.map((l) => `(${l.replace(/[()\\]/g, '\\$&')}) '`).join(' ')} ET`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
  ];
  let body = '%PDF-1.4\n';
  const offsets = [];
  objects.forEach((object, i) => {
    offsets.push(body.length);
    body += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = body.length;
  body += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`;
  body += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(body, 'latin1');
}

const COURSE_PDF = pdfWithText([
  'Australia: wildlife',
  'The koala is a marsupial that lives in eucalyptus forests.',
  'It eats eucalyptus leaves and sleeps up to twenty hours a day.',
  'The emu is a large bird that cannot fly but runs very fast.',
]);

let browser;
let pathUrl;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

test('a teacher gives the tutor its documents and a hints-only agent, then makes cards and validates some', async () => {
  const page = await newPage(browser);
  await login(page, 'demo', 'teacher@demo.test');
  await page.getByRole('heading', { name: /Bonjour/ }).waitFor();
  // A path for 4e A with a card whose answer the tutor must never give.
  const subjects = await call(page, 'GET', '/api/v1/subjects');
  const geography = subjects.items.find((s) => s.name === 'Histoire-Géographie');
  const classes = await call(page, 'GET', '/api/v1/classes');
  const fourA = classes.items.find((c) => c.name === '4e A');
  const path = await call(page, 'POST', '/api/v1/learning-paths', {
    title: "Géographie : l'Australie", subject_id: geography.id, class_ids: [fourA.id],
    steps: [{ title: 'Cartes', kind: 'cards', items: [{ kind: 'flashcard', content: { front: "Capitale de l'Australie ?", back: 'Canberra' } }] }],
  });
  assert.ok(path.id, JSON.stringify(path));
  pathUrl = `${BASE}/learning/paths/${path.id}`;

  await page.goto(`${pathUrl}?tab=tutor`);
  await page.getByRole('heading', { name: 'Documents du cours' }).waitFor();
  await page.getByText('Pas encore de documents').waitFor();
  const chooser = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Ajouter des documents' }).click();
  await (await chooser).setFiles([
    { name: 'australie.md', mimeType: 'text/markdown', buffer: Buffer.from(COURSE_MD) },
    { name: 'wildlife.pdf', mimeType: 'application/pdf', buffer: COURSE_PDF },
  ]);
  const list = page.getByRole('list', { name: 'Documents du cours' });
  await list.getByText('australie.md').waitFor();
  await list.getByText('wildlife.pdf').waitFor();
  // Indexed in the background; the list reads itself again until both are ready.
  await page.waitForFunction(() => document.querySelectorAll('ul[aria-label="Documents du cours"] li').length === 2
    && [...document.querySelectorAll('ul[aria-label="Documents du cours"] li')].every((li) => li.textContent.includes('Prêt')), null, { timeout: 20_000 });
  await list.getByText(/1 page/).waitFor();

  // A file the tutor cannot read is refused with its reason.
  const refused = page.waitForEvent('filechooser');
  await page.getByRole('button', { name: 'Ajouter des documents' }).click();
  await (await refused).setFiles([{ name: 'photo.pdf', mimeType: 'application/pdf', buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0]) }]);
  await page.getByRole('alert').filter({ hasText: 'photo.pdf' }).waitFor();

  // The agent: hints only (the default), the class's level and an instruction.
  await page.getByRole('radio', { name: 'Indices seulement' }).check();
  await page.getByLabel('Niveau des élèves').fill('4e');
  await page.getByLabel('Consignes').fill('Tutoie les élèves et renvoie-les à la carte du manuel.');
  await page.getByRole('button', { name: 'Enregistrer' }).click();
  await page.getByText('Enregistré').waitFor();
  await checkAccessibility(page, 'tutor sources and agent');
  await shot(page, '40-teacher-tutor-sources');

  // Cards from the documents, each beside its passage; two validated at once, one rejected.
  await page.getByRole('tab', { name: 'Étapes' }).click();
  // The first step is open.
  await page.getByRole('button', { name: 'Tirer des cartes' }).click();
  await page.getByText(/cartes? tirées?/).waitFor();
  const queue = page.getByRole('list', { name: 'Cartes à vérifier' });
  await queue.waitFor();
  const made = await queue.getByRole('listitem').filter({ has: page.getByRole('checkbox') }).count();
  assert.ok(made >= 3, `cards made: ${made}`);
  await queue.getByText('australie.md', { exact: false }).first().waitFor();
  await checkAccessibility(page, 'validation queue');
  await shot(page, '41-teacher-validation-queue');
  const boxes = queue.getByRole('checkbox', { name: 'Sélectionner cette carte' });
  await boxes.nth(0).check();
  await boxes.nth(1).check();
  await page.getByRole('button', { name: 'Valider 2' }).click();
  await page.waitForFunction((n) => document.querySelectorAll('ul[aria-label="Cartes à vérifier"] > li').length === n, made - 2);
  // The rest rejected in one go: they never reach students.
  await page.getByRole('checkbox', { name: /Sélectionner (les|la)/ }).check();
  await page.getByRole('button', { name: `Rejeter ${made - 2}` }).click();
  await queue.waitFor({ state: 'detached' });
  const detail = await call(page, 'GET', `/api/v1/learning-paths/${path.id}`);
  const items = await call(page, 'GET', `/api/v1/steps/${detail.steps[0].id}/items`);
  const generated = items.items.filter((i) => i.origin === 'generated');
  assert.equal(generated.filter((i) => i.validation === 'validated').length, 2);
  assert.equal(generated.filter((i) => i.validation === 'rejected').length, made - 2);
  await page.context().close();
});

test('a student asks the tutor during a session: a cited answer, and a hint instead of the card\'s answer', async () => {
  const page = await newPage(browser);
  page.on('pageerror', (e) => console.log('pageerror', e.message, e.stack));
  await login(page, 'demo', 'student@demo.test');
  await page.getByRole('link', { name: /Australie/ }).first().click();
  await page.getByRole('button', { name: 'Réviser' }).first().click();
  await page.waitForURL(/learning\/sessions\//);
  await page.getByRole('button', { name: 'Demander au tuteur' }).click();
  const drawer = page.getByRole('dialog', { name: 'Ton tuteur' });
  await drawer.getByText('Indices seulement').waitFor();
  await drawer.getByText(/questions restantes aujourd'hui/).waitFor();

  await drawer.getByLabel('Ta question').fill('Quel climat y a-t-il au centre du pays ?');
  await drawer.getByRole('button', { name: 'Envoyer' }).click();
  // Quoted from the lesson and cited (a sentence holding the answer of a validated card would be
  // masked: the cards just made from the same lesson may hold some).
  await drawer.getByText('Cite le cours', { exact: true }).waitFor();
  const first = (await drawer.locator('.bubble:not(.bubble-mine)').first().innerText());
  assert.match(first, /Je cite le cours|indice/, first);
  assert.match(first, /désert|▢/, first);
  const citation = drawer.getByRole('button', { name: 'Ouvrir la source 1' }).first();
  await citation.click();
  const passage = page.getByRole('dialog', { name: 'australie.md' });
  await passage.getByText('Le relief et le climat', { exact: false }).waitFor();
  await shot(page, '42-student-tutor-citation');
  await page.keyboard.press('Escape');
  await passage.waitFor({ state: 'hidden' });
  await page.waitForTimeout(400);
  assert.ok(await drawer.isVisible(), 'Escape closed the passage only');

  // The card on screen asks for the capital: the tutor gives a hint, never the answer.
  await drawer.getByLabel('Ta question').fill("Quelle est la capitale de l'Australie ?");
  await drawer.getByLabel('Ta question').press('Enter');
  await page.waitForFunction(() => document.querySelectorAll('.bubble:not(.bubble-mine)').length === 2
    && !document.querySelector('[aria-busy="true"]'));
  const replies = await drawer.locator('.bubble:not(.bubble-mine)').allInnerTexts();
  assert.ok(!replies.join('\n').includes('Canberra'), replies.join('\n'));
  assert.ok(replies.at(-1).includes('▢'), replies.at(-1));
  assert.match(replies.at(-1), /^Indice/, replies.at(-1));
  await checkAccessibility(page, 'student tutor');
  await shot(page, '43-student-tutor-hint');

  // The card missed, the session ended: the part of the lesson to read again.
  await page.keyboard.press('Escape');
  await drawer.waitFor({ state: 'hidden' });
  await page.getByRole('button', { name: /Voir la réponse/ }).click();
  await page.getByRole('button', { name: /À revoir/ }).click();
  await page.getByRole('button', { name: 'Terminer maintenant' }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Terminer maintenant' }).click();
  const readAgain = page.getByRole('region', { name: 'À relire' });
  await readAgain.waitFor();
  await readAgain.getByText(/^Pour : /).first().waitFor();
  await readAgain.getByRole('button', { name: 'Lire' }).first().click();
  await page.getByRole('dialog', { name: 'australie.md' }).waitFor();
  await page.waitForTimeout(400);
  await shot(page, '46-student-read-again');
  await page.keyboard.press('Escape');
  await checkAccessibility(page, 'session summary with passages to read again');
  await page.context().close();

  // On a phone, the tutor opens from the bottom, its field and button under the thumb.
  const phone = await newPage(browser, { width: 390, height: 844 });
  await login(phone, 'demo', 'student@demo.test');
  await phone.getByRole('link', { name: /Australie/ }).first().click();
  await phone.getByRole('button', { name: 'Demander au tuteur' }).click();
  await phone.getByRole('dialog', { name: 'Ton tuteur' }).getByLabel('Ta question').waitFor();
  await phone.waitForTimeout(400);  // the drawer's slide
  await shot(phone, '44-student-tutor-phone');
  await phone.context().close();
});

test('the teacher reads the exchange, the refusal flagged', async () => {
  const page = await newPage(browser);
  await login(page, 'demo', 'teacher@demo.test');
  await page.getByRole('heading', { name: /Bonjour/ }).waitFor();
  await page.goto(`${pathUrl}?tab=questions`);
  const table = page.getByRole('table', { name: 'Par élève' });
  await table.waitFor();
  const row = table.getByRole('row').filter({ hasText: 'Sam Durand' });
  await row.getByRole('button').click();
  const exchange = page.getByRole('region', { name: /Échange de/ }).first();
  await exchange.getByText("Quelle est la capitale de l'Australie ?").waitFor();
  await exchange.getByText('Indice', { exact: true }).waitFor();
  await exchange.getByText('Se souvenir').first().waitFor();
  await checkAccessibility(page, 'students questions');
  await shot(page, '45-teacher-tutor-questions');
  await page.context().close();
});

test('the school admin sets the daily questions; the platform chooses the school\'s model', async () => {
  const admin = await newPage(browser);
  await login(admin, 'demo', 'admin@demo.test');
  await admin.getByRole('link', { name: 'Tuteur IA' }).click();
  await admin.getByRole('heading', { name: 'Tuteur IA' }).waitFor();
  assert.equal(await admin.getByLabel('Fournisseur').count(), 0, 'the model is the platform\'s to choose');
  await admin.getByLabel('Questions par élève et par jour').fill('30');
  await admin.getByRole('button', { name: 'Enregistrer' }).click();
  await admin.getByText('Enregistré').waitFor();
  await admin.getByText('En vigueur : 30').waitFor();
  await checkAccessibility(admin, 'school AI settings');
  await admin.context().close();

  // The platform admin reads English (their own language, kept in their profile).
  const platform = await newPage(browser, { locale: 'en' });
  await login(platform, '', 'platform@mnemos.test');
  await platform.getByRole('link', { name: 'Schools' }).first().click();
  await platform.getByRole('button', { name: /AI settings of Collège Démo/ }).click();
  const dialog = platform.getByRole('dialog', { name: /AI settings of Collège Démo/ });
  await dialog.getByText('In force: Built-in (quotes the course)').waitFor();
  await dialog.getByRole('combobox', { name: 'Provider' }).click();
  await platform.getByRole('option', { name: 'Ollama' }).click();
  await dialog.getByRole('button', { name: 'Save' }).click();
  // Ollama without its address: refused, the field named, nothing changed.
  await dialog.getByText("Give the model's address.").waitFor();
  await platform.waitForTimeout(300);
  await checkAccessibility(platform, 'platform AI settings');
  await shot(platform, '47-platform-school-ai');
  await platform.context().close();
});
