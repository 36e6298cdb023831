// A path's sources for the tutor through the HTTP API (docs/ai.md): upload, indexing by the
// worker, search, who may do what, and the files a school must not be able to hurt it with.
#include "../support/api_test.hpp"
#include "pdf_writer.hpp"

#include <mnemos/core/jobs.hpp>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <boost/json/serialize.hpp>

namespace mnemos::testing {
namespace {

class AiSources : public ApiTest {
 protected:
  static std::string subject_id() {
    auto admin = logged_in("demo", "admin@demo.test");
    return json_string(admin.get("/api/v1/subjects").json().at("items").at(0), "id");
  }
  static std::string class_id(const std::string& name) {
    auto admin = logged_in("demo", "admin@demo.test");
    const auto classes = admin.get("/api/v1/classes").json();
    for (const auto& c : classes.at("items").as_array()) {
      if (c.at("name").as_string() == name) return std::string(c.at("id").as_string());
    }
    return "";
  }
  // A path of the demo teacher, active and assigned to 4e A.
  static std::string new_path(const std::string& title) {
    auto teacher = logged_in("demo", "teacher@demo.test");
    const auto created = teacher.post(
        "/api/v1/learning-paths", R"({"subject_id":")" + subject_id() + R"(","title":")" + title +
                                      R"(","status":"active","class_ids":[")" + class_id("4e A") +
                                      R"("],"steps":[{"title":"Cartes","kind":"cards","items":[{"kind":"flashcard","content":{"front":"a","back":"b"}}]}]})");
    EXPECT_EQ(created.status, 201) << created.body;
    return json_string(created.json(), "id");
  }
  static HttpResponse upload(HttpClient& c, const std::string& path, const std::string& name, const std::string& type,
                             const std::string& bytes) {
    return c.request("POST", "/api/v1/learning-paths/" + path + "/sources?name=" + name, bytes,
                     {{"content-type", type}});
  }
  static boost::json::value source(HttpClient& c, const std::string& path, const std::string& id) {
    const auto sources = c.get("/api/v1/learning-paths/" + path + "/sources").json();
    for (const auto& s : sources.at("items").as_array()) {
      if (s.at("id").as_string() == id) return s;
    }
    return nullptr;
  }
  static void index_all() { app_->app().worker().drain(); }
};

constexpr const char* kPhotosynthesis = R"(# La photosynthèse

## Définition

La photosynthèse est le processus par lequel les plantes vertes fabriquent leur matière organique
à partir de la lumière du soleil, de l'eau et du dioxyde de carbone. Elle libère du dioxygène.

## Où a-t-elle lieu ?

Elle se déroule dans les chloroplastes, surtout dans les cellules des feuilles. La chlorophylle,
un pigment vert, capte l'énergie lumineuse.

## Les volcans

Un volcan est une ouverture de la croûte terrestre par laquelle s'échappent du magma et des gaz.
)";

TEST_F(AiSources, ATeacherUploadsMarkdownAndAPdfAndTheirStudentsSearchThem) {
  const auto path = new_path("Sciences : la photosynthèse");
  auto teacher = logged_in("demo", "teacher@demo.test");
  const auto md = upload(teacher, path, "cours.md", "text/markdown", kPhotosynthesis);
  ASSERT_EQ(md.status, 201) << md.body;
  EXPECT_EQ(json_string(md.json(), "status"), "pending");
  EXPECT_EQ(json_string(md.json(), "content_type"), "text/markdown");
  const auto pdf = upload(teacher, path, "fiche.pdf", "application/pdf",
                          test::text_pdf({{"Respiration cellulaire",
                                           "La respiration cellulaire se déroule dans les mitochondries.",
                                           "Elle consomme du dioxygène et du glucose."}}));
  ASSERT_EQ(pdf.status, 201) << pdf.body;
  index_all();
  const auto md_source = source(teacher, path, json_string(md.json(), "id"));
  EXPECT_EQ(md_source.at("status").as_string(), "ready") << boost::json::serialize(md_source);
  EXPECT_EQ(md_source.at("language").as_string(), "french");
  EXPECT_GE(md_source.at("passages").as_int64(), 3);
  const auto pdf_source = source(teacher, path, json_string(pdf.json(), "id"));
  EXPECT_EQ(pdf_source.at("status").as_string(), "ready") << boost::json::serialize(pdf_source);
  EXPECT_EQ(pdf_source.at("pages").as_int64(), 1);

  auto student = logged_in("demo", "student@demo.test");
  const auto found = student.get("/api/v1/learning-paths/" + path + "/search?q=O%C3%B9%20se%20trouve%20la%20chlorophylle%20%3F");
  ASSERT_EQ(found.status, 200) << found.body;
  const auto found_json = found.json();
  const auto& passages = found_json.at("passages").as_array();
  ASSERT_FALSE(passages.empty());
  EXPECT_NE(std::string(passages[0].at("text").as_string()).find("chloroplastes"), std::string::npos)
      << boost::json::serialize(passages[0]);
  EXPECT_EQ(passages[0].at("heading").as_string(), "La photosynthèse › Où a-t-elle lieu ?");
  const auto mitochondria = student.get("/api/v1/learning-paths/" + path + "/search?q=mitochondrie&limit=1").json();
  ASSERT_EQ(mitochondria.at("passages").as_array().size(), 1u);
  EXPECT_EQ(mitochondria.at("passages").at(0).at("source_id").as_string(), json_string(pdf.json(), "id"));
  EXPECT_EQ(mitochondria.at("passages").at(0).at("page").as_int64(), 1);
  // Students list the ready sources too; they may not add or delete one.
  EXPECT_EQ(student.get("/api/v1/learning-paths/" + path + "/sources").json().at("items").as_array().size(), 2u);
  EXPECT_EQ(upload(student, path, "x.md", "text/markdown", "# x\n\ny").status, 403);
  EXPECT_EQ(student.del("/api/v1/learning-paths/" + path + "/sources/" + json_string(md.json(), "id")).status, 403);

  // Deleting a source takes its passages out of the search.
  ASSERT_EQ(teacher.del("/api/v1/learning-paths/" + path + "/sources/" + json_string(md.json(), "id")).status, 204);
  const auto after = teacher.get("/api/v1/learning-paths/" + path + "/search?q=chlorophylle").json();
  EXPECT_TRUE(after.at("passages").as_array().empty());
  EXPECT_EQ(teacher.del("/api/v1/learning-paths/" + path + "/sources/" + json_string(md.json(), "id")).status, 404);
}

TEST_F(AiSources, FilesThatCannotBeReadAreRefusedOrFailWithTheirCause) {
  const auto path = new_path("Sources refusées");
  auto teacher = logged_in("demo", "teacher@demo.test");
  struct Refused {
    std::string name, type, bytes;
    int status;
  };
  const std::vector<Refused> refused = {
      {"vide.pdf", "application/pdf", "", 422},
      {"archive.pdf", "application/pdf", std::string("PK\x03\x04\x14\x00\x00\x00", 8) + std::string(100, 'x'), 422},
      {"texte.pdf", "application/pdf", "Je ne suis pas un PDF", 422},
      {"latin1.txt", "text/plain", "caf\xE9", 422},
      {"image.md", "text/markdown", "\x89PNG\r\n\x1a\n", 422},
      {"doc.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "x", 415},
      {"grand.md", "text/markdown", std::string((20 << 20) + 1, 'a'), 413},
  };
  for (const auto& r : refused) {
    const auto response = upload(teacher, path, r.name, r.type, r.bytes);
    EXPECT_EQ(response.status, r.status) << r.name << ": " << response.body;
    EXPECT_EQ(response.header("content-type"), "application/problem+json") << r.name;
  }
  EXPECT_TRUE(teacher.get("/api/v1/learning-paths/" + path + "/sources").json().at("items").as_array().empty());

  // What the bytes alone cannot tell fails in the indexing, with its cause in the reader's language.
  const auto encrypted = upload(teacher, path, "secret.pdf", "application/pdf", test::encrypted_pdf());
  const auto scanned = upload(teacher, path, "scan.pdf", "application/pdf", test::pictures_only_pdf());
  const auto bomb = upload(teacher, path, "bomb.pdf", "application/pdf", test::bomb_pdf(64u << 20));
  const auto damaged = upload(teacher, path, "abime.pdf", "application/pdf", "%PDF-1.7\n1 0 obj << /Type");
  const auto huge = upload(teacher, path, "long.md", "text/markdown", std::string(10 << 20, 'a') + " fin");
  for (const auto* r : {&encrypted, &scanned, &bomb, &damaged, &huge}) ASSERT_EQ(r->status, 201) << r->body;
  index_all();
  auto status = [&](const HttpResponse& r) {
    const auto list = teacher.request("GET", "/api/v1/learning-paths/" + path + "/sources", "", {{"accept-language", "fr"}}).json();
    for (const auto& s : list.at("items").as_array()) {
      if (s.at("id") == r.json().at("id")) return s;
    }
    return boost::json::value();
  };
  EXPECT_EQ(status(encrypted).at("status").as_string(), "failed");
  EXPECT_NE(std::string(status(encrypted).at("error").as_string()).find("mot de passe"), std::string::npos)
      << boost::json::serialize(status(encrypted));
  EXPECT_NE(std::string(status(scanned).at("error").as_string()).find("couche de texte"), std::string::npos);
  EXPECT_EQ(status(bomb).at("status").as_string(), "failed");
  EXPECT_NE(std::string(status(damaged).at("error").as_string()).find("endommagé"), std::string::npos);
  // One 10 MiB word is text: indexed, whole, in one passage.
  EXPECT_EQ(status(huge).at("status").as_string(), "ready") << boost::json::serialize(status(huge));
}

TEST_F(AiSources, SearchChecksItsParametersAndOtherTeachersSeeNothing) {
  const auto path = new_path("Recherche");
  auto teacher = logged_in("demo", "teacher@demo.test");
  ASSERT_EQ(upload(teacher, path, "cours.md", "text/markdown", kPhotosynthesis).status, 201);
  index_all();
  const std::string search = "/api/v1/learning-paths/" + path + "/search?q=volcan";
  EXPECT_EQ(teacher.get(search).json().at("passages").as_array().size(), 1u);
  EXPECT_EQ(teacher.get(search + "&limit=0").status, 422);
  EXPECT_EQ(teacher.get(search + "&limit=21").status, 422);
  EXPECT_EQ(teacher.get(search + "&limit=abc").status, 422);
  EXPECT_EQ(teacher.get(search + "%01").status, 422);
  EXPECT_EQ(teacher.get("/api/v1/learning-paths/" + path + "/search?q=" + std::string(1001, 'a')).status, 422);
  // FTS syntax and SQL in a question are words like any other.
  EXPECT_EQ(teacher.get("/api/v1/learning-paths/" + path + "/search?q=%22%20OR%20*%20NEAR(").status, 200);
  EXPECT_EQ(teacher.get("/api/v1/learning-paths/" + path + "/search?q=").json().at("passages").as_array().size(), 0u);
  // A student of another class, and another school's teacher: no such path.
  auto other_teacher = logged_in("other", "teacher@other.test");
  EXPECT_EQ(other_teacher.get(search).status, 404);
  EXPECT_EQ(upload(other_teacher, path, "x.md", "text/markdown", "# x\n\ny").status, 404);
}

}  // namespace
}  // namespace mnemos::testing
