// The billing module's messages in French (docs/api.md, "Language of messages");
// tests/messages_check.sh lists any message of the module's code missing from every catalog.
#include "messages.hpp"

namespace mnemos::billing {

const std::vector<messages::Entry>& french_messages() {
  static const std::vector<messages::Entry> catalog = {
      // Plans
      {"A currency is an ISO 4217 code such as EUR.",
       "Une devise est un code ISO 4217, comme EUR."},
      {"A plan already has this code.",
       "Un forfait a déjà ce code."},
      {"A plan's code cannot change.",
       "Le code d'un forfait ne change pas."},
      {"A plan's code is 2 to 40 lowercase letters, digits or dashes.",
       "Le code d'un forfait compte de 2 à 40 lettres minuscules, chiffres ou tirets."},
      {"A plan's name is 1 to 100 characters long.",
       "Le nom d'un forfait compte de 1 à 100 caractères."},
      {"A price is in cents, from 0 to 100000000.",
       "Un prix s'écrit en centimes, de 0 à 100000000."},
      {"A trial lasts 0 to 365 days.",
       "Un essai dure de 0 à 365 jours."},
      {"Already used by a plan.",
       "Déjà utilisé par un forfait."},
      {"An AI quota is from 0 to 100000000 requests a month, or null for none.",
       "Un quota d'IA va de 0 à 100000000 requêtes par mois, ou null pour aucun."},
      {"An archived plan cannot be the default one.",
       "Un forfait archivé ne peut pas être le forfait par défaut."},
      {"Give the monthly price in cents.",
       "Indiquez le prix mensuel en centimes."},
      {"Give the number of students included.",
       "Indiquez le nombre d'élèves inclus."},
      {"Give the number of teachers included.",
       "Indiquez le nombre d'enseignants inclus."},
      {"No plan has this id.",
       "Aucun forfait n'a cet identifiant."},
      {"Seats are counted from 0 to 1000000.",
       "Les places se comptent de 0 à 1000000."},
      // Subscriptions
      {"A SIREN is 9 digits with a valid check digit.",
       "Un SIREN compte 9 chiffres, dont une clé de contrôle valide."},
      {"A SIRET is 14 digits with a valid check digit.",
       "Un SIRET compte 14 chiffres, dont une clé de contrôle valide."},
      {"A SIRET starts with the school's SIREN.",
       "Un SIRET commence par le SIREN de l'établissement."},
      {"A VAT number starts with its country's two letters (FR and 11 digits in France).",
       "Un numéro de TVA commence par les deux lettres de son pays (FR et 11 chiffres en France)."},
      {"A bank transfer is made by the school: automatic payment needs a card or SEPA direct debit.",
       "Un virement est fait par l'établissement : le paiement automatique demande une carte ou un prélèvement SEPA."},
      {"A country is a two-letter ISO 3166 code such as FR.",
       "Un pays est un code ISO 3166 de deux lettres, comme FR."},
      {"A suspended or canceled subscription changes plan once it is settled.",
       "Un abonnement suspendu ou résilié change de forfait une fois régularisé."},
      {"Choose one of the plans on offer.",
       "Choisissez l'un des forfaits proposés."},
      {"Choose transfer, card or sepa_debit.",
       "Choisissez transfer, card ou sepa_debit."},
      {"The billing day is from 1 to 28.",
       "Le jour de facturation va de 1 à 28."},
      {"This field is too long or holds control characters.",
       "Ce champ est trop long ou contient des caractères de contrôle."},
      {"This school has no subscription yet.",
       "Cet établissement n'a pas encore d'abonnement."},
      // What a plan allows (policy.cpp, service.cpp)
      {"The plan {} includes {} teachers. Free a seat or move the school to a bigger plan (Subscription page).",
       "Le forfait {} comprend {} enseignants. Libérez une place ou passez à un forfait plus grand (page Abonnement)."},
      {"The plan {} includes {} students. Free a seat or move the school to a bigger plan (Subscription page).",
       "Le forfait {} comprend {} élèves. Libérez une place ou passez à un forfait plus grand (page Abonnement)."},
      {"The plan {} does not include the AI tutor. Move the school to a plan that does (Subscription page).",
       "Le forfait {} ne comprend pas le tuteur IA. Passez à un forfait qui le comprend (page Abonnement)."},
      {"The plan {} does not include video rooms. Move the school to a plan that does (Subscription page).",
       "Le forfait {} ne comprend pas les salles vidéo. Passez à un forfait qui les comprend (page Abonnement)."},
      {"The plan {} includes {} teachers and the school has {}.",
       "Le forfait {} comprend {} enseignants et l'établissement en a {}."},
      {"The plan {} includes {} students and the school has {}.",
       "Le forfait {} comprend {} élèves et l'établissement en a {}."},
  };
  return catalog;
}

}  // namespace mnemos::billing
