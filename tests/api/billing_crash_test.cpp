// The monthly run stopped dead at each step (MNEMOS_FAILPOINT: the process ends there, as under
// SIGKILL) and run again: still exactly one invoice per school and period, numbers without gap,
// and every invoice issued in the end. On the database MNEMOS_TEST_DB names.
#include "api_test.hpp"

#include <mnemos/core/clock.hpp>
#include <mnemos/core/db.hpp>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <thread>
#include <filesystem>
#include <fstream>

namespace mnemos::testing {
namespace {

class BillingCrash : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("mnemos-billing-crash-" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    environment_ = {"MNEMOS_DATABASE_URL=" + database_.url(), "MNEMOS_FILES_DIR=" + (dir_ / "files").string(),
                    "MNEMOS_LOG_LEVEL=warn"};
    ASSERT_EQ(mnemos({"seed", "--demo"}), 0) << log();
  }
  void TearDown() override {
    if (!HasFailure()) std::filesystem::remove_all(dir_);
  }

  // Runs the mnemos command to its end; its exit status (86: stopped at the failpoint).
  int mnemos(std::vector<std::string> args, const std::string& failpoint = "") {
    args.insert(args.begin(), MNEMOS_BINARY);
    auto environment = environment_;
    if (!failpoint.empty()) environment.push_back("MNEMOS_FAILPOINT=" + failpoint);
    const pid_t pid = ::fork();
    if (pid == 0) {
      const int out = ::open((dir_ / "mnemos.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      ::dup2(out, 1);
      ::dup2(out, 2);
      for (auto& entry : environment) ::putenv(entry.data());
      std::vector<char*> argv;
      for (auto& a : args) argv.push_back(a.data());
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    int status = 0;
    ::waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  }
  std::string log() const {
    std::ifstream in(dir_ / "mnemos.log");
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

  struct Row {
    std::string number, period, status;
    std::optional<std::string> pdf_path;
  };
  std::vector<Row> invoices() {
    auto db = db::Database::open(database_.url(), 1);
    return db->read([](soci::session& sql) {
      return db::fetch_rows<Row>(sql, "SELECT number, period, status, pdf_path FROM billing_invoices ORDER BY number",
                                 [](db::Prepared& prepared, Row& r) {
                                   prepared, soci::into(r.number), soci::into(r.period), soci::into(r.status),
                                       soci::into(r.pdf_path);
                                 });
    });
  }

  static std::string month_before(const std::string& period) {
    int year = std::stoi(period.substr(0, 4)), month = std::stoi(period.substr(5, 2)) - 1;
    if (month == 0) month = 12, --year;
    char text[32];
    std::snprintf(text, sizeof text, "%04d-%02d", year, month);
    return text;
  }

  TestDatabase database_;
  std::filesystem::path dir_;
  std::vector<std::string> environment_;
};

TEST_F(BillingCrash, ARunStoppedAtAnyStepAndRunAgainLeavesOneIssuedInvoiceAndNoGap) {
  // The demo school subscribed two months ago: last month and the one before are due.
  const auto now = std::chrono::system_clock::now();
  const std::chrono::year_month_day today{std::chrono::floor<std::chrono::days>(now)};
  const auto last = std::chrono::year_month{today.year(), today.month()} - std::chrono::months{1};
  char text[32];
  std::snprintf(text, sizeof text, "%04d-%02u", static_cast<int>(last.year()), static_cast<unsigned>(last.month()));
  const std::string period = text;

  // 1. Stopped inside the invoice's transaction: nothing is left, the number is not spent.
  EXPECT_EQ(mnemos({"billing", "run", "--period", period}, "billing.before_invoice_commit"), 86) << log();
  EXPECT_TRUE(invoices().empty());
  // 2. Stopped after the invoice committed, before its PDF: it waits, pending, with its number.
  EXPECT_EQ(mnemos({"billing", "run", "--period", period}, "billing.after_invoice_created"), 86) << log();
  auto rows = invoices();
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_TRUE(rows[0].number.ends_with("-000001")) << rows[0].number;
  EXPECT_EQ(rows[0].status, "pending");
  // 3. Run again, stopped once the PDF is kept but before the invoice is marked issued.
  EXPECT_EQ(mnemos({"billing", "run", "--period", period}, "billing.after_pdf_stored"), 86) << log();
  rows = invoices();
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0].status, "pending");
  // 4. Run to the end: the same invoice is issued, nothing is made twice.
  EXPECT_EQ(mnemos({"billing", "run", "--period", period}), 0) << log();
  rows = invoices();
  ASSERT_EQ(rows.size(), 1U);
  EXPECT_EQ(rows[0].status, "issued");
  ASSERT_TRUE(rows[0].pdf_path);
  EXPECT_TRUE(std::filesystem::exists(dir_ / "files" / *rows[0].pdf_path));
  // 5. The month before, stopped after its invoice: the next run of any period issues it, and the
  //    numbers follow each other.
  EXPECT_EQ(mnemos({"billing", "run", "--period", month_before(period)}, "billing.after_invoice_created"), 86) << log();
  EXPECT_EQ(mnemos({"billing", "run", "--period", period}), 0) << log();
  rows = invoices();
  ASSERT_EQ(rows.size(), 2U);
  EXPECT_TRUE(rows[1].number.ends_with("-000002")) << rows[1].number;
  EXPECT_EQ(rows[1].period, month_before(period));
  for (const auto& r : rows) EXPECT_EQ(r.status, "issued") << r.number;
}

// A process with the worker role schedules the daily run (03:00 UTC) once, however many start.
TEST_F(BillingCrash, ServingSchedulesOneDailyRun) {
  const auto scheduled = [&] {
    auto db = db::Database::open(database_.url(), 1);
    return db->read([](soci::session& sql) {
      return db::fetch_rows<std::int64_t>(sql, "SELECT run_at FROM core_jobs WHERE type = 'billing.daily_run' AND status = 'queued'",
                                          [](db::Prepared& prepared, std::int64_t& at) { prepared, soci::into(at); });
    });
  };
  for (int start = 0; start < 2; ++start) {
    auto environment = environment_;
    environment.push_back("MNEMOS_PORT=" + std::to_string(20000 + (::getpid() * 7 + start) % 10000));
    const pid_t pid = ::fork();
    if (pid == 0) {
      const int out = ::open((dir_ / "mnemos.log").c_str(), O_WRONLY | O_CREAT | O_APPEND, 0644);
      ::dup2(out, 1);
      ::dup2(out, 2);
      for (auto& entry : environment) ::putenv(entry.data());
      std::string binary = MNEMOS_BINARY, serve = "serve";
      char* argv[] = {binary.data(), serve.data(), nullptr};
      ::execv(argv[0], argv);
      ::_exit(127);
    }
    for (int i = 0; i < 100 && scheduled().empty(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(50));
    ::kill(pid, SIGTERM);
    ::waitpid(pid, nullptr, 0);
  }
  const auto runs = scheduled();
  ASSERT_EQ(runs.size(), 1U) << log();
  EXPECT_EQ(runs[0] % kDayMs, 3 * 3'600'000);  // 03:00 UTC
  const auto now = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count();
  EXPECT_GT(runs[0], now);
  EXPECT_LE(runs[0], now + kDayMs);
}

}  // namespace
}  // namespace mnemos::testing
