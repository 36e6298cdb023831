// The agenda (docs/communication.md, "Agenda, appointments, video rooms"), with two browsers: a
// student proposes an appointment, the teacher accepts it and both find it in their agenda and
// calendar feed; a teacher publishes office hours that a student books; then both enter the
// appointment's video room with fake cameras and see each other's video connected (scripts/run-e2e
// runs the suite in a network namespace with only loopback, so ICE stays on 127.0.0.1).
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, call, checkAccessibility, launch, login, newPage, shot } from './support.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function signedIn(b, email, options) {
  const page = await newPage(b, options);
  await login(page, 'demo', email);
  await page.getByRole('heading', { name: /Bonjour|Hello/ }).waitFor();
  return page;
}

test('a student proposes an appointment, the teacher accepts it, both find it in their agenda', async () => {
  const student = await signedIn(browser, 'student@demo.test');
  await student.getByRole('link', { name: 'Rendez-vous' }).click();
  await student.getByRole('heading', { name: 'Rendez-vous', level: 1 }).waitFor();
  await student.getByRole('button', { name: 'Proposer un rendez-vous' }).click();
  const form = student.getByRole('region', { name: 'Proposer un rendez-vous' });
  // Only the student's own teachers are offered.
  await form.getByRole('combobox', { name: 'Enseignant' }).click();
  await student.getByRole('option', { name: 'Thomas Bernard' }).waitFor();
  assert.equal(await student.getByRole('option', { name: 'Camille Petit' }).count(), 0);
  await student.getByRole('option', { name: 'Thomas Bernard' }).click();
  await form.getByRole('button', { name: 'Ajouter un horaire' }).click();
  await form.getByLabel('À quel sujet ? (facultatif)').fill('Le prétérit des verbes irréguliers');
  await checkAccessibility(student, 'appointments, proposing');
  await shot(student, '60-appointment-propose');
  await form.getByRole('button', { name: 'Envoyer' }).click();
  await student.getByText('En attente de la réponse de Thomas Bernard.').waitFor();

  const teacher = await signedIn(browser, 'teacher@demo.test');
  // Notified in the app.
  await teacher.getByRole('button', { name: /Notifications, 1 non lue|Notifications, \d+ non lues/ }).waitFor();
  await teacher.goto(`${BASE}/appointments`);
  const card = teacher.getByRole('article', { name: 'Avec Sam Durand' });
  await card.getByText('« Le prétérit des verbes irréguliers »').waitFor();
  await shot(teacher, '61-appointment-to-answer');
  await card.getByRole('button', { name: /^Accepter / }).nth(1).click();
  await card.getByText('Accepté').waitFor();
  await card.getByText(/La salle vidéo ouvre/).waitFor();

  // In the student's agenda, this week or the next.
  await student.goto(`${BASE}/agenda`);
  await student.getByRole('heading', { name: 'Agenda', level: 1 }).waitFor();
  const item = student.getByRole('link', { name: /Thomas Bernard.*Rendez-vous/ });
  await student.getByRole('region').first().waitFor();
  if (!(await item.count())) await student.getByRole('button', { name: 'Suivant' }).click();
  await item.first().waitFor();
  await checkAccessibility(student, 'agenda, week');
  await shot(student, '62-agenda-week');
  await student.getByText('Mois', { exact: true }).click();
  await student.locator('.agenda-month').waitFor();
  await shot(student, '63-agenda-month');

  // The private feed, read without the session like a calendar app would.
  await student.getByRole('button', { name: "Afficher l'adresse de mon agenda" }).click();
  const address = student.getByRole('textbox', { name: 'Adresse privée (iCalendar)' });
  await assert.doesNotReject(async () => {
    for (let i = 0; i < 50 && !(await address.inputValue()); i++) await student.waitForTimeout(100);
  });
  const url = new URL(await address.inputValue());
  const feed = await (await fetch(`${BASE}${url.pathname}${url.search}`)).text();
  assert.match(feed, /BEGIN:VEVENT\r\n/);
  assert.match(feed, /SUMMARY:Mnemos: Thomas Bernard\r\n/);
  assert.match(feed, /DTSTART:\d{8}T\d{6}Z\r\n/);

  // On a phone: the week as a list of days, the main action in reach.
  const phone = await newPage(browser, { width: 390, height: 844 });
  await login(phone, 'demo', 'student@demo.test');
  await phone.getByRole('heading', { name: /Bonjour/ }).waitFor();
  await phone.goto(`${BASE}/agenda`);
  await phone.getByRole('heading', { name: 'Agenda', level: 1 }).waitFor();
  await shot(phone, '64-agenda-phone');
  for (const page of [student, teacher, phone]) await page.context().close();
});

test('a teacher publishes office hours and a student books one', async () => {
  const teacher = await signedIn(browser, 'teacher@demo.test');
  await teacher.goto(`${BASE}/appointments?tab=office-hours`);
  const publish = teacher.getByRole('region', { name: 'Publier une permanence' });
  await publish.getByLabel('Où, ou à quel sujet (facultatif)').fill('En visio');
  await publish.getByRole('button', { name: 'Publier' }).click();
  await teacher.getByText('4 créneaux publiés.').waitFor();
  await checkAccessibility(teacher, 'office hours, teacher');

  const student = await signedIn(browser, 'student05@demo.test');
  await student.goto(`${BASE}/appointments?tab=office-hours`);
  const book = student.getByRole('button', { name: /^Réserver 17:00 avec Thomas Bernard/ });
  await book.waitFor();
  await shot(student, '65-office-hours-student');
  await book.click();
  await student.getByText('Réservé : le rendez-vous est dans votre agenda.').waitFor();
  await student.getByRole('tab', { name: 'Mes rendez-vous' }).click();
  await student.getByRole('article', { name: 'Avec Thomas Bernard' }).getByText('Réservé sur une permanence').waitFor();

  await teacher.reload();
  await teacher.getByText('Réservé par Élève 05').waitFor();
  await shot(teacher, '66-office-hours-teacher');
  await teacher.context().close();
  await student.context().close();
});

test('both people enter the video room and see each other connected', async () => {
  const video = await launch({
    args: ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--allow-loopback-in-peer-connection'],
  });
  try {
    const student = await signedIn(video, 'student02@demo.test');
    const teacher = await signedIn(video, 'teacher@demo.test');
    const teacherId = (await call(teacher, 'GET', '/api/v1/me')).user.id;
    // An appointment starting in five minutes: its room is open.
    const starts = Date.now() + 5 * 60_000;
    const proposed = await call(student, 'POST', '/api/v1/appointments', {
      teacher_id: teacherId, slots: [{ starts_at: starts, ends_at: starts + 30 * 60_000 }],
    });
    const accepted = await call(teacher, 'POST', `/api/v1/appointments/${proposed.id}/accept`, { slot: 0 });
    assert.equal(accepted.status, 'accepted');
    const room = `${BASE}/rooms/${accepted.room.id}`;

    await student.goto(room);
    await student.getByRole('heading', { name: 'Salle vidéo' }).waitFor();
    await student.getByRole('button', { name: 'Entrer dans la salle' }).click();
    await student.getByText('Vous êtes seul dans la salle pour l\'instant.').waitFor();
    await teacher.goto(room);
    await teacher.getByRole('button', { name: 'Entrer dans la salle' }).click();

    for (const [page, other] of [[student, 'Thomas Bernard'], [teacher, 'Élève 02']]) {
      const tile = page.getByLabel(other, { exact: true });
      await tile.getByText('Connecté').waitFor({ timeout: 20_000 });
      // The other's fake camera is playing: frames of a real size.
      await page.waitForFunction((name) => {
        const v = document.querySelector(`[aria-label="Vidéo de ${name}"]`);
        return v instanceof HTMLVideoElement && v.videoWidth > 0 && v.readyState >= 2;
      }, other, { timeout: 20_000 });
    }
    assert.equal(await teacher.getByRole('alert').count(), 0, 'no error shown once connected');
    await shot(teacher, '67-video-room');
    await checkAccessibility(teacher, 'video room');

    // Muted on one side, shown on the other.
    await student.getByRole('button', { name: 'Couper le micro' }).click();
    await teacher.getByLabel('Élève 02', { exact: true }).getByText('Micro coupé').waitFor();
    await student.getByRole('button', { name: 'Quitter' }).click();
    await student.getByRole('heading', { name: 'Rendez-vous', level: 1 }).waitFor();
    await teacher.getByText('Vous êtes seul dans la salle pour l\'instant.').waitFor();

    // Someone else is not let in.
    const outsider = await signedIn(video, 'student03@demo.test');
    await outsider.goto(room);
    await outsider.getByRole('alert').getByText('Aucune de vos salles vidéo n\'a cet identifiant.').waitFor();
  } finally {
    await video.close();
  }
});
