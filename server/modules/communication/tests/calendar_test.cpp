// What leaves the server for other software: coturn's time-limited TURN credentials and the
// iCalendar feed's text (RFC 5545: CRLF lines folded at 75 octets, escaped text, UTC times).
#include "../src/agenda.hpp"

#include <gtest/gtest.h>

#include <sstream>

namespace mnemos::communication {
namespace {

TEST(TurnCredentials, AreCoturnsUseAuthSecretKind) {
  // Expected: base64(HMAC-SHA1("north-wind", "1767225600:<user>")), computed with Python's hmac.
  const auto server = turn_credentials({"turn:turn.example.org:3478"}, "north-wind",
                                       "0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee", 1767225600);
  EXPECT_EQ(server.urls, std::vector<std::string>{"turn:turn.example.org:3478"});
  EXPECT_EQ(server.username, "1767225600:0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee");
  EXPECT_EQ(server.credential, "1DIPjWJajX60k7hJvOzHc/i/Rq0=");
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    const auto end = text.find("\r\n", start);
    EXPECT_NE(end, std::string::npos) << "every line ends with CRLF";
    if (end == std::string::npos) break;
    lines.push_back(text.substr(start, end - start));
    start = end + 2;
  }
  return lines;
}

TEST(ICalendar, LinesAreFoldedAt75OctetsNeverInsideACharacterAndTextIsEscaped) {
  AgendaItem item;
  item.kind = "exam";
  item.id = "0190aaaa-bbbb-7ccc-8ddd-eeeeeeeeeeee";
  item.title = "Contrôle d'éducation civique; chapitres 1, 2 et 3 — révisez les définitions énoncées en classe";
  item.description = "Apportez :\nune règle";
  item.starts_at = 1796205600000;  // 2026-12-02T10:00:00Z
  item.ends_at = 1796209200000;
  item.link = "/agenda?event=" + item.id;
  const auto text = icalendar({item}, "Mnemos — Sam", "https://ecole.example", 1796205600000);
  const auto lines = lines_of(text);
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.front(), "BEGIN:VCALENDAR");
  EXPECT_EQ(lines.back(), "END:VCALENDAR");
  std::string unfolded;
  for (const auto& line : lines) {
    EXPECT_LE(line.size(), 75u) << line;
    // A continuation line never starts inside a UTF-8 sequence.
    if (line.size() > 1 && line[0] == ' ') {
      EXPECT_NE(static_cast<unsigned char>(line[1]) & 0xC0, 0x80) << line;
    }
    if (!line.empty() && line[0] == ' ') {
      unfolded += line.substr(1);
    } else {
      unfolded += "\n" + line;
    }
  }
  EXPECT_NE(unfolded.find("\nSUMMARY:Contrôle d'éducation civique\\; chapitres 1\\, 2 et 3 — révisez les définitions "
                          "énoncées en classe\n"),
            std::string::npos)
      << unfolded;
  EXPECT_NE(unfolded.find("\nDESCRIPTION:Apportez :\\nune règle\n"), std::string::npos);
  EXPECT_NE(unfolded.find("\nDTSTART:20261202T100000Z\n"), std::string::npos);
  EXPECT_NE(unfolded.find("\nDTEND:20261202T110000Z\n"), std::string::npos);
  EXPECT_NE(unfolded.find("\nUID:" + item.id + "@mnemos\n"), std::string::npos);
  EXPECT_NE(unfolded.find("\nURL:https://ecole.example/agenda?event=" + item.id + "\n"), std::string::npos);
}

}  // namespace
}  // namespace mnemos::communication
