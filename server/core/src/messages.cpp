#include <mnemos/core/messages.hpp>

#include <algorithm>
#include <mutex>
#include <optional>

namespace mnemos::messages {

// The messages of core, http and the app, with their French; each module registers its own
// catalog (add_catalog). Keep the {} in the same order in both columns. A message missing from
// every catalog is shown in English (tests/messages_check.sh lists them).
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
      {"Your school's space is read-only until its overdue invoice is paid (Subscription page).",
       "L'espace de votre établissement est en lecture seule jusqu'au paiement de la facture en retard (page Abonnement)."},
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
      // Support views
      {"No such job.", "Cette tâche n'existe pas."},
      {"Not a school id.", "Ce n'est pas un identifiant d'établissement."},
      {"Use queued, running, done, dead or failing.", "Utilisez queued, running, done, dead ou failing."},
      {"Only a dead job can be retried; this one is {}.",
       "Seule une tâche en échec peut être relancée ; celle-ci est à l'état {}."},
      // Generic fallbacks (after the specific entries above)
      {"No such {}.", "Introuvable : {}."},
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

namespace {
std::mutex registry_mutex;
// The modules' catalogs, then core's last: its generic patterns ("No such {}.") only catch what
// no module says more precisely.
std::vector<const std::vector<Entry>*>& registry() {
  static std::vector<const std::vector<Entry>*> catalogs;
  return catalogs;
}
}  // namespace

void add_catalog(const std::vector<Entry>& french) {
  const std::lock_guard lock(registry_mutex);
  auto& catalogs = registry();
  if (std::find(catalogs.begin(), catalogs.end(), &french) == catalogs.end()) catalogs.push_back(&french);
}

std::vector<const std::vector<Entry>*> catalogs() {
  std::vector<const std::vector<Entry>*> all;
  {
    const std::lock_guard lock(registry_mutex);
    all = registry();
  }
  all.push_back(&french_catalog());
  return all;
}

// `english` filled into `entry`'s French when it is that message or matches its pattern.
std::optional<std::string> translated(const Entry& entry, std::string_view english,
                                      std::vector<std::string_view>& captures) {
  if (entry.english.find("{}") == std::string_view::npos) {
    if (entry.english == english) return std::string(entry.french);
    return std::nullopt;
  }
  if (!match(entry.english, english, captures)) return std::nullopt;
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

std::string translate(std::string_view locale, std::string_view english) {
  if (locale != "fr") return std::string(english);
  std::vector<std::string_view> captures;
  for (const auto* catalog : catalogs()) {
    for (const auto& entry : *catalog) {
      if (auto out = translated(entry, english, captures)) return std::move(*out);
    }
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
