// Shared by the e2e suite: a browser on Debian's Chromium, pages on the server that
// scripts/run-e2e started (MNEMOS_E2E_URL), screenshots saved for people to look at.
import { mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';

export const BASE = process.env.MNEMOS_E2E_URL ?? 'http://127.0.0.1:8080';
export const SHOTS = new URL('./screenshots/', import.meta.url).pathname;
mkdirSync(SHOTS, { recursive: true });

/** Debian's Chromium, headless; `args` adds flags (the video test's fake camera). */
export async function launch({ args = [] } = {}) {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      ...args,
    ],
  });
}

/** As the signed-in user of `page`: a JSON request with the session's CSRF token; the parsed answer. */
export async function call(page, method, path, body) {
  return page.evaluate(async ({ method, path, body }) => {
    const me = await (await fetch('/api/v1/me')).json();
    const response = await fetch(path, {
      method,
      headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': me.csrf_token ?? '' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return response.status === 204 ? null : response.json();
  }, { method, path, body });
}

/** A fresh browser context (its own cookies), in French unless told otherwise. */
export async function newPage(browser, { locale = 'fr', width = 1280, height = 800 } = {}) {
  // A phone-sized screen is a phone: touch, a coarse pointer (no keyboard hints), a mobile viewport.
  const phone = width < 600;
  const context = await browser.newContext({ locale, viewport: { width, height }, isMobile: phone, hasTouch: phone });
  await context.addInitScript((lang) => localStorage.setItem('mnemos.lang', lang), locale);
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  return page;
}

export async function shot(page, name) {
  await page.screenshot({ path: `${SHOTS}${name}.png`, fullPage: true });
}

export async function login(page, school, email, password = 'mnemos-demo') {
  await page.goto(`${BASE}/login`);
  await page.getByLabel(/Établissement|School/).fill(school);
  await page.getByLabel(/Adresse e-mail|Email address/).fill(email);
  await page.getByLabel(/^(Mot de passe|Password)/).fill(password);
  await page.getByRole('button', { name: /Se connecter|Log in/ }).click();
}

/**
 * The newest message to `to` in the platform's mail log, read as the platform admin (waits for it);
 * with `subject`, the newest with that subject (another test's mail may come before or after it).
 */
export async function mailTo(browser, to, { after = '', subject = '' } = {}) {
  const page = await newPage(browser, { locale: 'en' });
  await login(page, '', 'platform@mnemos.test');
  await page.getByRole('heading', { name: /Hello/ }).waitFor();
  try {
    for (let attempt = 0; attempt < 50; attempt++) {
      const items = await page.evaluate(async (address) => {
        const response = await fetch(`/api/v1/platform/mail?to=${encodeURIComponent(address)}`);
        return (await response.json()).items;
      }, to);
      const found = subject ? items.find((mail) => mail.subject === subject) : items[0];
      if (found && found.id > after) return found;
      await page.waitForTimeout(200);  // the worker delivers queued mail within a moment
    }
    // Say what the job queue held, so that a failure here can be told apart from a slow worker.
    const jobs = await page.evaluate(async () => {
      const response = await fetch('/api/v1/jobs?limit=20');
      return response.ok ? (await response.json()).items : `jobs: HTTP ${response.status}`;
    });
    throw new Error(`no mail to ${to}${subject ? ` titled "${subject}"` : ''}; recent jobs: ${JSON.stringify(jobs)}`);
  } finally {
    await page.context().close();
  }
}

export function linkIn(mail) {
  const match = mail.text.match(/https?:\/\/\S+\?token=\S+/);
  if (!match) throw new Error('no link in the mail');
  const url = new URL(match[0]);
  return `${BASE}${url.pathname}${url.search}`;
}

/**
 * Runs axe-core (WCAG 2.0–2.2 A and AA rules) on the page as it is, and fails on any serious or
 * critical violation, listing each with the elements it found. Minor and moderate ones are printed.
 */
const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
export async function checkAccessibility(page, name) {
  await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () =>
    // eslint-disable-next-line no-undef
    axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] }, resultTypes: ['violations'] }),
  );
  const describe = (v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${n.target.join(' ')} — ${n.failureSummary?.split('\n').slice(1).join(' ')}`).join('\n')}`;
  const blocking = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const other = result.violations.filter((v) => !blocking.includes(v));
  if (other.length) console.log(`axe (${name}): ${other.map(describe).join('\n')}`);
  if (blocking.length) throw new Error(`accessibility (${name}):\n${blocking.map(describe).join('\n')}`);
}

/**
 * As a teacher on the paths page: creates a path for `className` in `subject` and waits for its
 * builder. Returns the builder's path (/learning/paths/<id>).
 */
export async function createPath(page, { title, subject, className, objectives }) {
  await page.getByRole('link', { name: 'Parcours', exact: true }).click();
  await page.getByRole('button', { name: 'Nouveau parcours' }).click();
  await page.getByLabel('Titre').fill(title);
  await page.getByRole('combobox', { name: 'Matière' }).click();
  await page.getByRole('option', { name: subject }).click();
  if (objectives) await page.getByLabel('Objectifs').fill(objectives);
  await page.getByLabel(/^Classes/).first().click({ force: true });
  await page.getByRole('option', { name: new RegExp(className) }).click();
  await page.keyboard.press('Escape');
  await page.getByRole('button', { name: 'Créer le parcours' }).click();
  await page.getByRole('heading', { name: title }).waitFor();
  return new URL(page.url()).pathname;
}
