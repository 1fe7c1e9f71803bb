// Durability (issue #12): a writer killed with SIGKILL at any moment leaves a store that
// opens, passes its consistency check, and holds every document whose Add had returned.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "neardup/dedup.h"
#include "test_data.h"

namespace {

// Document i: a paragraph of a seed with its number, so that ids and texts differ.
std::string DocumentText(const std::vector<std::string>& seeds, int i) {
  const std::string& seed = seeds[static_cast<size_t>(i) % seeds.size()];
  const auto continuation = [&](size_t at) { return at < seed.size() && (static_cast<unsigned char>(seed[at]) & 0xC0) == 0x80; };
  size_t begin = (static_cast<size_t>(i) * 97) % (seed.size() / 2), end = begin + 600;
  while (continuation(begin)) ++begin;  // whole UTF-8 characters
  while (continuation(end)) ++end;
  return "Dispatch " + std::to_string(i) + ". " + seed.substr(begin, end - begin);
}

// The child: adds documents from `first` on, writing each acknowledged number to `fd`,
// until it is killed. Never returns.
[[noreturn]] void Writer(const std::string& path, int first, int fd) {
  const std::vector<std::string> seeds = neardup::testing::SeedArticles();
  auto dedup = neardup::Deduplicator::Open(path);
  if (!dedup.ok()) {
    std::fprintf(stderr, "writer: %s\n", std::string(dedup.status().message()).c_str());
    _exit(3);
  }
  for (int i = first;; ++i) {
    if (auto added = dedup->Add("doc" + std::to_string(i), DocumentText(seeds, i)); !added.ok()) {
      std::fprintf(stderr, "writer: doc%d: %s\n", i, std::string(added.status().message()).c_str());
      _exit(4);
    }
    if (write(fd, &i, sizeof i) != sizeof i) _exit(5);
  }
}

}  // namespace

TEST_CASE("a writer killed at random moments loses no acknowledged document", "[store][kill]") {
  char dir_template[] = "/tmp/neardup_kill_XXXXXX";
  REQUIRE(mkdtemp(dir_template) != nullptr);
  const std::string dir = dir_template;
  const std::string path = dir + "/index.ndup";
  std::mt19937 rng(20261202);  // fixed: the same kill times on every run (as far as timing allows)
  constexpr int kKills = 100;
  int acknowledged = 0;  // documents 0 .. acknowledged-1 were acknowledged
  int interrupted = 0;   // kills that came while an Add was under way (one was beyond the last ack)
  for (int round = 0; round < kKills; ++round) {
    int fds[2];
    REQUIRE(pipe(fds) == 0);
    const pid_t child = fork();
    REQUIRE(child >= 0);
    if (child == 0) {
      close(fds[0]);
      Writer(path, acknowledged, fds[1]);
    }
    close(fds[1]);
    // Even rounds kill at any moment from the start: while the writer opens and replays the
    // store, adds or commits. Odd rounds first wait for its first acknowledgment, so that
    // every run makes progress however slow the machine, then kill it within 20 ms: mostly
    // mid-Add or mid-commit.
    int max_delay_us = 60000;
    if (round % 2 == 1) {
      int first;
      REQUIRE(read(fds[0], &first, sizeof first) == sizeof first);
      REQUIRE(first == acknowledged);
      ++acknowledged;
      max_delay_us = 20000;
    }
    std::this_thread::sleep_for(std::chrono::microseconds(std::uniform_int_distribution<int>(0, max_delay_us)(rng)));
    REQUIRE(kill(child, SIGKILL) == 0);
    int status = 0;
    REQUIRE(waitpid(child, &status, 0) == child);
    INFO("round " << round << ": the writer exited with " << (WIFEXITED(status) ? WEXITSTATUS(status) : -1));
    REQUIRE((WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL));
    int n;
    while (read(fds[0], &n, sizeof n) == sizeof n) {
      REQUIRE(n == acknowledged);  // in order, none skipped
      ++acknowledged;
    }
    close(fds[0]);
    // The store opens (for writing: the dead writer's lock is gone), is consistent, and holds
    // every acknowledged document; at most one more, whose commit landed before the kill.
    auto dedup = neardup::Deduplicator::Open(path);
    REQUIRE(dedup.ok());
    REQUIRE(dedup->CheckStore().ok());
    for (int i = 0; i < acknowledged; ++i) REQUIRE(dedup->Contains("doc" + std::to_string(i)));
    REQUIRE(dedup->size() <= static_cast<size_t>(acknowledged) + 1);
    if (dedup->size() == static_cast<size_t>(acknowledged) + 1) {
      REQUIRE(dedup->Contains("doc" + std::to_string(acknowledged)));
      ++acknowledged, ++interrupted;  // committed, not yet acknowledged: the next writer goes on after it
    }
  }
  INFO(acknowledged << " documents acknowledged over " << kKills << " kills, " << interrupted
                    << " committed but killed before acknowledging");
  CHECK(acknowledged >= kKills / 2);  // each odd round waited for one acknowledgment
  std::filesystem::remove_all(dir);
}
