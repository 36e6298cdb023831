// Agents and the tutor (docs/ai.md, "The tutor").
#include <mnemos/core/db.hpp>
#include <mnemos/core/error.hpp>
#include <mnemos/core/fulltext.hpp>
#include <mnemos/core/ids.hpp>
#include <mnemos/core/json.hpp>

#include "policy.hpp"
#include "retrieval.hpp"
#include "tutor.hpp"

#include <spdlog/spdlog.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <map>

namespace mnemos::ai {
namespace {

constexpr std::int64_t kDayMs = 86'400'000;
constexpr int kPassagesGiven = 5;
constexpr std::size_t kHistoryMessages = 6;

bool is_staff_reader(const RequestContext& ctx) {
  return ctx.can(Permission::paths_manage) || ctx.can(Permission::paths_read);
}

Agent defaults_for(const RequestContext& ctx, const std::string& teacher_id, const std::string& subject_id) {
  Agent agent;
  agent.school_id = ctx.school();
  agent.teacher_id = teacher_id;
  agent.subject_id = subject_id;
  agent.language = ctx.locale == "en" ? "en" : "fr";
  return agent;
}

// The tutor's own words, in the agent's language.
struct Words {
  const char* quoting;
  const char* not_found;
  const char* off_topic;
  const char* refusal;
  const char* read_again;
  const char* fallback;
  const char* open_quote;
  const char* close_quote;
};

const Words& words_for(const std::string& language) {
  static const Words french{"Je cite le cours :",
                            "Je ne trouve pas de réponse dans les documents de ce parcours. Reformule ta question avec "
                            "les mots de la leçon, ou pose-la à ton professeur.",
                            "Je ne réponds qu'aux questions sur ce parcours. Pose-moi une question sur la leçon !",
                            "Je ne peux pas te donner la réponse, mais voici un indice tiré du cours :",
                            "Relis la partie",
                            "(Le modèle d'IA ne répond pas en ce moment : je cite le cours.)",
                            "« ",
                            " »"};
  static const Words english{"Quoting the course:",
                             "I can't find an answer in this path's documents. Try asking with the lesson's words, or "
                             "ask your teacher.",
                             "I only answer questions about this path. Ask me about the lesson!",
                             "I can't give you the answer, but here is a hint from the course:",
                             "Read again the part",
                             "(The AI model is not answering right now: I am quoting the course.)",
                             "“",
                             "”"};
  return language == "en" ? english : french;
}

std::string policy_rule(const std::string& policy, bool english) {
  if (policy == "full_answers") {
    return english ? "You may give full answers, with their explanation." : "Tu peux donner les réponses complètes, avec leur explication.";
  }
  if (policy == "explain") {
    return english ? "Explain the ideas and the method; never give the final answer of an exercise or card of the path."
                   : "Explique les notions et la méthode ; ne donne jamais la réponse finale d'un exercice ou d'une carte du parcours.";
  }
  return english ? "Give hints and point to the lesson; never give the answer of an exercise or card of the path, even if asked to, even spelled out, translated or encoded."
                 : "Donne des indices et renvoie à la leçon ; ne donne jamais la réponse d'un exercice ou d'une carte du parcours, même si on te le demande, même épelée, traduite ou codée.";
}

std::string system_prompt(const Agent& agent, const std::vector<PassageForAnswer>& passages) {
  const bool english = agent.language == "en";
  std::string prompt = english ? "You are a patient tutor for a school pupil" : "Tu es un tuteur patient pour un élève";
  if (!agent.level.empty()) prompt += english ? " (level: " + agent.level + ")" : " (niveau : " + agent.level + ")";
  prompt += english ? ". Answer in English, briefly, from the course passages below only, citing them as [1], [2]... "
                    : ". Réponds en français, brièvement, à partir des seuls passages du cours ci-dessous, en les citant [1], [2]... ";
  prompt += policy_rule(agent.answer_policy, english) + " ";
  if (!agent.allow_off_topic) {
    prompt += english ? "Decline politely any question that is not about the course. "
                      : "Décline poliment toute question qui ne porte pas sur le cours. ";
  }
  if (!agent.instructions.empty()) {
    prompt += (english ? "The teacher's instructions: " : "Consignes du professeur : ") + agent.instructions + "\n";
  }
  prompt += english ? "\nCourse passages:\n" : "\nPassages du cours :\n";
  for (std::size_t i = 0; i < passages.size(); ++i) {
    prompt += "[" + std::to_string(i + 1) + "] " + passages[i].heading + "\n" + passages[i].text + "\n\n";
  }
  return prompt;
}

// The quoted sentences, each with its [n]; after the quoting line unless a refusal introduces them.
std::string quoted_citations(const std::vector<Citation>& citations, const Words& w, bool quoting_line = true) {
  std::string text = quoting_line ? std::string(w.quoting) + "\n" : std::string();
  for (const auto& c : citations) {
    if (!text.empty()) text += "\n";
    text += std::string(w.open_quote) + c.quote + w.close_quote + " [" + std::to_string(c.marker) + "]";
  }
  return text;
}

// Whether a masked sentence still holds three words of two letters or more beside its masks.
bool says_something(std::string_view quote) {
  int words = 0;
  int letters = 0;
  for (std::size_t i = 0; i <= quote.size(); ++i) {
    const unsigned char c = i < quote.size() ? static_cast<unsigned char>(quote[i]) : ' ';
    // Letters: ASCII ones and any byte of a multi-byte character but the mask's (U+25A2, E2 96 A2).
    if (i + 3 <= quote.size() && quote.substr(i, 3) == "\xE2\x96\xA2") {
      if (letters >= 2) ++words;
      letters = 0;
      i += 2;
      continue;
    }
    if (std::isalnum(c) || c >= 0xC0) {
      ++letters;
    } else if (c < 0x80) {
      if (letters >= 2) ++words;
      letters = 0;
    }
  }
  return words >= 3;
}

// The citations an LLM's reply refers to ([n]); all the passages it was given when it names none.
std::vector<Citation> cited_passages(const std::string& reply, const std::vector<PassageForAnswer>& passages) {
  std::vector<Citation> cited;
  for (std::size_t i = 0; i < passages.size(); ++i) {
    if (reply.find("[" + std::to_string(i + 1) + "]") != std::string::npos) {
      cited.push_back({passages[i].source_id, passages[i].passage_id, json::truncate_utf8(passages[i].text, 300),
                       static_cast<int>(i) + 1});
    }
  }
  if (cited.empty()) {
    for (std::size_t i = 0; i < passages.size(); ++i) {
      cited.push_back({passages[i].source_id, passages[i].passage_id, json::truncate_utf8(passages[i].text, 300),
                       static_cast<int>(i) + 1});
    }
  }
  return cited;
}

}  // namespace

Agent TutorService::agent(const RequestContext& ctx, const std::string& subject_id) {
  ctx.require(Permission::paths_manage);
  return d_.db.read([&](soci::session& sql) {
    if (!d_.directory.subject(sql, ctx.school(), subject_id)) throw Error::not_found("No such subject.");
    return repo::find_agent(sql, ctx.school(), *ctx.user_id, subject_id)
        .value_or(defaults_for(ctx, *ctx.user_id, subject_id));
  });
}

Agent TutorService::change_agent(const RequestContext& ctx, const std::string& subject_id, const AgentChange& change) {
  ctx.require(Permission::paths_manage);
  return d_.db.write([&](soci::session& sql) {
    if (!d_.directory.subject(sql, ctx.school(), subject_id)) throw Error::not_found("No such subject.");
    Agent agent = repo::find_agent(sql, ctx.school(), *ctx.user_id, subject_id)
                      .value_or(defaults_for(ctx, *ctx.user_id, subject_id));
    Validation v;
    if (change.instructions) {
      if (change.instructions->size() > kMaxInstructionsBytes) v.fail("instructions", "Instructions are at most 4000 characters long.");
      agent.instructions = json::trim(*change.instructions);
    }
    if (change.level) {
      if (change.level->size() > 100) v.fail("level", "A level is at most 100 characters long.");
      agent.level = json::trim(*change.level);
    }
    if (change.language) {
      if (*change.language != "fr" && *change.language != "en") v.fail("language", "Choose fr or en.");
      agent.language = *change.language;
    }
    if (change.answer_policy) {
      if (*change.answer_policy != "hints_only" && *change.answer_policy != "explain" && *change.answer_policy != "full_answers") {
        v.fail("answer_policy", "Choose hints_only, explain or full_answers.");
      }
      agent.answer_policy = *change.answer_policy;
    }
    if (change.source_ids) {
      agent.source_ids = *change.source_ids;
      if (agent.source_ids) {
        if (agent.source_ids->size() > 200) v.fail("source_ids", "An agent uses at most 200 sources.");
        for (const auto& id : *agent.source_ids) {
          if (!repo::find_source(sql, ctx.school(), id)) {
            v.fail("source_ids", "No source of this school has the id " + id + ".");
            break;
          }
        }
      }
    }
    if (change.allow_off_topic) agent.allow_off_topic = *change.allow_off_topic;
    v.throw_if_failed();
    if (agent.id.empty()) agent.id = new_id();
    agent.updated_at = ctx.now_ms();
    repo::save_agent(sql, agent);
    agent.stored = true;
    return agent;
  });
}

TutorContext TutorService::prepare(const RequestContext& ctx, const TutorQuestion& question) {
  if (!ctx.user_id) throw Error::unauthorized("Please log in.");
  const auto settings = effective(d_, d_.db.read([&](soci::session& sql) { return repo::find_school_ai(sql, ctx.school()); }));
  Provider* provider = provider_for(providers_, settings.provider);
  // The question's vector (hybrid ranking) is asked of the model before the transaction.
  const auto query_vector = question.text.size() <= kMaxQuestionBytes && !settings.provider.embedding_model.empty()
                                ? embed_query(provider, question.text)
                                : std::nullopt;
  // What the tutor needs, read in one transaction: the path, its agent, the passages, the answers
  // to guard, the conversation so far.
  TutorContext c = d_.db.read([&](soci::session& sql) {
    TutorContext out;
    out.path = d_.paths.usable(sql, ctx, question.path_id);
    if (auto refusal = d_.plan.refusal(sql, ctx.school(), "ai_tutor", 1)) throw Error(ErrorCode::limit_reached, *refusal);
    if (auto refusal = d_.plan.refusal(sql, ctx.school(), "ai_requests", 1)) throw Error(ErrorCode::limit_reached, *refusal);
    Validation v;
    const std::string text = json::trim(question.text);
    if (text.empty()) v.fail("text", "Ask a question.");
    if (question.text.size() > kMaxQuestionBytes) v.fail("text", "A question is at most 2000 characters long.");
    if (!json::is_printable_utf8(question.text)) v.fail("text", "A question may not hold control characters.");
    if (question.step_id) {
      const auto steps = d_.paths.step_ids_of(sql, out.path);
      if (std::find(steps.begin(), steps.end(), *question.step_id) == steps.end()) {
        v.fail("step_id", "This step is not part of the path.");
      }
    }
    if (question.conversation_id) {
      out.conversation = repo::find_conversation(sql, ctx.school(), *question.conversation_id);
      if (!out.conversation || out.conversation->student_id != *ctx.user_id || out.conversation->path_id != out.path.id) {
        v.fail("conversation_id", "No conversation of yours on this path has this id.");
      } else {
        out.history = repo::messages_of(sql, out.conversation->id);
      }
    }
    v.throw_if_failed();
    out.asked_today = repo::questions_since(sql, ctx.school(), *ctx.user_id, ctx.now_ms() - kDayMs);
    out.agent = repo::find_agent(sql, ctx.school(), out.path.owner_id, out.path.subject_id)
                    .value_or(defaults_for(ctx, out.path.owner_id, out.path.subject_id));
    std::vector<std::string> scope;
    std::map<std::string, std::string> names;
    for (const auto& source : repo::sources_of(sql, ctx.school(), out.path.id)) {
      const bool chosen = !out.agent.source_ids ||
                          std::find(out.agent.source_ids->begin(), out.agent.source_ids->end(), source.id) !=
                              out.agent.source_ids->end();
      if (source.status == "ready" && chosen) scope.push_back(source.id);
    }
    const auto hits = hybrid_search(sql, {ctx.school(), kPassageKind, scope, question.text, kPassagesGiven}, query_vector,
                                    settings.provider.embedding_model);
    std::vector<std::string> ids;
    for (const auto& hit : hits) ids.push_back(hit.doc_id);
    std::map<std::string, StoredPassage> stored;
    for (auto& p : repo::passages_by_id(sql, ctx.school(), ids)) stored.emplace(p.id, std::move(p));
    for (const auto& hit : hits) {
      if (auto it = stored.find(hit.doc_id); it != stored.end()) {
        out.passages.push_back({it->second.source_id, it->second.id, it->second.heading, it->second.text});
      }
    }
    if (out.agent.answer_policy != "full_answers") out.answers = d_.paths.answers_of(sql, out.path);
    out.daily_questions = settings.daily_questions;
    out.provider = provider;
    return out;
  });
  if (c.asked_today >= c.daily_questions) {
    throw Error(ErrorCode::limit_reached, "You have asked the tutor " + std::to_string(c.daily_questions) +
                                              " questions in the last 24 hours: the tutor rests until tomorrow. Your teacher can help meanwhile.");
  }
  return c;
}

TutorReply TutorService::answer(const RequestContext& ctx, const TutorQuestion& question, TutorContext c,
                                const TokenSink* on_text) {
  const auto started = std::chrono::steady_clock::now();
  const bool guarded = c.agent.answer_policy != "full_answers";
  const AnswerGuard guard(c.answers);

  const Words& w = words_for(c.agent.language);
  const auto language = c.agent.language == "en" ? fulltext::Language::english : fulltext::Language::french;
  TutorMessage reply;
  reply.role = "tutor";
  reply.provider = "builtin";
  const bool off_topic = c.passages.empty();
  if (off_topic && !c.agent.allow_off_topic) {
    reply.text = w.off_topic;
    reply.refused = true;
    reply.refusal = "off_topic";
  } else if (c.provider != nullptr) {
    ChatRequest request;
    request.messages.push_back({"system", system_prompt(c.agent, c.passages)});
    const std::size_t first = c.history.size() > kHistoryMessages ? c.history.size() - kHistoryMessages : 0;
    for (std::size_t i = first; i < c.history.size(); ++i) {
      request.messages.push_back({c.history[i].role == "student" ? "user" : "assistant", c.history[i].text});
    }
    request.messages.push_back({"user", question.text});
    StreamingGuard streaming(guard);
    const TokenSink send = [&](std::string_view piece) {
      if (on_text == nullptr) return;
      const std::string out = guarded ? streaming.push(piece) : std::string(piece);
      if (!out.empty()) (*on_text)(out);
    };
    try {
      const auto result = c.provider->chat(request, send);
      if (on_text != nullptr && guarded) {
        if (const auto rest = streaming.finish(); !rest.empty()) (*on_text)(rest);
      }
      reply.text = result.text;
      reply.provider = std::string(c.provider->name());
      reply.prompt_tokens = result.prompt_tokens;
      reply.completion_tokens = result.completion_tokens;
      reply.citations = cited_passages(reply.text, c.passages);
    } catch (const ProviderError& e) {
      spdlog::warn("ai: {} failed ({}), the built-in answer stands in", c.provider->name(), e.detail);
      reply.fallback = true;
    }
  }
  if (reply.text.empty()) {  // built-in, or the model's fallback
    const auto answer = extract_answer(question.text, c.passages, language);
    reply.text = answer.found() ? quoted_citations(answer.sentences, w) : std::string(w.not_found);
    if (reply.fallback) reply.text = std::string(w.fallback) + "\n\n" + reply.text;
    reply.citations = answer.sentences;
    reply.completion_tokens = estimate_tokens(reply.text);
  }

  // The policy, whatever wrote the reply: an answer of the path's cards never goes out.
  if (!reply.refused && guarded) {
    const auto leaks = guard.leaks(reply.text);
    if (!leaks.empty()) {
      for (auto& citation : reply.citations) citation.quote = guard.masked(citation.quote);
      std::string body;
      if (reply.provider == "builtin") {
        // A quoted sentence that is little more than the answer says nothing once masked: left out.
        std::erase_if(reply.citations, [](const Citation& c) { return !says_something(c.quote); });
        body = reply.citations.empty() ? std::string() : quoted_citations(reply.citations, w, false);
        if (reply.fallback) body = std::string(w.fallback) + "\n\n" + body;
      } else {
        body = guard.masked(reply.text);
      }
      std::string hint = std::string(w.refusal);
      if (!body.empty()) hint += "\n\n" + body;
      if (!c.passages.empty() && !c.passages.front().heading.empty()) {
        hint += "\n\n" + std::string(w.read_again) + " " + w.open_quote + c.passages.front().heading + w.close_quote + ".";
      }
      reply.text = std::move(hint);
      reply.refused = true;
      reply.refusal = "answer";
    }
  }
  // Written at once (the built-in answer, a refusal, a fallback): sent line by line. A streamed
  // model reply that the final check changed is corrected by the final reply, which clients show.
  if (on_text != nullptr && (reply.provider == "builtin" || reply.refused)) {
    std::size_t start = 0;
    while (start < reply.text.size()) {
      auto end = reply.text.find('\n', start);
      end = end == std::string::npos ? reply.text.size() : end + 1;
      (*on_text)(std::string_view(reply.text).substr(start, end - start));
      start = end;
    }
  }
  reply.latency_ms = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - started).count());

  const auto complexity = complexity_of(question.text, fulltext::guess_language(question.text));
  return d_.db.write([&](soci::session& sql) {
    const std::int64_t now = ctx.now_ms();
    Conversation conversation;
    if (c.conversation) {
      conversation = *c.conversation;
      repo::touch_conversation(sql, conversation.id, now);
    } else {
      conversation = {new_id(), ctx.school(), *ctx.user_id, c.path.id, question.step_id, question.session_id, now, now};
      repo::insert_conversation(sql, conversation);
    }
    TutorMessage asked;
    asked.id = new_id();
    asked.school_id = ctx.school();
    asked.conversation_id = conversation.id;
    asked.author_id = *ctx.user_id;
    asked.role = "student";
    asked.text = json::trim(question.text);
    asked.bloom_level = complexity.bloom_level;
    asked.readability = complexity.readability;
    asked.prompt_tokens = estimate_tokens(asked.text);
    asked.created_at = now;
    repo::insert_message(sql, asked);
    reply.id = new_id();
    reply.school_id = ctx.school();
    reply.conversation_id = conversation.id;
    reply.author_id = *ctx.user_id;
    reply.bloom_level = complexity.bloom_level;
    reply.created_at = now + 1;  // after the question, in the archive's order
    repo::insert_message(sql, reply);
    d_.usage.add(sql, ctx.school(), "ai_requests", 1, now);
    d_.usage.add(sql, ctx.school(), "ai_tokens", asked.prompt_tokens + reply.prompt_tokens + reply.completion_tokens, now);
    return TutorReply{conversation.id, reply, std::max(0, c.daily_questions - c.asked_today - 1)};
  });
}

TutorStatus TutorService::status(const RequestContext& ctx, const std::string& path_id) {
  if (!ctx.user_id) throw Error::unauthorized("Please log in.");
  return d_.db.read([&](soci::session& sql) {
    const auto path = d_.paths.usable(sql, ctx, path_id);
    const auto agent = repo::find_agent(sql, ctx.school(), path.owner_id, path.subject_id)
                           .value_or(defaults_for(ctx, path.owner_id, path.subject_id));
    TutorStatus status;
    for (const auto& source : repo::sources_of(sql, ctx.school(), path.id)) {
      const bool chosen = !agent.source_ids || std::find(agent.source_ids->begin(), agent.source_ids->end(),
                                                         source.id) != agent.source_ids->end();
      if (source.status == "ready" && chosen) ++status.ready_sources;
    }
    status.answer_policy = agent.answer_policy;
    const auto settings = effective(d_, repo::find_school_ai(sql, ctx.school()));
    const auto* provider = provider_for(providers_, settings.provider);
    status.provider = provider != nullptr ? std::string(provider->name()) : "builtin";
    status.daily_limit = settings.daily_questions;
    const int asked = repo::questions_since(sql, ctx.school(), *ctx.user_id, ctx.now_ms() - kDayMs);
    status.questions_left_today = std::max(0, settings.daily_questions - asked);
    return status;
  });
}

std::vector<ConversationView> TutorService::conversations(const RequestContext& ctx, const std::string& path_id,
                                                          const std::optional<std::string>& student_id) {
  return d_.db.read([&](soci::session& sql) {
    const auto path = d_.paths.usable(sql, ctx, path_id);
    // A student reads their own exchanges only, whatever they ask for.
    const std::optional<std::string> who = is_staff_reader(ctx) ? student_id : ctx.user_id;
    std::vector<ConversationView> views;
    for (auto& conversation : repo::conversations_of_path(sql, ctx.school(), path.id, who)) {
      const auto person = d_.directory.person(sql, ctx.school(), conversation.student_id);
      auto messages = repo::messages_of(sql, conversation.id);
      views.push_back({std::move(conversation), person ? person->display_name : std::string(), std::move(messages)});
    }
    return views;
  });
}

}  // namespace mnemos::ai
