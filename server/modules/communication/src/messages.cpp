// The communication module's messages in French (docs/api.md, "Language of messages");
// tests/messages_check.sh lists any message of the module's code missing from every catalog. A
// message another catalog already holds is not repeated here.
#include "messages.hpp"

namespace mnemos::communication {

const std::vector<messages::Entry>& french_messages() {
  static const std::vector<messages::Entry> catalog = {
      // Conversations
      {"A conversation has at most 50 people.",
       "Une conversation réunit au plus 50 personnes."},
      {"A title is at most 100 characters long.",
       "Un titre compte au plus 100 caractères."},
      {"Choose at least one person to write to.",
       "Choisissez au moins une personne à qui écrire."},
      {"Conversations are for the people of a school.",
       "Les conversations sont réservées aux membres d'un établissement."},
      {"Each participant is a person's id.",
       "Chaque participant est l'identifiant d'une personne."},
      {"No conversation of yours has this id.",
       "Aucune de vos conversations n'a cet identifiant."},
      {"No one of this school has one of these ids.",
       "Personne dans cet établissement n'a l'un de ces identifiants."},
      {"No path you may use has this id.",
       "Aucun parcours auquel vous avez accès n'a cet identifiant."},
      {"You may not write to this person.",
       "Vous ne pouvez pas écrire à cette personne."},
      {"You may no longer write to this person.",
       "Vous ne pouvez plus écrire à cette personne."},
      // Messages
      {"A message can be changed for 15 minutes after it is sent.",
       "Un message peut être modifié pendant 15 minutes après son envoi."},
      {"A message is at most 4000 characters long.",
       "Un message compte au plus 4000 caractères."},
      {"A message may not hold control characters.",
       "Un message ne peut pas contenir de caractères de contrôle."},
      {"An Idempotency-Key is 1 to 100 printable characters without spaces.",
       "Une Idempotency-Key compte de 1 à 100 caractères imprimables, sans espace."},
      {"Ask for 1 to 100 messages.",
       "Demandez de 1 à 100 messages."},
      {"Ask for 1 to 50 messages.",
       "Demandez de 1 à 50 messages."},
      {"Ask for messages after one or before one, not both.",
       "Demandez les messages après un message ou avant, pas les deux."},
      {"No message of this conversation has this id.",
       "Aucun message de cette conversation n'a cet identifiant."},
      {"This Idempotency-Key was used for another message.",
       "Cette Idempotency-Key a servi pour un autre message."},
      {"This message holds a word the school does not allow: {}.",
       "Ce message contient un mot que l'établissement n'autorise pas : {}."},
      {"This message was deleted.",
       "Ce message a été supprimé."},
      {"Write a message.",
       "Écrivez un message."},
      {"You are sending messages too fast. Wait a moment and send it again.",
       "Vous envoyez des messages trop vite. Attendez un instant puis renvoyez-le."},
      {"You may only change your own messages.",
       "Vous ne pouvez modifier que vos propres messages."},
      // Search
      {"A search is at most 100 characters long.",
       "Une recherche compte au plus 100 caractères."},
      {"A search is at most 200 characters long.",
       "Une recherche compte au plus 200 caractères."},
      {"Search for at least 2 characters.",
       "Cherchez au moins 2 caractères."},
      // Reports
      {"A reason is at most 1000 characters long.",
       "Une raison compte au plus 1000 caractères."},
      {"Choose open or all.",
       "Choisissez open ou all."},
      {"No report of this school has this id.",
       "Aucun signalement de cet établissement n'a cet identifiant."},
      {"Say what is wrong with this message.",
       "Dites ce qui ne va pas dans ce message."},
      {"You cannot report your own message.",
       "Vous ne pouvez pas signaler votre propre message."},
      // The school's rules
      {"A blocked word holds at least one letter or digit.",
       "Un mot bloqué contient au moins une lettre ou un chiffre."},
      {"A blocked word is at most 60 characters long.",
       "Un mot bloqué compte au plus 60 caractères."},
      {"A school blocks at most 200 words.",
       "Un établissement bloque au plus 200 mots."},
  };
  return catalog;
}

}  // namespace mnemos::communication
