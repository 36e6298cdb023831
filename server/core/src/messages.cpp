#include <mnemos/core/messages.hpp>

#include <algorithm>

namespace mnemos::messages {

// Every message a person may read in a response, with its French. Keep the {} in the same order
// in both columns. A message missing here is shown in English (tests/messages_check.sh lists them).
const std::vector<Entry>& french_catalog() {
  static const std::vector<Entry> catalog = {
      // Problem titles
      {"Bad request", "Requête invalide"},
      {"Authentication required", "Connexion requise"},
      {"Forbidden", "Action non autorisée"},
      {"Not found", "Introuvable"},
      {"Method not allowed", "Méthode non acceptée"},
      {"Conflict", "Conflit"},
      {"Payload too large", "Contenu trop volumineux"},
      {"Unsupported media type", "Type de contenu non accepté"},
      {"Invalid input", "Saisie invalide"},
      {"Upgrade required", "Mise à niveau du protocole requise"},
      {"Too many requests", "Trop de requêtes"},
      {"Request header fields too large", "En-têtes de requête trop volumineux"},
      {"Internal server error", "Erreur interne du serveur"},
      {"Service unavailable", "Service indisponible"},
      {"Error", "Erreur"},
      // HTTP layer
      {"Something went wrong on our side. It has been logged.",
       "Une erreur est survenue de notre côté. Elle a été enregistrée."},
      {"There is nothing at this address.", "Il n'y a rien à cette adresse."},
      {"This address does not accept {}.", "Cette adresse n'accepte pas {}."},
      {"Too many requests from your address. Please wait a moment and try again.",
       "Trop de requêtes depuis votre adresse. Patientez un instant puis réessayez."},
      {"The request body is larger than the {} bytes this address accepts.",
       "Le contenu de la requête dépasse les {} octets acceptés par cette adresse."},
      {"The X-CSRF-Token header is missing or wrong. Reload the page and try again.",
       "L'en-tête X-CSRF-Token est absent ou faux. Rechargez la page puis réessayez."},
      {"Please log in to continue.", "Connectez-vous pour continuer."},
      {"Please log in.", "Connectez-vous."},
      {"WebSocket connections are accepted from this site's pages only.",
       "Les connexions WebSocket ne sont acceptées que depuis les pages de ce site."},
      {"This address speaks WebSocket only: send an upgrade request.",
       "Cette adresse ne parle que WebSocket : envoyez une demande de mise à niveau."},
      {"Send the body as JSON (Content-Type: application/json).",
       "Envoyez le contenu en JSON (Content-Type: application/json)."},
      {"The request body is empty; JSON was expected.",
       "Le contenu de la requête est vide ; du JSON était attendu."},
      {"The request body is not valid JSON: {}.", "Le contenu de la requête n'est pas du JSON valide : {}."},
      {"The request body must be a JSON object.", "Le contenu de la requête doit être un objet JSON."},
      {"Must be a whole number from 1 to {}.", "Doit être un nombre entier de 1 à {}."},
      {"This cursor is not one the server gave.", "Ce curseur n'a pas été donné par le serveur."},
      {"The database is not reachable right now. Please try again in a moment.",
       "La base de données est injoignable pour le moment. Réessayez dans un instant."},
      {"The server is busy. Please try again in a moment.",
       "Le serveur est occupé. Réessayez dans un instant."},
      {"The database could not save this. Please try again in a moment.",
       "La base de données n'a pas pu l'enregistrer. Réessayez dans un instant."},
      {"The server is shutting down.", "Le serveur s'arrête."},
      {"Your role does not allow this action ({}).", "Votre rôle ne permet pas cette action ({})."},
      {"This action happens inside a school.", "Cette action se fait dans un établissement."},
      {"This already exists.", "Cela existe déjà."},
      // Field validation (json::Fields)
      {"Some fields are not valid: see the list of errors.",
       "Certains champs ne sont pas valides : voyez la liste des erreurs."},
      {"This field is required.", "Ce champ est obligatoire."},
      {"Must be a text value.", "Doit être un texte."},
      {"Must not contain control characters.", "Ne doit pas contenir de caractères de contrôle."},
      {"Must be at most {} characters long.", "Doit compter au plus {} caractères."},
      {"Must be a whole number.", "Doit être un nombre entier."},
      {"Must be a whole number from {} to {}.", "Doit être un nombre entier de {} à {}."},
      {"Must be true or false.", "Doit valoir true ou false."},
      {"Must be a list of text values.", "Doit être une liste de textes."},
      {"Must hold at most {} items.", "Doit contenir au plus {} éléments."},
      {"Must be a list of text values of at most {} characters.",
       "Doit être une liste de textes d'au plus {} caractères."},
      {"Too long.", "Trop long."},
      {"Use true or false.", "Utilisez true ou false."},
      // Accounts and sessions
      {"The email or the password is wrong. Check them, and the school, and try again.",
       "L'adresse e-mail ou le mot de passe est faux. Vérifiez-les, ainsi que l'établissement, puis "
       "réessayez."},
      {"Too many login attempts. Wait {} seconds before trying again.",
       "Trop de tentatives de connexion. Attendez {} secondes avant de réessayer."},
      {"Too many reset requests. Wait {} seconds before asking again.",
       "Trop de demandes de réinitialisation. Attendez {} secondes avant de redemander."},
      {"This account is disabled. Ask your school's administrator.",
       "Ce compte est désactivé. Adressez-vous à l'administrateur de votre établissement."},
      {"This school's space is suspended. Ask your school's administrator.",
       "L'espace de cet établissement est suspendu. Adressez-vous à son administrateur."},
      {"This link is not valid: it may have expired or been used already. Ask for a new one.",
       "Ce lien n'est pas valide : il a peut-être expiré ou déjà servi. Demandez-en un nouveau."},
      {"This account is already active: there is nothing to accept.",
       "Ce compte est déjà actif : il n'y a rien à accepter."},
      {"The current password is wrong.", "Le mot de passe actuel est faux."},
      {"Choose a password of at least 10 characters.", "Choisissez un mot de passe d'au moins 10 caractères."},
      {"Choose a password of at most 256 characters.", "Choisissez un mot de passe d'au plus 256 caractères."},
      {"The password is not valid text.", "Le mot de passe n'est pas un texte valide."},
      {"The password must not be your email address.",
       "Le mot de passe ne doit pas être votre adresse e-mail."},
      {"The password must not repeat a single character.",
       "Le mot de passe ne doit pas répéter un seul caractère."},
      {"This password is one of the most common ones. Choose another.",
       "Ce mot de passe fait partie des plus courants. Choisissez-en un autre."},
      {"Passwords are changed by their owner only.",
       "Seul le titulaire d'un compte peut changer son mot de passe."},
      {"Name the token after what will use it.", "Nommez le jeton d'après l'outil qui l'utilisera."},
      {"You already have {} API tokens. Revoke one you no longer use first.",
       "Vous avez déjà {} jetons d'API. Révoquez d'abord celui que vous n'utilisez plus."},
      {"No such API token.", "Ce jeton d'API n'existe pas."},
      // Profiles and pictures
      {"Give a name.", "Indiquez un nom."},
      {"Use fr or en.", "Utilisez fr ou en."},
      {"Only students have a learning profile.", "Seuls les élèves ont un profil d'apprentissage."},
      {"Unknown need '{}'.", "Besoin inconnu « {} »."},
      {"Send a PNG, JPEG or WebP picture.", "Envoyez une image PNG, JPEG ou WebP."},
      {"A picture may weigh at most 512 KiB.", "Une image pèse au plus 512 Kio."},
      {"This file is not the {} picture it claims to be.",
       "Ce fichier n'est pas l'image {} qu'il prétend être."},
      {"No picture.", "Aucune image."},
      // Schools
      {"Give the school a name.", "Donnez un nom à l'établissement."},
      {"Use an IANA time zone such as Europe/Paris.", "Utilisez un fuseau horaire IANA, par exemple Europe/Paris."},
      {"Use active or suspended.", "Utilisez active ou suspended."},
      {"Another school already uses the address '{}'. Choose another.",
       "Un autre établissement utilise déjà l'adresse « {} ». Choisissez-en une autre."},
      {"Already used by another school.", "Déjà utilisée par un autre établissement."},
      {"A school's address cannot change.", "L'adresse d'un établissement ne peut pas changer."},
      {"Only the platform can suspend a school.", "Seule la plateforme peut suspendre un établissement."},
      {"No such school.", "Cet établissement n'existe pas."},
      {"Use 2 to 40 lowercase letters, digits or dashes (it appears in the login form).",
       "Utilisez 2 à 40 minuscules, chiffres ou tirets (cela figure dans le formulaire de connexion)."},
      // Users
      {"Give a valid email address.", "Indiquez une adresse e-mail valide."},
      {"Give at least one role.", "Indiquez au moins un rôle."},
      {"Unknown role '{}': use school_admin, teacher, student or support.",
       "Rôle inconnu « {} » : utilisez school_admin, teacher, student ou support."},
      {"Unknown role.", "Rôle inconnu."},
      {"Use active or disabled.", "Utilisez active ou disabled."},
      {"A user with this email already exists in the school.",
       "Un utilisateur de l'établissement a déjà cette adresse e-mail."},
      {"A platform account with this email already exists.",
       "Un compte de la plateforme a déjà cette adresse e-mail."},
      {"Already used in this school.", "Déjà utilisée dans cet établissement."},
      {"An email address cannot change; create a new account instead.",
       "Une adresse e-mail ne peut pas changer ; créez plutôt un nouveau compte."},
      {"An invited user becomes active by accepting the invitation.",
       "Un utilisateur invité devient actif en acceptant l'invitation."},
      {"You cannot disable your own account.", "Vous ne pouvez pas désactiver votre propre compte."},
      {"You cannot delete your own account.", "Vous ne pouvez pas supprimer votre propre compte."},
      {"You cannot remove your own administrator role.",
       "Vous ne pouvez pas retirer votre propre rôle d'administrateur."},
      {"Remove this account's administrator role before deleting it.",
       "Retirez le rôle d'administrateur de ce compte avant de le supprimer."},
      {"No such user in this school.", "Cet utilisateur n'existe pas dans cet établissement."},
      {"No such user.", "Cet utilisateur n'existe pas."},
      {"Search for at most 100 characters of text.", "Cherchez au plus 100 caractères de texte."},
      // Classes and subjects
      {"Give the class a name.", "Donnez un nom à la classe."},
      {"Use the form 2026-2027.", "Utilisez la forme 2026-2027."},
      {"A class with this name already exists for this school year.",
       "Une classe porte déjà ce nom cette année scolaire."},
      {"Already used this school year.", "Déjà utilisé cette année scolaire."},
      {"Give the list of teachers (it may be empty).", "Donnez la liste des enseignants (elle peut être vide)."},
      {"Give the list of students (it may be empty).", "Donnez la liste des élèves (elle peut être vide)."},
      {"A class has at most {} teachers.", "Une classe compte au plus {} enseignants."},
      {"A class has at most {} students.", "Une classe compte au plus {} élèves."},
      {"No active {} of this school has the id {}.",
       "Aucun compte actif ({}) de cet établissement n'a l'identifiant {}."},
      {"No such class.", "Cette classe n'existe pas."},
      {"The school already has a subject with this name.", "L'établissement a déjà une matière de ce nom."},
      {"Already used by another subject.", "Déjà utilisé par une autre matière."},
      {"No such subject in this school.", "Cette matière n'existe pas dans cet établissement."},
      {"No such subject.", "Cette matière n'existe pas."},
      // CSV import
      {"Send the file as CSV (Content-Type: text/csv).", "Envoyez le fichier en CSV (Content-Type: text/csv)."},
      {"The file is empty.", "Le fichier est vide."},
      {"The file is not UTF-8 text. Export it as \"CSV UTF-8\".",
       "Le fichier n'est pas un texte UTF-8. Exportez-le en « CSV UTF-8 »."},
      {"The first line must name the columns: email and name (optional: role, class).",
       "La première ligne doit nommer les colonnes : email et nom (facultatives : rôle, classe)."},
      {"A file holds at most {} rows; split it in several imports.",
       "Un fichier compte au plus {} lignes ; répartissez-le en plusieurs imports."},
      {"A quoted value is never closed (line {}).", "Une valeur entre guillemets n'est jamais fermée (ligne {})."},
      {"The email address is not valid.", "L'adresse e-mail n'est pas valide."},
      {"The name is missing or longer than 120 characters.", "Le nom manque ou dépasse 120 caractères."},
      {"Unknown role '{}': use student or teacher.", "Rôle inconnu « {} » : utilisez student ou teacher."},
      {"This email appears earlier in the file.", "Cette adresse e-mail figure plus haut dans le fichier."},
      {"No class named '{}' this school year.", "Aucune classe nommée « {} » cette année scolaire."},
      // Support views
      {"No such job.", "Cette tâche n'existe pas."},
      {"Not a school id.", "Ce n'est pas un identifiant d'établissement."},
      {"Use queued, running, done, dead or failing.", "Utilisez queued, running, done, dead ou failing."},
      {"Only a dead job can be retried; this one is {}.",
       "Seule une tâche en échec peut être relancée ; celle-ci est à l'état {}."},
      // Learning paths and revision
      {"A lesson is read, not answered.",
       "Une leçon se lit, elle ne se répond pas."},
      {"A path has at most 100 steps.",
       "Un parcours compte au plus 100 étapes."},
      {"A single-answer question has one right option.",
       "Une question à réponse unique a une seule bonne option."},
      {"A step holds at most 2000 items.",
       "Une étape contient au plus 2000 éléments."},
      {"A tag is one word (use - or _ between words).",
       "Une étiquette est un seul mot (utilisez - ou _ entre les mots)."},
      {"An accepted answer is empty.",
       "Une réponse acceptée est vide."},
      {"An option is empty.",
       "Une option est vide."},
      {"Choose the subject.",
       "Choisissez la matière."},
      {"Each answer is the position (from 0) of an option.",
       "Chaque réponse est la position (à partir de 0) d'une option."},
      {"Give a date as YYYY-MM-DD.",
       "Donnez une date au format AAAA-MM-JJ."},
      {"Give a list of at most 100 steps.",
       "Donnez une liste d'au plus 100 étapes."},
      {"Give a list of at most 2000 items.",
       "Donnez une liste d'au plus 2000 éléments."},
      {"Give a title.",
       "Donnez un titre."},
      {"Give at least one accepted answer.",
       "Donnez au moins une réponse acceptée."},
      {"Give at least two options.",
       "Donnez au moins deux options."},
      {"Give the answer as an object.",
       "Donnez la réponse sous forme d'objet."},
      {"Give the options.",
       "Donnez les options."},
      {"Give the position (from 0) of each right option.",
       "Donnez la position (à partir de 0) de chaque bonne option."},
      {"Give the content.",
       "Donnez le contenu."},
      {"Give the date the step opens.",
       "Donnez la date d'ouverture de l'étape."},
      {"Choose another step of this path.",
       "Choisissez une autre étape de ce parcours."},
      {"Import cards into a cards or quiz step.",
       "Importez des cartes dans une étape de cartes ou de quiz."},
      {"List every step of the path once, in the new order.",
       "Listez chaque étape du parcours une fois, dans le nouvel ordre."},
      {"Mark at least one gap as {{c1::answer}}.",
       "Marquez au moins un trou sous la forme {{c1::réponse}}."},
      {"Memory settings are for teachers and students.",
       "Les réglages de mémorisation concernent les enseignants et les élèves."},
      {"Must be a number.",
       "Doit être un nombre."},
      {"Must be an object.",
       "Doit être un objet."},
      {"Must be between {} and {}.",
       "Doit être compris entre {} et {}."},
      {"Unknown field.",
       "Champ inconnu."},
      {"No card is waiting for an answer: finish the session.",
       "Aucune carte n'attend de réponse : terminez la séance."},
      {"No subject of this school has this id.",
       "Aucune matière de l'établissement n'a cet identifiant."},
      {"No such item.",
       "Élément introuvable."},
      {"No such learning path.",
       "Parcours introuvable."},
      {"No such revision session.",
       "Séance de révision introuvable."},
      {"No such step.",
       "Étape introuvable."},
      {"Only students revise.",
       "Seuls les élèves révisent."},
      {"Only the path's owner shares it.",
       "Seul le propriétaire du parcours peut le partager."},
      {"Remove the step's items before making it hold another kind of content.",
       "Retirez les éléments de l'étape avant de lui faire porter un autre type de contenu."},
      {"These prerequisites would wait on each other forever.",
       "Ces prérequis s'attendraient l'un l'autre indéfiniment."},
      {"This card was answered meanwhile, perhaps in another tab: reload the session.",
       "Cette carte a déjà reçu une réponse entre-temps, peut-être dans un autre onglet : rechargez la séance."},
      {"This answer is for another card than the one shown: reload the session.",
       "Cette réponse concerne une autre carte que celle affichée : rechargez la séance."},
      {"This page is for students.",
       "Cette page est réservée aux élèves."},
      {"This session is finished.",
       "Cette séance est terminée."},
      {"This step has no cards yet.",
       "Cette étape n'a pas encore de cartes."},
      {"This step is mastered by revising its cards, not by marking it as read.",
       "Cette étape se maîtrise en révisant ses cartes, pas en la marquant comme lue."},
      {"This step is not revised with cards: open it to read it.",
       "Cette étape ne se révise pas avec des cartes : ouvrez-la pour la lire."},
      {"This step is still locked: finish the steps before it first.",
       "Cette étape est encore verrouillée : terminez d'abord les étapes précédentes."},
      {"Nothing is due in this step today. Start a practice session to revise without changing your schedule.",
       "Rien n'est à revoir dans cette étape aujourd'hui. Lancez un entraînement pour réviser sans modifier votre planning."},
      {"Two options are the same.",
       "Deux options sont identiques."},
      {"Use draft, active or archived.",
       "Utilisez draft, active ou archived."},
      {"Use json, csv or gift.",
       "Utilisez json, csv ou gift."},
      {"Use lesson, cards, quiz or tutor.",
       "Utilisez lesson, cards, quiz ou tutor."},
      {"Use lesson, flashcard, cloze, choice or short_answer.",
       "Utilisez lesson, flashcard, cloze, choice ou short_answer."},
      {"Use lesson, flashcard, cloze, choice, short_answer, matching, numerical or ordering.",
       "Utilisez lesson, flashcard, cloze, choice, short_answer, matching, numerical ou ordering."},
      {"A range has a min and a max, the min not above the max.",
       "Un intervalle a un minimum et un maximum, le minimum n'étant pas au-dessus du maximum."},
      {"A step is empty or written twice.", "Une étape est vide ou écrite deux fois."},
      {"A value is a number, with a tolerance of 0 or more.",
       "Une valeur est un nombre, avec une tolérance de 0 ou plus."},
      {"A wrong answer is empty or is one of the right ones.",
       "Une mauvaise réponse est vide ou fait partie des bonnes."},
      {"Each accepted number is a value with its tolerance or a range from min to max.",
       "Chaque nombre accepté est une valeur avec sa tolérance ou un intervalle de min à max."},
      {"Each pair has a left and a right text (at most 500 characters).",
       "Chaque paire a un texte à gauche et un texte à droite (500 caractères au plus)."},
      {"Each unit has a distinct name (at most 20 characters) and a multiplier above 0.",
       "Chaque unité a un nom distinct (20 caractères au plus) et un multiplicateur supérieur à 0."},
      {"Give at most 10 units, each with its name and multiplier.",
       "Donnez au plus 10 unités, chacune avec son nom et son multiplicateur."},
      {"Give from 1 to 10 accepted numbers, each a value with its tolerance or a range from min to max.",
       "Donnez de 1 à 10 nombres acceptés, chacun une valeur avec sa tolérance ou un intervalle de min à max."},
      {"Give from 2 to 20 pairs, each with a left and a right side.",
       "Donnez de 2 à 20 paires, chacune avec un côté gauche et un côté droit."},
      {"Give from 2 to 20 steps, in the right order.", "Donnez de 2 à 20 étapes, dans le bon ordre."},
      {"Give the units the answer may use.", "Donnez les unités que la réponse peut employer."},
      {"Two pairs have the same left side.", "Deux paires ont le même côté gauche."},
      {"Give one choice per line, in order ({}): the position of the answer chosen, or null.",
       "Donnez un choix par ligne, dans l'ordre ({}) : la position de la réponse choisie, ou null."},
      {"Each choice is the position (from 0) of an answer offered, or null.",
       "Chaque choix est la position (à partir de 0) d'une réponse proposée, ou null."},
      {"Type a number (at most 100 characters).", "Tapez un nombre (100 caractères au plus)."},
      {"Type a number, such as 3.14 or 3,14.", "Tapez un nombre, comme 3,14 ou 3.14."},
      {"Type only a number.", "Tapez seulement un nombre."},
      {"Use one of these units: {}.", "Employez l'une de ces unités : {}."},
      {"Give every step once, by its position (from 0) as shown, in the order you choose.",
       "Donnez chaque étape une fois, par sa position (à partir de 0) telle qu'affichée, dans l'ordre que vous choisissez."},
      {"Use open, sequential, prerequisite or date.",
       "Utilisez open, sequential, prerequisite ou date."},
      {"Use pending, validated or rejected.",
       "Utilisez pending, validated ou rejected."},
      {"Use manual, imported or generated.",
       "Utilisez manual, imported ou generated."},
      {"Use review or practice.",
       "Utilisez review ou practice."},
      {"Write something here.",
       "Écrivez quelque chose ici."},
      {"Rate yourself from 1 (again) to 4 (easy).",
       "Évaluez-vous de 1 (à revoir) à 4 (facile)."},
      {"Each answer is a text of at most 500 characters.",
       "Chaque réponse est un texte d'au plus 500 caractères."},
      {"Give the positions of the options chosen.",
       "Donnez les positions des options choisies."},
      {"Each choice is the position (from 0) of an option.",
       "Chaque choix est la position (à partir de 0) d'une option."},
      {"Choose one option.",
       "Choisissez une seule option."},
      {"Type your answer (at most 500 characters).",
       "Tapez votre réponse (au plus 500 caractères)."},
      {"This step holds lessons only.",
       "Cette étape ne contient que des leçons."},
      {"This step holds cards and questions, not lessons.",
       "Cette étape contient des cartes et des questions, pas des leçons."},
      {"Your teachers set this; you may only aim for a higher retention.",
       "Vos enseignants fixent ce réglage ; vous pouvez seulement viser une meilleure rétention."},
      {"A card needs a front and a back.",
       "Une carte a besoin d'un recto et d'un verso."},
      {"A side is longer than 2000 characters.",
       "Une face dépasse 2000 caractères."},
      {"The step already has a card with this front.",
       "L'étape a déjà une carte avec ce recto."},
      {"The step is full (2000 items).",
       "L'étape est pleine (2000 éléments)."},
      {"Each step is an object.",
       "Chaque étape est un objet."},
      {"Each item is an object.",
       "Chaque élément est un objet."},
      {"Assign only classes you teach ({}).",
       "N'assignez que des classes où vous enseignez ({})."},
      {"No student of this school has the id {}.",
       "Aucun élève de l'établissement n'a l'identifiant {}."},
      {"Assign only students of your classes ({}).",
       "N'assignez que des élèves de vos classes ({})."},
      {"No teacher of this school has the id {}.",
       "Aucun enseignant de l'établissement n'a l'identifiant {}."},
      {"Give one answer per blank, in order ({}).",
       "Donnez une réponse par trou, dans l'ordre ({})."},
      {"This file is not an Anki package (.apkg): it is not a zip archive.",
       "Ce fichier n'est pas un paquet Anki (.apkg) : ce n'est pas une archive zip."},
      {"This zip is not an Anki package (.apkg): it holds no collection.",
       "Ce zip n'est pas un paquet Anki (.apkg) : il ne contient aucune collection."},
      {"The package is damaged: a file inside cannot be read.",
       "Le paquet est abîmé : un fichier qu'il contient est illisible."},
      {"The package is damaged: a compressed part cannot be read.",
       "Le paquet est abîmé : une partie compressée est illisible."},
      {"The package is damaged: a compressed part is cut short.",
       "Le paquet est abîmé : une partie compressée est tronquée."},
      {"The package is damaged: its media list cannot be read.",
       "Le paquet est abîmé : sa liste de médias est illisible."},
      {"The package is damaged: its media list is too large.",
       "Le paquet est abîmé : sa liste de médias est trop grande."},
      {"The package is damaged: its collection is not a database.",
       "Le paquet est abîmé : sa collection n'est pas une base de données."},
      {"The package is damaged or too old: its collection lacks what Anki writes.",
       "Le paquet est abîmé ou trop ancien : il manque à sa collection ce qu'Anki y écrit."},
      {"The package is damaged: its collection cannot be read.",
       "Le paquet est abîmé : sa collection est illisible."},
      {"The package is damaged: its note types cannot be read.",
       "Le paquet est abîmé : ses types de notes sont illisibles."},
      {"The package holds more than 20,000 notes; split the deck.",
       "Le paquet contient plus de 20 000 notes ; divisez le paquet."},
      {"The collection in this package is larger than 128 MiB; split the deck.",
       "La collection de ce paquet dépasse 128 Mio ; divisez le paquet."},
      {"A description, not a question: nothing between { and }.",
       "Une description, pas une question : rien entre { et }."},
      {"The answers are not closed with }.",
       "Les réponses ne sont pas fermées par }."},
      {"Essay questions are marked by hand; they are not imported.",
       "Les questions ouvertes sont corrigées à la main ; elles ne sont pas importées."},
      {"This number, range or tolerance cannot be read.",
       "Ce nombre, cet intervalle ou cette tolérance est illisible."},
      {"No answer has full marks: a card needs one right answer.",
       "Aucune réponse n'a tous les points : une carte a besoin d'une bonne réponse."},
      {"Answers with partial credit were left out: a card is right or wrong.",
       "Les réponses à crédit partiel ont été écartées : une carte est juste ou fausse."},
      {"Each pair of a matching question is written left -> right.",
       "Chaque paire d'une question d'appariement s'écrit gauche -> droite."},
      {"Mark the right answer with = and the wrong ones with ~.",
       "Marquez la bonne réponse avec = et les mauvaises avec ~."},
      {"This note type has one field; a card needs a front and a back.",
       "Ce type de note n'a qu'un champ ; une carte a besoin d'un recto et d'un verso."},
      {"Send a CSV file (text/csv), a GIFT file (text/plain with format=gift) or an Anki package (application/zip).",
       "Envoyez un fichier CSV (text/csv), un fichier GIFT (text/plain avec format=gift) ou un paquet Anki (application/zip)."},
      {"Use csv, gift or apkg.",
       "Utilisez csv, gift ou apkg."},
      {"Send a CSV or GIFT file as text (Content-Type: text/csv or text/plain).",
       "Envoyez un fichier CSV ou GIFT en texte (Content-Type: text/csv ou text/plain)."},
      {"A CSV or GIFT file may weigh at most 4 MiB.",
       "Un fichier CSV ou GIFT ne peut pas dépasser 4 Mio."},
      {"The file holds no card or question.",
       "Le fichier ne contient aucune carte ni question."},
      {"A picture or sound was left out: it is missing, larger than 2 MiB, or of a kind Mnemos cannot show.",
       "Une image ou un son a été laissé de côté : absent, de plus de 2 Mio, ou d'un type que Mnemos ne sait pas montrer."},
      {"The step already has this question.",
       "L'étape a déjà cette question."},
      {"Send a picture (PNG, JPEG, WebP or GIF) or a sound (MP3, Ogg, WAV or M4A).",
       "Envoyez une image (PNG, JPEG, WebP ou GIF) ou un son (MP3, Ogg, WAV ou M4A)."},
      {"A picture or sound may weigh at most 2 MiB.",
       "Une image ou un son ne peut pas dépasser 2 Mio."},
      {"This file is not the picture or sound it claims to be.",
       "Ce fichier n'est pas l'image ou le son qu'il prétend être."},
      {"No such media file.",
       "Ce fichier n'existe pas."},
      {"True",
       "Vrai"},
      {"False",
       "Faux"},
      // Generic fallbacks (after the specific entries above)
      {"No such {}.", "Introuvable : {}."},
      // Classroom review (issue #4)
      {"A path is published with at least one validated lesson or card: add or validate one first.",
       "Un parcours se publie avec au moins une leçon ou une carte validée : ajoutez-en ou validez-en une d'abord."},
      {"A file name may not hold control characters.",
       "Un nom de fichier ne peut pas contenir de caractères de contrôle."},
      {"Too many wrong passwords. Wait {} seconds before trying again.",
       "Trop de mots de passe erronés. Attendez {} secondes avant de réessayer."},
      {"A school administrator chooses their own password from the invitation.",
       "Un administrateur d'établissement choisit son mot de passe depuis l'invitation."},
  };
  return catalog;
}

namespace {

// Matches `text` against `pattern` ({} = any non-empty text); the captures in order.
bool match(std::string_view pattern, std::string_view text, std::vector<std::string_view>& captures) {
  captures.clear();
  std::size_t p = 0, t = 0;
  while (p < pattern.size()) {
    const auto hole = pattern.find("{}", p);
    const auto literal = pattern.substr(p, hole == std::string_view::npos ? std::string_view::npos : hole - p);
    if (text.substr(t, literal.size()) != literal) return false;
    t += literal.size();
    if (hole == std::string_view::npos) return t == text.size();
    p = hole + 2;
    // The capture runs to the next literal (or to the end when the hole is last).
    const auto next_hole = pattern.find("{}", p);
    const auto next_literal =
        pattern.substr(p, next_hole == std::string_view::npos ? std::string_view::npos : next_hole - p);
    std::size_t end;
    if (next_literal.empty()) {
      end = text.size();
    } else if (next_hole == std::string_view::npos) {
      // Last literal: it must end the text.
      if (text.size() < t + next_literal.size() + 1 ||
          text.substr(text.size() - next_literal.size()) != next_literal) {
        return false;
      }
      end = text.size() - next_literal.size();
    } else {
      end = text.find(next_literal, t + 1);
      if (end == std::string_view::npos) return false;
    }
    if (end <= t) return false;
    captures.push_back(text.substr(t, end - t));
    t = end;
  }
  return t == text.size();
}

}  // namespace

std::string translate(std::string_view locale, std::string_view english) {
  if (locale != "fr") return std::string(english);
  std::vector<std::string_view> captures;
  for (const auto& entry : french_catalog()) {
    if (entry.english.find("{}") == std::string_view::npos) {
      if (entry.english == english) return std::string(entry.french);
      continue;
    }
    if (!match(entry.english, english, captures)) continue;
    std::string out;
    std::size_t from = 0, index = 0;
    while (true) {
      const auto hole = entry.french.find("{}", from);
      out.append(entry.french.substr(from, hole == std::string_view::npos ? std::string_view::npos : hole - from));
      if (hole == std::string_view::npos) break;
      if (index < captures.size()) out.append(captures[index++]);
      from = hole + 2;
    }
    return out;
  }
  return std::string(english);
}

std::string preferred_locale(std::string_view accept_language, std::string_view fallback) {
  // "fr-FR,fr;q=0.9,en;q=0.8": the first language we speak, in the order given (browsers list
  // them by preference; weights are not needed for two languages).
  std::size_t from = 0;
  while (from < accept_language.size()) {
    auto end = accept_language.find(',', from);
    if (end == std::string_view::npos) end = accept_language.size();
    auto item = accept_language.substr(from, end - from);
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    const auto tag = item.substr(0, std::min(item.find_first_of("-;_ "), item.size()));
    if (tag.size() == 2) {
      const char a = static_cast<char>(tag[0] | 0x20), b = static_cast<char>(tag[1] | 0x20);
      if (a == 'f' && b == 'r') return "fr";
      if (a == 'e' && b == 'n') return "en";
    }
    from = end + 1;
  }
  return std::string(fallback);
}

}  // namespace mnemos::messages
