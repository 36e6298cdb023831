// Billing (docs/billing.md): a school on a small plan meets its teacher limit, is told what the plan
// allows and how to get more, moves to a bigger plan from its Subscription page, and the teacher
// it could not add is added. The other school works in English.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { checkAccessibility, launch, login, newPage, shot, BASE, SHOTS } from './support.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function addTeacher(page, email, name) {
  await page.goto(`${BASE}/admin/users`);
  await page.getByRole('button', { name: 'New user' }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Email').fill(email);
  await dialog.getByLabel('Name').fill(name);
  const roles = dialog.getByLabel('Roles');
  await roles.click();
  await roles.press('Backspace');
  await page.getByRole('option', { name: 'Teacher' }).click();
  await roles.press('Escape');
  await dialog.getByRole('button', { name: 'Create the account' }).click();
  return dialog;
}

test('a school on a small plan meets its teacher limit and moves to a bigger plan', async () => {
  const admin = await newPage(browser, { locale: 'en' });
  await login(admin, 'other', 'admin@other.test');
  await admin.getByRole('heading', { name: /Hello/ }).waitFor();

  // Découverte: two teachers. The school has one; the second fits, the third does not.
  await addTeacher(admin, 'nadia.second@other.test', 'Nadia Second');
  await admin.getByRole('row').filter({ hasText: 'nadia.second@other.test' }).waitFor();
  const refused = await addTeacher(admin, 'pierre.third@other.test', 'Pierre Third');
  await refused.getByText(/The plan Découverte includes 2 teachers\. Free a seat or move the school to a bigger plan/).waitFor();
  await shot(admin, 'billing-01-teacher-limit');
  await refused.getByRole('button', { name: 'Create the account' }).focus();
  await admin.keyboard.press('Escape');
  await refused.waitFor({ state: 'detached' });

  await admin.getByRole('link', { name: 'Subscription' }).click();
  await admin.getByRole('heading', { name: 'Subscription', level: 1 }).waitFor();
  await admin.getByRole('heading', { name: 'Découverte', level: 2 }).waitFor();
  await admin.getByText('2 of 2').waitFor();
  await admin.getByText(/Every seat is taken/).waitFor();
  await shot(admin, 'billing-02-subscription');
  await checkAccessibility(admin, 'subscription');

  const essentiel = admin.getByRole('article', { name: 'Essentiel' });
  await essentiel.getByRole('button', { name: 'Choose Essentiel' }).click();
  await admin.getByRole('dialog', { name: 'Move to the Essentiel plan?' }).getByRole('button', { name: 'Change plan' }).click();
  await admin.getByText('The school is now on the Essentiel plan.').waitFor();
  await essentiel.getByText('Your plan', { exact: true }).waitFor();
  await admin.getByText('2 of 10').waitFor();

  // Billing details: a wrong SIREN is named next to its field and nothing is saved.
  await admin.getByLabel('SIREN').fill('123456789');
  await admin.getByRole('button', { name: 'Save billing details' }).click();
  await admin.getByText('A SIREN is 9 digits with a valid check digit.').waitFor();
  await admin.getByLabel('SIREN').fill('');
  await admin.getByLabel('Legal name').fill('Other School Ltd');
  await admin.getByRole('button', { name: 'Save billing details' }).click();
  await admin.getByText('Billing details saved.').waitFor();
  await shot(admin, 'billing-03-upgraded');

  const dialog = await addTeacher(admin, 'pierre.third@other.test', 'Pierre Third');
  await admin.getByRole('row').filter({ hasText: 'pierre.third@other.test' }).waitFor();
  await dialog.waitFor({ state: 'detached' });  // closed: the account was made

  // On a phone: the seats and the plans stack, the one action reachable.
  const phone = await newPage(browser, { locale: 'en', width: 390, height: 844 });
  await login(phone, 'other', 'admin@other.test');
  await phone.getByRole('heading', { name: /Hello/ }).waitFor();
  await phone.goto(`${BASE}/school/subscription`);
  await phone.getByRole('heading', { name: 'Essentiel', level: 2 }).waitFor();
  await shot(phone, 'billing-04-phone');
});

test("the platform runs the month's invoices from its Billing page; the school's admin finds and downloads the Factur-X PDF", async () => {
  const platform = await newPage(browser);
  await login(platform, '', 'platform@mnemos.test');
  await platform.getByRole('heading', { name: /Bonjour|Hello/ }).waitFor();
  await platform.getByRole('link', { name: 'Billing' }).first().click();  // the platform admin reads English
  await platform.getByRole('heading', { name: 'Invoice a month' }).waitFor();
  await platform.getByRole('button', { name: 'Run the invoicing' }).click();
  await platform.getByText(/1 invoice\(s\) made, 1 issued/).waitFor();
  const all = platform.getByRole('region', { name: "Every school's invoices" });
  const platformRow = all.getByRole('row').filter({ hasText: 'Collège Démo' }).first();
  await platformRow.getByText('€598.80').waitFor();
  const number = (await platformRow.locator('td').nth(1).innerText()).trim();
  assert.match(number, /^F-\d{4}-\d{6}$/);
  await platform.getByText('Monthly recurring revenue (excl. VAT)').waitFor();
  await shot(platform, 'billing-07-platform');
  await checkAccessibility(platform, 'platform billing');

  // A new price for Découverte: a new version, the schools on it keep theirs.
  const plans = platform.getByRole('region', { name: 'Plans' });
  await plans.getByRole('button', { name: 'New price for Découverte' }).click();
  const priceDialog = platform.getByRole('dialog');
  await priceDialog.getByLabel('Monthly price excl. VAT (€)').fill('59');
  await priceDialog.getByRole('button', { name: 'Save the new price' }).click();
  await platform.getByText('New version of Découverte saved.').waitFor();
  const decouverte = plans.getByRole('row').filter({ hasText: 'Découverte' });
  await decouverte.getByText('version 2').waitFor();
  await decouverte.getByText('€59.00').waitFor();
  const admin = await newPage(browser);
  await login(admin, 'demo', 'admin@demo.test');
  await admin.getByRole('heading', { name: /Bonjour/ }).waitFor();
  await admin.goto(`${BASE}/school/subscription`);
  const invoices = admin.getByRole('region', { name: 'Factures' });
  const row = invoices.getByRole('row').filter({ hasText: number });
  await row.first().waitFor();
  await row.first().getByText('598,80 €').waitFor();  // 499,00 € + 20 % VAT
  await row.first().getByText('À payer').waitFor();
  await shot(admin, 'billing-05-invoices');
  await checkAccessibility(admin, 'subscription with invoices');

  // The Factur-X PDF downloads; its first page is drawn to a picture for people to look at.
  const [download] = await Promise.all([
    admin.waitForEvent('download'),
    row.first().getByRole('link', { name: `Télécharger la facture ${number} (PDF Factur-X)` }).click(),
  ]);
  assert.equal(download.suggestedFilename(), `${number}.pdf`);
  const pdf = readFileSync(await download.path());
  assert.equal(pdf.subarray(0, 8).toString('latin1'), '%PDF-1.7');
  assert.ok(pdf.includes('factur-x.xml'), 'the PDF carries factur-x.xml');
  execFileSync('pdftoppm', ['-r', '70', '-png', '-singlefile', await download.path(), `${SHOTS}billing-06-invoice-pdf`]);
  const text = execFileSync('pdftotext', ['-layout', await download.path(), '-']).toString('utf8');
  assert.match(text, /FACTURE/);
  assert.match(text, /598,80/);
  assert.match(text, /Indemnité forfaitaire pour frais de recouvrement/);

  // The school pays part by transfer; the platform records it; the admin sees what remains.
  await platformRow.getByRole('button', { name: `Record a payment for invoice ${number}` }).click();
  const dialog = platform.getByRole('dialog');
  await dialog.getByLabel('Amount received (EUR)').fill('300');
  await dialog.getByLabel("Note (the transfer's reference)").fill('VIR 0042');
  await dialog.getByRole('button', { name: 'Record a payment' }).click();
  await platform.getByText('Payment recorded.').waitFor();
  await platformRow.getByText('Still due: €298.80').waitFor();
  await admin.reload();
  await row.first().getByText('Reste dû : 298,80 €').waitFor();

  // A mistake: the platform cancels the invoice with a credit note; a reason is asked for.
  await platformRow.getByRole('button', { name: `Cancel with a credit note: invoice ${number}` }).click();
  const credit = platform.getByRole('dialog');
  await credit.getByRole('button', { name: 'Issue the credit note' }).click();
  await credit.getByText('Say why the invoice is cancelled: it is printed on the credit note.').waitFor();
  await credit.getByLabel('Reason (printed on the credit note)').fill('Wrong plan');
  await credit.getByRole('button', { name: 'Issue the credit note' }).click();
  await platform.getByText(new RegExp(`Credit note A-\\d{4}-000001 issued for invoice ${number}`)).waitFor();
  await all.getByRole('row').filter({ hasText: /A-\d{4}-000001/ }).first().waitFor();
  await platformRow.getByText('Void').waitFor();
  await shot(platform, 'billing-08-credit-note');

  // The school's admin was told of each document by the bell (and by email, with the PDF).
  await admin.reload();
  await admin.getByRole('button', { name: /^Notifications, \d+ non lues?$/ }).click();
  const bell = admin.getByRole('dialog');
  await bell.getByText(`Facture ${number} émise`).waitFor();
  await bell.getByText(/^Avoir A-\d{4}-000001 émis$/).waitFor();
  await bell.getByRole('button', { name: 'Tout marquer comme lu' }).click();
  await admin.getByRole('button', { name: 'Notifications', exact: true }).waitFor();
});
