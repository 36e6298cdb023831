// PDF text by poppler-cpp, in a child process: parsing a hostile PDF (a decompression bomb, a
// loop of references) may take unbounded time or memory, so it runs in a fork with a CPU limit, an
// address-space limit and a wall-clock limit, and sends its pages back through a pipe. A child
// that dies or overruns is a clear "could not be read" for that source, never a stuck worker.
#include "documents.hpp"

#include <poppler-document.h>
#include <poppler-global.h>
#include <poppler-page.h>

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdint>
#include <cstring>
#include <memory>

namespace mnemos::ai {
namespace {

constexpr int kMaxPages = 2000;
constexpr std::size_t kMaxTextBytes = 16u << 20;  // 16 MiB of text from one PDF at most
constexpr int kCpuSeconds = 60;
constexpr int kWallSeconds = 90;
constexpr rlim_t kExtraAddressSpace = rlim_t(1) << 30;  // 1 GiB beyond what the process maps

// What the child writes: one status byte, then for each page a 4-byte length and its text.
enum Status : char { ok = 'O', damaged = 'D', encrypted = 'E', too_many_pages = 'P' };

void write_all(int fd, const void* data, std::size_t size) {
  const char* bytes = static_cast<const char*>(data);
  while (size > 0) {
    const ssize_t written = ::write(fd, bytes, size);
    if (written <= 0) _exit(3);
    bytes += written;
    size -= static_cast<std::size_t>(written);
  }
}

void quiet(const std::string&, void*) {}  // poppler's complaints about a damaged file

[[noreturn]] void extract_in_child(std::string_view bytes, int fd) {
  // The server's sockets and database files stay the server's: a connection it closes must not
  // live on in this child.
  if (fd > 3) ::close_range(3, static_cast<unsigned>(fd) - 1, 0);
  ::close_range(static_cast<unsigned>(fd) + 1, ~0U, 0);
  rlimit cpu{kCpuSeconds, kCpuSeconds};
  setrlimit(RLIMIT_CPU, &cpu);
  rlimit address{};
  if (getrlimit(RLIMIT_AS, &address) == 0) {
    // The child inherits the parent's mappings: the bound is what it maps on top of them.
    long pages = 0;
    if (FILE* statm = std::fopen("/proc/self/statm", "r")) {
      if (std::fscanf(statm, "%ld", &pages) != 1) pages = 0;
      std::fclose(statm);
    }
    const rlim_t limit = static_cast<rlim_t>(pages) * static_cast<rlim_t>(sysconf(_SC_PAGESIZE)) + kExtraAddressSpace;
    if (address.rlim_max == RLIM_INFINITY || limit < address.rlim_max) {
      address.rlim_cur = limit;
      setrlimit(RLIMIT_AS, &address);
    }
  }
  poppler::set_debug_error_function(quiet, nullptr);
  std::unique_ptr<poppler::document> document(
      poppler::document::load_from_raw_data(bytes.data(), static_cast<int>(bytes.size())));
  char status = ok;
  if (!document) status = damaged;
  else if (document->is_locked()) status = encrypted;
  else if (document->pages() > kMaxPages) status = too_many_pages;
  write_all(fd, &status, 1);
  if (status != ok) _exit(0);
  std::size_t total = 0;
  for (int i = 0; i < document->pages() && total < kMaxTextBytes; ++i) {
    std::unique_ptr<poppler::page> page(document->create_page(i));
    std::vector<char> text;
    if (page) text = page->text(poppler::rectf(), poppler::page::physical_layout).to_utf8();
    if (text.size() > kMaxTextBytes - total) text.resize(kMaxTextBytes - total);
    total += text.size();
    const auto length = static_cast<std::uint32_t>(text.size());
    write_all(fd, &length, sizeof length);
    write_all(fd, text.data(), text.size());
  }
  _exit(0);
}

}  // namespace

std::vector<std::string> pdf_pages(std::string_view bytes) {
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) throw std::runtime_error("pipe failed");
  const pid_t child = fork();
  if (child < 0) {
    ::close(fds[0]);
    ::close(fds[1]);
    throw std::runtime_error("fork failed");
  }
  if (child == 0) {
    ::close(fds[0]);
    extract_in_child(bytes, fds[1]);
  }
  ::close(fds[1]);
  std::string received;
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(kWallSeconds);
  bool timed_out = false;
  char buffer[65536];
  while (true) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      timed_out = true;
      break;
    }
    pollfd poll_fd{fds[0], POLLIN, 0};
    const int ready = ::poll(&poll_fd, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) {
      timed_out = ready == 0;
      break;
    }
    const ssize_t n = ::read(fds[0], buffer, sizeof buffer);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    received.append(buffer, static_cast<std::size_t>(n));
  }
  ::close(fds[0]);
  if (timed_out) ::kill(child, SIGKILL);
  int wait_status = 0;
  while (::waitpid(child, &wait_status, 0) < 0 && errno == EINTR) {
  }
  if (timed_out || received.empty() || !WIFEXITED(wait_status) || WEXITSTATUS(wait_status) != 0) {
    throw SourceError{"This PDF could not be read in reasonable time and memory: it may be damaged. "
                      "Save it again as PDF, or send its text."};
  }
  switch (received[0]) {
    case damaged: throw SourceError{"This PDF is damaged: Mnemos could not open it. Save it again as PDF and send it."};
    case encrypted: throw SourceError{"This PDF is protected by a password: send a copy without protection."};
    case too_many_pages: throw SourceError{"This PDF has more than 2000 pages: send it in parts."};
    default: break;
  }
  std::vector<std::string> pages;
  std::size_t pos = 1;
  while (pos + sizeof(std::uint32_t) <= received.size()) {
    std::uint32_t length = 0;
    std::memcpy(&length, received.data() + pos, sizeof length);
    pos += sizeof length;
    if (pos + length > received.size()) break;
    pages.push_back(received.substr(pos, length));
    pos += length;
  }
  const bool has_text = std::any_of(pages.begin(), pages.end(), [](const std::string& page) { return count_words(page) > 0; });
  if (!has_text) {
    throw SourceError{"This PDF has no text layer (scanned pages are pictures of text): send a PDF made "
                      "from the document itself, or its text."};
  }
  return pages;
}

}  // namespace mnemos::ai
