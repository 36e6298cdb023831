// The ai module's messages in French (docs/api.md, "Language of messages"); tests/messages_check.sh
// lists any message of the module's code missing from every catalog. A message another catalog
// already holds ("The file is empty.") is not repeated here.
#include "messages.hpp"

namespace mnemos::ai {

const std::vector<messages::Entry>& french_messages() {
  static const std::vector<messages::Entry> catalog = {
      // Agents and the tutor
      {"A level is at most 100 characters long.",
       "Un niveau compte au plus 100 caractères."},
      {"A question is at most 2000 characters long.",
       "Une question compte au plus 2000 caractères."},
      {"A question may not hold control characters.",
       "Une question ne peut pas contenir de caractères de contrôle."},
      {"An agent uses at most 200 sources.",
       "Un agent utilise au plus 200 sources."},
      {"Ask a question.",
       "Posez une question."},
      {"Choose fr or en.",
       "Choisissez fr ou en."},
      {"Choose hints_only, explain or full_answers.",
       "Choisissez hints_only, explain ou full_answers."},
      {"Instructions are at most 4000 characters long.",
       "Les consignes comptent au plus 4000 caractères."},
      {"No conversation of yours on this path has this id.",
       "Aucune de vos conversations sur ce parcours n'a cet identifiant."},
      {"No source of this school has the id {}.",
       "Aucune source de cet établissement n'a l'identifiant {}."},
      {"The tutor could not answer. Try again in a moment.",
       "Le tuteur n'a pas pu répondre. Réessayez dans un instant."},
      {"This step is not part of the path.",
       "Cette étape ne fait pas partie du parcours."},
      {"You have asked the tutor {} questions in the last 24 hours: the tutor rests until tomorrow. Your teacher can help meanwhile.",
       "Vous avez posé {} questions au tuteur en 24 heures : il se repose jusqu'à demain. Votre professeur peut vous aider en attendant."},
      // Generation
      {"Ask for 1 to 30 cards.",
       "Demandez de 1 à 30 cartes."},
      {"Choose among flashcard, cloze and choice.",
       "Choisissez parmi flashcard, cloze et choice."},
      {"This path has no ready source to make cards from: add a document first.",
       "Ce parcours n'a aucune source prête pour en tirer des cartes : ajoutez d'abord un document."},
      // Sources
      {"A search is at most 1000 characters long.",
       "Une recherche compte au plus 1000 caractères."},
      {"A search may not hold control characters.",
       "Une recherche ne peut pas contenir de caractères de contrôle."},
      {"A source may weigh at most 20 MiB.",
       "Une source pèse au plus 20 Mio."},
      {"Ask for 1 to 20 passages.",
       "Demandez de 1 à 20 passages."},
      {"No such source.",
       "Source introuvable."},
      {"Send a PDF, Markdown, text or HTML file.",
       "Envoyez un fichier PDF, Markdown, texte ou HTML."},
      {"The school's space for sources is full: delete sources it no longer needs, or ask the platform to enlarge it.",
       "L'espace de l'établissement pour les sources est plein : supprimez les sources devenues inutiles, ou demandez à la plateforme de l'agrandir."},
      {"This PDF could not be read in reasonable time and memory: it may be damaged. Save it again as PDF, or send its text.",
       "Ce PDF n'a pas pu être lu en un temps et une mémoire raisonnables : il est peut-être endommagé. Enregistrez-le de nouveau en PDF, ou envoyez son texte."},
      {"This PDF has more than 2000 pages: send it in parts.",
       "Ce PDF compte plus de 2000 pages : envoyez-le en plusieurs parties."},
      {"This PDF has no text layer (scanned pages are pictures of text): send a PDF made from the document itself, or its text.",
       "Ce PDF n'a pas de couche de texte (des pages numérisées sont des images du texte) : envoyez un PDF produit depuis le document lui-même, ou son texte."},
      {"This PDF is damaged: Mnemos could not open it. Save it again as PDF and send it.",
       "Ce PDF est endommagé : Mnemos n'a pas pu l'ouvrir. Enregistrez-le de nouveau en PDF et envoyez-le."},
      {"This PDF is protected by a password: send a copy without protection.",
       "Ce PDF est protégé par un mot de passe : envoyez-en une copie sans protection."},
      {"This file holds binary data, not text.",
       "Ce fichier contient des données binaires, pas du texte."},
      {"This file holds no text to learn from.",
       "Ce fichier ne contient aucun texte à étudier."},
      {"This file is a PDF: send it as application/pdf.",
       "Ce fichier est un PDF : envoyez-le comme application/pdf."},
      {"This file is a ZIP archive (a Word or OpenDocument file, perhaps), not a source Mnemos reads: send a PDF, Markdown, text or HTML file.",
       "Ce fichier est une archive ZIP (un document Word ou OpenDocument, peut-être), pas une source que Mnemos sait lire : envoyez un fichier PDF, Markdown, texte ou HTML."},
      {"This file is a picture: send a PDF, Markdown, text or HTML file.",
       "Ce fichier est une image : envoyez un fichier PDF, Markdown, texte ou HTML."},
      {"This file is an old Office document: save it as PDF and send that.",
       "Ce fichier est un ancien document Office : enregistrez-le en PDF et envoyez celui-ci."},
      {"This file is not a PDF: its bytes do not start like one.",
       "Ce fichier n'est pas un PDF : ses octets ne commencent pas comme ceux d'un PDF."},
      {"This text is not in UTF-8: save it as UTF-8 and send it again.",
       "Ce texte n'est pas en UTF-8 : enregistrez-le en UTF-8 et envoyez-le de nouveau."},
  };
  return catalog;
}

}  // namespace mnemos::ai
