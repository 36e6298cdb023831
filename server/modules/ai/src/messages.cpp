// The ai module's messages in French (docs/api.md, "Language of messages"); tests/messages_check.sh
// lists any message of the module's code missing from every catalog. A message another catalog
// already holds ("The file is empty.") is not repeated here.
#include "messages.hpp"

namespace mnemos::ai {

const std::vector<messages::Entry>& french_messages() {
  static const std::vector<messages::Entry> catalog = {
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
