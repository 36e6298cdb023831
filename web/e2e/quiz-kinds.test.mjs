// Moodle's question kinds in a real browser: a teacher writes a matching, a numerical and an
// ordering question in the editor and publishes them; a student answers them on a phone — a list
// per pair, a number with a decimal comma and a unit (a unit not offered is refused with the
// units allowed, and costs nothing), steps put in order with the arrows — and reads each
// correction, "2 paires justes sur 3" when partly right (that card comes back in the session).
import assert from 'node:assert/strict';
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

test('a teacher writes matching, numerical and ordering questions and publishes them', async () => {
  const page = await newPage(browser);
  await login(page, 'demo', 'teacher@demo.test');
  pathUrl = await createPath(page, { title: 'Unités de mesure', subject: 'Mathématiques', className: '4e A' });
  await page.getByLabel('Nouvelle étape').fill('Mesures');
  await page.getByRole('combobox', { name: 'Type' }).click();
  await page.getByRole('option', { name: 'Quiz' }).click();
  await page.getByRole('button', { name: "Ajouter l'étape" }).click();
  await page.getByText('Pas encore de contenu dans cette étape').waitFor();
  const kinds = page.getByRole('radiogroup', { name: 'Type de carte' });

  // Matching: three pairs and a wrong answer to offer too.
  await kinds.getByText('Appariement').click();
  await page.getByRole('textbox', { name: 'Question', exact: true }).fill('Associez chaque unité à sa grandeur.');
  for (const [n, left, right] of [[1, 'mètre', 'longueur'], [2, 'seconde', 'durée'], [3, 'kelvin', 'température']]) {
    await page.getByLabel(`Côté gauche de la paire ${n}`).fill(left);
    await page.getByLabel(`Côté droit de la paire ${n}`).fill(right);
  }
  await page.getByRole('combobox', { name: 'Mauvaises réponses à proposer aussi' }).fill('couleur');
  await page.keyboard.press('Enter');
  await shot(page, '40-editor-matching');
  await page.getByRole('button', { name: 'Ajouter', exact: true }).click();
  await page.getByRole('list').getByText('Associez chaque unité à sa grandeur.').first().waitFor();

  // Numerical: 0,75 m ± 0,02, also in centimetres.
  await kinds.getByText('Nombre').click();
  await page.getByRole('textbox', { name: 'Question', exact: true }).fill('Hauteur de la table ?');
  await page.getByLabel('Valeur de la réponse 1').fill('0,75');
  await page.getByLabel('Tolérance de la réponse 1').fill('0,02');
  await page.getByRole('button', { name: 'Ajouter une unité' }).click();
  await page.getByLabel('Unité 1', { exact: true }).fill('m');
  await page.getByRole('button', { name: 'Ajouter une unité' }).click();
  await page.getByLabel('Unité 2', { exact: true }).fill('cm');
  await page.getByLabel("Multiplicateur de l'unité 2").fill('100');
  await shot(page, '41-editor-numerical');
  await page.getByRole('button', { name: 'Ajouter', exact: true }).click();
  await page.getByRole('list').getByText('Hauteur de la table ?').first().waitFor();

  // Ordering: typed out of order, put right with the arrows.
  await kinds.getByText('Classement').click();
  await page.getByRole('textbox', { name: 'Question', exact: true }).fill('Du plus petit au plus grand.');
  await page.getByLabel('Étape 1', { exact: true }).fill('centimètre');
  await page.getByLabel('Étape 2', { exact: true }).fill('millimètre');
  await page.getByLabel('Étape 3', { exact: true }).fill('kilomètre');
  await page.getByRole('button', { name: 'Monter la ligne 2' }).click();
  assert.equal(await page.getByLabel('Étape 1', { exact: true }).inputValue(), 'millimètre');
  await page.getByRole('button', { name: 'Ajouter', exact: true }).click();
  await page.getByRole('list').getByText('Du plus petit au plus grand.').first().waitFor();
  await checkAccessibility(page, 'editor with the new kinds');

  await page.getByRole('link', { name: 'Voir comme un élève' }).click();
  await page.getByText('Aperçu élève').waitFor();
  await page.getByText('Associez chaque unité à sa grandeur.').waitFor();
  await page.getByRole('button', { name: 'Publier' }).click();
  await page.getByText(/ce que vos élèves voient/).waitFor();
  await page.context().close();
});

test('a student answers them on a phone and reads each correction', async () => {
  assert.ok(pathUrl, 'the teacher journey ran first');
  const page = await newPage(browser, { width: 390, height: 844 });
  await login(page, 'demo', 'student@demo.test');
  await page.getByText('Unités de mesure').first().waitFor();
  await page.goto(`${BASE}${pathUrl.replace('/learning/paths/', '/learning/my/')}`);
  await page.getByRole('button', { name: 'Réviser' }).first().click();

  // Matching: one list per left side; two of three right is partly right.
  await page.getByText('Associez chaque unité à sa grandeur.').first().waitFor();
  const pick = async (left, choice) => {
    await page.getByRole('combobox', { name: left }).click();
    await page.getByRole('option', { name: choice, exact: true }).click();
  };
  await pick('mètre', 'longueur');
  await pick('seconde', 'durée');
  await pick('kelvin', 'couleur');
  await shot(page, '42-revision-matching-phone');
  await page.getByRole('button', { name: 'Vérifier' }).click();
  const matched = page.getByRole('status').filter({ hasText: 'Votre réponse' });
  await matched.waitFor();
  assert.match(await matched.innerText(), /2 paires justes sur 3/);
  assert.match(await matched.innerText(), /kelvin → couleur/);
  assert.match(await matched.innerText(), /kelvin → température/);
  await checkAccessibility(page, 'matching correction');
  await page.getByRole('button', { name: 'Continuer' }).click();

  // Numerical: a unit not offered is refused with the units allowed; then a decimal comma.
  await page.getByText('Hauteur de la table ?').first().waitFor();
  await page.getByText('Unités possibles : m, cm.').waitFor();
  assert.equal(await page.getByRole('textbox', { name: 'Votre réponse' }).getAttribute('inputmode'), 'decimal');
  await page.getByRole('textbox', { name: 'Votre réponse' }).fill('75 mm');
  await page.getByRole('button', { name: 'Vérifier' }).click();
  await page.getByRole('alert').filter({ hasText: "Employez l'une de ces unités : m, cm." }).waitFor();
  await page.getByRole('textbox', { name: 'Votre réponse' }).fill('0,76');
  await page.getByRole('button', { name: 'Vérifier' }).click();
  await page.getByText('Juste !').waitFor();
  assert.equal(await page.getByRole('alert').count(), 0, 'the earlier error is gone');
  await page.getByRole('button', { name: 'Continuer' }).click();

  // Ordering: shown shuffled; put in order with the arrows, which sit under the thumb.
  await page.getByText('Du plus petit au plus grand.').first().waitFor();
  const order = page.getByRole('list', { name: 'Votre ordre' });
  const target = ['millimètre', 'centimètre', 'kilomètre'];
  for (let round = 0; round < 6; round++) {
    const shown = (await order.getByRole('listitem').allInnerTexts()).map((t) => t.replace(/^\d+\.\s*/, '').replace(/[↑↓]/g, '').trim());
    if (shown.join('|') === target.join('|')) break;
    const wrong = shown.findIndex((step, i) => step !== target[i]);
    const from = shown.indexOf(target[wrong]);
    await page.getByRole('button', { name: `Monter « ${target[wrong]} »` }).click();
    assert.ok(from > wrong);
  }
  await shot(page, '43-revision-ordering-phone');
  await checkAccessibility(page, 'ordering');
  await page.getByRole('button', { name: 'Vérifier' }).click();
  await page.getByText('Juste !').waitFor();
  await page.getByRole('button', { name: 'Continuer' }).click();

  // The matching card, partly wrong, comes back at the end of the session.
  await page.getByText('Cette carte revient').waitFor();
  await pick('mètre', 'longueur');
  await pick('seconde', 'durée');
  await pick('kelvin', 'température');
  await page.getByRole('button', { name: 'Vérifier' }).click();
  await page.getByText('Juste !').waitFor();
  await page.getByRole('button', { name: 'Voir mes résultats' }).click();
  await page.getByRole('heading', { name: 'Séance terminée' }).waitFor();
  await page.context().close();
});
