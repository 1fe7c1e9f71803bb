// The only translation unit that includes LMDB.
#include "store/lmdb.h"

#include <fcntl.h>
#include <lmdb.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <mutex>
#include <set>
#include <vector>

#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"

namespace neardup::internal::lmdb {
namespace {

// The files this process has open as environments (Environment::Open), under its mutex, which
// is also held across each open so that two threads cannot both open one new file.
std::mutex& RegistryMutex() {
  static std::mutex* mu = new std::mutex();
  return *mu;
}
std::set<FileKey>& OpenFiles() {
  static std::set<FileKey>* files = new std::set<FileKey>();
  return *files;
}

MDB_val Val(std::string_view s) { return MDB_val{s.size(), const_cast<char*>(s.data())}; }
std::string_view View(const MDB_val& v) { return {static_cast<const char*>(v.mv_data), v.mv_size}; }

// LMDB 0.9's meta page (its data format 1, on a 64-bit build), as mdb.c lays it out: a 16-byte
// page header (page number, padding, flags, bounds), then MDB_meta: magic, version, map
// address, map size, the free and main databases' MDB_db records (48 bytes each: page size in
// the first one's padding, flags, depth, page counts, entries, root page), the last page
// used and the transaction that wrote it. CheckFile reads these fields and no others.
constexpr uint16_t kMetaPageFlag = 0x08;  // P_META
constexpr uint32_t kLmdbMagic = 0xBEEFC0DE;
constexpr uint32_t kLmdbDataVersion = 1;
constexpr uint64_t kInvalidPage = ~uint64_t{0};  // P_INVALID: an empty database's root
constexpr size_t kMetaBytes = 152;
struct MetaPage {
  uint64_t page_number;
  uint16_t flags;
  uint32_t magic, version, page_size;
  uint64_t roots[2];  // free list, main database
  uint64_t last_page, txnid;
};
template <typename T>
T Field(const unsigned char* p, size_t offset) {
  T v;
  std::memcpy(&v, p + offset, sizeof v);  // LMDB writes native order; this build's
  return v;
}
MetaPage ParseMeta(const unsigned char* p) {
  return MetaPage{.page_number = Field<uint64_t>(p, 0),
                  .flags = Field<uint16_t>(p, 10),
                  .magic = Field<uint32_t>(p, 16),
                  .version = Field<uint32_t>(p, 20),
                  .page_size = Field<uint32_t>(p, 40),
                  .roots = {Field<uint64_t>(p, 80), Field<uint64_t>(p, 128)},
                  .last_page = Field<uint64_t>(p, 136),
                  .txnid = Field<uint64_t>(p, 144)};
}

// Reads meta page `index` of the file `fd` of `size` bytes, at `offset`.
absl::StatusOr<MetaPage> ReadMeta(int fd, uint64_t size, uint64_t offset, int index, const std::string& path) {
  unsigned char bytes[kMetaBytes];
  if (size < offset + kMetaBytes) {
    return absl::DataLossError(absl::StrCat(path, " is not a complete store: ", size, " bytes, too short for meta page ",
                                            index, " (the file was cut?)"));
  }
  if (::pread(fd, bytes, kMetaBytes, static_cast<off_t>(offset)) != static_cast<ssize_t>(kMetaBytes)) {
    return LmdbStatus(errno == 0 ? EIO : errno, absl::StrCat("reading ", path));
  }
  const MetaPage meta = ParseMeta(bytes);
  if (!(meta.flags & kMetaPageFlag) || meta.magic != kLmdbMagic || meta.page_number != static_cast<uint64_t>(index)) {
    return absl::DataLossError(absl::StrCat(path, " is not a neardup store (meta page ", index, " is not LMDB's)"));
  }
  if (meta.version != kLmdbDataVersion) {
    return absl::FailedPreconditionError(
        absl::StrCat(path, ": LMDB data format ", meta.version, ", this build reads ", kLmdbDataVersion));
  }
  return meta;
}

bool InFork(int opened_by) { return ::getpid() != opened_by; }

}  // namespace

absl::Status Environment::CheckFile(const std::string& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return LmdbStatus(errno, absl::StrCat("opening store ", path));
  struct FdCloser {
    int fd;
    ~FdCloser() { ::close(fd); }
  } closer{fd};
  struct stat st;
  if (::fstat(fd, &st) != 0) return LmdbStatus(errno, absl::StrCat("opening store ", path));
  if (S_ISDIR(st.st_mode)) {
    return absl::FailedPreconditionError(absl::StrCat(path, " is a directory, not a store file"));
  }
  if (!S_ISREG(st.st_mode)) return absl::FailedPreconditionError(absl::StrCat(path, " is not a regular file"));
  const uint64_t size = static_cast<uint64_t>(st.st_size);
  if (size == 0) return absl::DataLossError(absl::StrCat(path, " is empty (0 bytes), not a neardup store"));
  NEARDUP_ASSIGN_OR_RETURN(const MetaPage first, ReadMeta(fd, size, 0, 0, path));
  const uint32_t page = first.page_size;
  if (page < 512 || page > 65536 || (page & (page - 1)) != 0) {
    return absl::DataLossError(absl::StrCat(path, " is damaged: page size ", page));
  }
  NEARDUP_ASSIGN_OR_RETURN(const MetaPage second, ReadMeta(fd, size, page, 1, path));
  // LMDB writes transaction t's meta onto page t % 2, so the two hold consecutive numbers
  // (or both 0, before the first commit); any other pair is a damaged meta page.
  const MetaPage& newest = second.txnid > first.txnid ? second : first;
  const MetaPage& older = second.txnid > first.txnid ? first : second;
  const bool consecutive = (first.txnid == 0 && second.txnid == 0) ||
                           (newest.txnid == older.txnid + 1 && newest.txnid % 2 == newest.page_number);
  if (!consecutive || second.page_size != page) {
    return absl::DataLossError(absl::StrCat(path, " is damaged: its meta pages disagree (transactions ", first.txnid,
                                            " and ", second.txnid, ")"));
  }
  for (uint64_t root : newest.roots) {
    if (root != kInvalidPage && root > newest.last_page) {
      return absl::DataLossError(absl::StrCat(path, " is damaged: a root page past the last page"));
    }
  }
  const uint64_t needed = (newest.last_page + 1) * page;
  if (newest.last_page >= (uint64_t{1} << 48) || size < needed) {
    return absl::DataLossError(absl::StrCat(path, " is truncated: ", size, " bytes, where its last commit needs ",
                                            needed, " (the file was cut or copied in part)"));
  }
  return absl::OkStatus();
}

absl::Status LmdbStatus(int rc, std::string_view what) {
  const std::string message = absl::StrCat(ToAbsl(what), ": ", mdb_strerror(rc));
  switch (rc) {
    case MDB_CORRUPTED:
    case MDB_INCOMPATIBLE:  // a table's flags are not those it was made with
    case MDB_PAGE_NOTFOUND:
    case MDB_INVALID:
    case MDB_PANIC:
      return absl::DataLossError(message);
    case ENOSPC:
    case EDQUOT:
    case MDB_MAP_FULL:
    case MDB_READERS_FULL:
    case MDB_TXN_FULL:
    case MDB_DBS_FULL:
      return absl::ResourceExhaustedError(message);
    case MDB_VERSION_MISMATCH:
      return absl::FailedPreconditionError(message);
    case MDB_NOTFOUND:
    case ENOENT:
      return absl::NotFoundError(message);
    case EACCES:
    case EPERM:
    case EROFS:
      return absl::PermissionDeniedError(message);
    default:
      return absl::InternalError(message);
  }
}

absl::StatusOr<std::unique_ptr<Environment>> Environment::Open(const std::string& path, const Options& options) {
  NEARDUP_ASSIGN_OR_RETURN(std::unique_ptr<Environment> env, OpenUnverified(path, options));
  // Before any read of LMDB's: a damaged tree could crash it (the file comment). Outside the
  // registry's lock, which closing a refused environment takes.
  NEARDUP_RETURN_IF_ERROR(env->VerifyStructure());
  return env;
}

absl::StatusOr<std::unique_ptr<Environment>> Environment::OpenUnverified(const std::string& path,
                                                                         const Options& options) {
  std::lock_guard registry(RegistryMutex());
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) {
    if (options.read_only || errno != ENOENT) return LmdbStatus(errno, absl::StrCat("opening store ", path));
  } else if (OpenFiles().contains(FileKey{st.st_dev, st.st_ino})) {
    return absl::FailedPreconditionError(absl::StrCat(
        "the store ", path, " is open in this process already; share that Deduplicator (it is thread-safe)"));
  } else {
    NEARDUP_RETURN_IF_ERROR(CheckFile(path));
  }
  // MDB_NOSUBDIR: one file (and its -lock file), as users expect of a path they name.
  // MDB_NOTLS: read transactions are not tied to threads, so a thread pool can use them.
  // Neither MDB_NOSYNC nor MDB_NOMETASYNC: a commit is on disk when it returns.
  unsigned flags = MDB_NOSUBDIR | MDB_NOTLS;
  if (options.read_only) flags |= MDB_RDONLY;
  if (options.read_only && options.without_lock_file) flags |= MDB_NOLOCK;
  // The map is address space, which a process may not have so much of (a ulimit -v, or a
  // sanitizer's fixed layout): on ENOMEM, half as much, down to kMinMapSize. LMDB never maps
  // less than the data already in the file.
  for (uint64_t map_size = options.map_size;; map_size /= 2) {
    MDB_env* env = nullptr;
    if (int rc = mdb_env_create(&env); rc != 0) return LmdbStatus(rc, "creating an LMDB environment");
    int rc = mdb_env_set_mapsize(env, map_size);
    if (rc == 0) rc = mdb_env_set_maxdbs(env, static_cast<MDB_dbi>(options.max_databases));
    if (rc == 0) rc = mdb_env_open(env, path.c_str(), flags, 0664);
    if (rc == 0) {
      FileKey key;
      if (::stat(path.c_str(), &st) == 0) key = FileKey{st.st_dev, st.st_ino};
      OpenFiles().insert(key);
      return std::unique_ptr<Environment>(new Environment(env, path, options.read_only, key));
    }
    mdb_env_close(env);
    if (rc != ENOMEM || map_size / 2 < kMinMapSize) return LmdbStatus(rc, absl::StrCat("opening store ", path));
  }
}

Environment::Environment(MDB_env* env, std::string path, bool read_only, FileKey key)
    : env_(env), path_(std::move(path)), read_only_(read_only), key_(key), opened_by_(::getpid()) {}

Environment::~Environment() {
  std::lock_guard registry(RegistryMutex());
  // A forked child leaves the parent's environment alone (its locks and reader slots are the
  // parent's); the child's copy of the memory goes when it exits.
  if (!InFork(opened_by_)) mdb_env_close(env_);
  OpenFiles().erase(key_);
}

absl::Status Environment::CheckProcess() const {
  if (!InFork(opened_by_)) return absl::OkStatus();
  return absl::FailedPreconditionError(absl::StrCat(
      "the store ", path_, " was opened by process ", opened_by_, "; a forked process cannot use it (LMDB's rule): ",
      "open the store again in this process, or open it before forking in each process"));
}

absl::StatusOr<Transaction> Environment::Begin(TransactionKind kind) {
  NEARDUP_RETURN_IF_ERROR(CheckProcess());
  if (kind == kWrite && read_only_) return absl::FailedPreconditionError("the store was opened read-only");
  MDB_txn* txn = nullptr;
  if (int rc = mdb_txn_begin(env_, nullptr, kind == kRead ? MDB_RDONLY : 0, &txn); rc != 0) {
    return LmdbStatus(rc, kind == kRead ? "beginning a read transaction" : "beginning a write transaction");
  }
  return Transaction(this, txn, kind);
}

namespace {

// LMDB 0.9's tree pages (mdb.c): a 16-byte header (page number, padding, flags, then the
// slot array's end and the nodes' start, or an overflow run's page count), the slots (2-byte
// node offsets from the page's start), and the nodes at the page's end. A node: data size
// (branch: child page number) in two 16-bit halves, flags (branch: the page number's top 16
// bits), key size, then the key and, in a leaf, the data.
constexpr uint16_t kBranch = 0x01, kLeaf = 0x02, kOverflow = 0x04;
constexpr uint16_t kBigData = 0x01, kSubDatabase = 0x02;
constexpr uint16_t kSortedDuplicates = 0x04;  // MDB_DUPSORT, in a table's record
constexpr size_t kPageHeader = 16, kNodeHeader = 8, kDatabaseRecord = 48;
constexpr int kMaxDepth = 32;  // CURSOR_STACK

class StructureWalker {
 public:
  StructureWalker(const unsigned char* map, size_t page_size, uint64_t last_page, const std::string& path)
      : map_(map), page_size_(page_size), last_page_(last_page), path_(path), seen_(last_page + 1, false) {}

  // LMDB's invariant (mdb.c, MDB_meta): every page after the meta pages up to the last one is
  // either in one tree, once, or listed once in the free list. A page pointer that a flipped
  // bit turned to an older, intact root would read an older snapshot whole; its pages are
  // on the free list by now, so this finds it. Called after walking both trees.
  absl::Status AllPagesAccounted() const {
    for (uint64_t page = 2; page <= last_page_; ++page) {
      if (!seen_[page]) return Bad("free list", page, "a page neither in use nor free");
    }
    return absl::OkStatus();
  }

  // The tree of the database `name` whose root and depth a record gives; `main` for the
  // main database, whose leaves hold the other databases' records; `free_list` for LMDB's
  // free list, whose values are page numbers, claimed as the tree's pages are.
  absl::Status Tree(std::string_view name, uint64_t root, int depth, bool main, bool free_list) {
    if (root == kInvalidPage) {
      if (depth != 0) return Bad(name, root, "an empty database with a depth");
      return absl::OkStatus();
    }
    if (depth < 1 || depth > kMaxDepth) return Bad(name, root, absl::StrCat("a depth of ", depth));
    return Page(name, root, 1, depth, main, free_list);
  }

 private:
  absl::Status Bad(std::string_view name, uint64_t page, std::string_view what) const {
    return absl::DataLossError(
        absl::StrCat("the store ", path_, " is damaged: ", ToAbsl(what), " (table '", ToAbsl(name), "', page ", page, ")"));
  }
  absl::Status Claim(std::string_view name, uint64_t page) {
    if (page < 2 || page > last_page_) return Bad(name, page, "a page number out of range");
    if (seen_[page]) return Bad(name, page, "a page used twice, or both used and free");
    seen_[page] = true;
    return absl::OkStatus();
  }
  const unsigned char* At(uint64_t page) const { return map_ + page * page_size_; }

  absl::Status Page(std::string_view name, uint64_t page, int level, int depth, bool main, bool free_list) {
    NEARDUP_RETURN_IF_ERROR(Claim(name, page));
    const unsigned char* p = At(page);
    const uint16_t flags = Field<uint16_t>(p, 10), lower = Field<uint16_t>(p, 12), upper = Field<uint16_t>(p, 14);
    if (Field<uint64_t>(p, 0) != page) return Bad(name, page, "a page that names another");
    const bool leaf = level == depth;
    if (flags != (leaf ? kLeaf : kBranch)) return Bad(name, page, absl::StrCat("page flags 0x", absl::Hex(flags)));
    if (lower < kPageHeader || lower % 2 != 0 || upper > page_size_ || lower > upper) {
      return Bad(name, page, "page bounds out of order");
    }
    const size_t keys = (lower - kPageHeader) / 2;
    if (keys < (leaf ? 1u : 2u)) return Bad(name, page, absl::StrCat(keys, " keys"));
    for (size_t i = 0; i < keys; ++i) {
      const size_t at = Field<uint16_t>(p, kPageHeader + 2 * i);
      if (at < upper || at % 2 != 0 || at + kNodeHeader > page_size_) return Bad(name, page, "a node out of its page");
      const unsigned char* node = p + at;
      const uint32_t size = Field<uint16_t>(node, 0) | uint32_t{Field<uint16_t>(node, 2)} << 16;
      const uint16_t node_flags = Field<uint16_t>(node, 4), key_size = Field<uint16_t>(node, 6);
      const size_t key_end = at + kNodeHeader + key_size;
      if (key_end > page_size_) return Bad(name, page, "a key out of its page");
      if (!leaf) {
        const uint64_t child = size | uint64_t{node_flags} << 32;
        NEARDUP_RETURN_IF_ERROR(Page(name, child, level + 1, depth, main, free_list));
        continue;
      }
      const std::string_view key(reinterpret_cast<const char*>(node + kNodeHeader), key_size);
      if (node_flags & ~(kBigData | kSubDatabase)) return Bad(name, page, "node flags of duplicates");
      const unsigned char* data = node + kNodeHeader + key_size;
      if (node_flags & kBigData) {
        if (key_end + 8 > page_size_) return Bad(name, page, "a value out of its page");
        NEARDUP_ASSIGN_OR_RETURN(data, Overflow(name, Field<uint64_t>(data, 0), size));
      } else if (key_end + size > page_size_) {
        return Bad(name, page, "a value out of its page");
      }
      if ((node_flags & kSubDatabase) != 0) {
        if (!main || size != kDatabaseRecord) return Bad(name, page, "a database record out of place");
        // This walk knows plain tables only (the store makes no other): no duplicates.
        if (Field<uint16_t>(data, 4) & kSortedDuplicates) return Bad(key, page, "a table of duplicates");
        NEARDUP_RETURN_IF_ERROR(Tree(key, Field<uint64_t>(data, 40), Field<uint16_t>(data, 6), false, false));
      } else if (main) {
        return Bad(name, page, "a main-database value that is not a table");
      } else if (free_list) {
        // A freeing transaction's pages: their count, then the page numbers.
        const uint64_t count = size >= 8 ? Field<uint64_t>(data, 0) : 0;
        if (size < 8 || size % 8 != 0 || count != size / 8 - 1) return Bad(name, page, "a free-list record's length");
        for (uint64_t k = 1; k <= count; ++k) NEARDUP_RETURN_IF_ERROR(Claim(name, Field<uint64_t>(data, 8 * k)));
      }
    }
    return absl::OkStatus();
  }

  // The data of a value kept in overflow pages from `page`, of `size` bytes.
  absl::StatusOr<const unsigned char*> Overflow(std::string_view name, uint64_t page, uint32_t size) {
    NEARDUP_RETURN_IF_ERROR(Claim(name, page));
    const unsigned char* p = At(page);
    const uint32_t pages = Field<uint32_t>(p, 12);
    if (Field<uint64_t>(p, 0) != page || Field<uint16_t>(p, 10) != kOverflow) return Bad(name, page, "not an overflow page");
    if (pages == 0 || page + pages - 1 > last_page_ || kPageHeader + uint64_t{size} > uint64_t{pages} * page_size_) {
      return Bad(name, page, "an overflow run out of range");
    }
    for (uint64_t k = 1; k < pages; ++k) NEARDUP_RETURN_IF_ERROR(Claim(name, page + k));
    return p + kPageHeader;
  }

  const unsigned char* map_;
  size_t page_size_;
  uint64_t last_page_;
  const std::string& path_;
  std::vector<bool> seen_;
};

}  // namespace

absl::Status Environment::VerifyStructure() const {
  NEARDUP_RETURN_IF_ERROR(CheckProcess());
  MDB_stat st;
  if (int rc = mdb_env_stat(env_, &st); rc != 0) return LmdbStatus(rc, "reading the store's page size");
  int fd = -1;
  if (int rc = mdb_env_get_fd(env_, &fd); rc != 0) return LmdbStatus(rc, "reading the store");
  for (int attempt = 0;; ++attempt) {
    MDB_txn* txn = nullptr;
    if (int rc = mdb_txn_begin(env_, nullptr, MDB_RDONLY, &txn); rc != 0) return LmdbStatus(rc, "beginning a read");
    Transaction snapshot(this, txn, kRead);  // keeps the snapshot's pages from reuse meanwhile
    const uint64_t txnid = mdb_txn_id(txn);
    // The snapshot's meta page is the one of its transaction's parity (CheckFile); a writer
    // two commits ahead may have rewritten it since, and then the walk starts again.
    unsigned char meta[kMetaBytes];
    if (::pread(fd, meta, kMetaBytes, static_cast<off_t>((txnid % 2) * st.ms_psize)) != static_cast<ssize_t>(kMetaBytes)) {
      return LmdbStatus(errno == 0 ? EIO : errno, absl::StrCat("reading ", path_));
    }
    const MetaPage m = ParseMeta(meta);
    if (m.txnid != txnid) {
      if (attempt < 100) continue;
      return absl::UnavailableError(absl::StrCat("the store ", path_, " changes too fast to verify"));
    }
    // The pages are read through a mapping of the walk's own, of the part of the file that
    // the snapshot uses, once the file is known to hold it all.
    const uint64_t bytes = (m.last_page + 1) * st.ms_psize;
    struct stat file;
    if (::fstat(fd, &file) != 0) return LmdbStatus(errno, absl::StrCat("measuring ", path_));
    if (m.last_page >= (uint64_t{1} << 48) || static_cast<uint64_t>(file.st_size) < bytes) {
      return absl::DataLossError(absl::StrCat("the store ", path_, " is truncated: ", file.st_size,
                                              " bytes, where its last commit needs ", bytes));
    }
    void* map = ::mmap(nullptr, bytes, PROT_READ, MAP_SHARED, fd, 0);
    if (map == MAP_FAILED) return LmdbStatus(errno, absl::StrCat("mapping ", path_));
    struct Unmap {
      void* map;
      uint64_t bytes;
      ~Unmap() { ::munmap(map, bytes); }
    } unmap{map, bytes};
    StructureWalker walker(static_cast<const unsigned char*>(map), st.ms_psize, m.last_page, path_);
    NEARDUP_RETURN_IF_ERROR(walker.Tree("free list", m.roots[0], Field<uint16_t>(meta, 46), false, true));
    NEARDUP_RETURN_IF_ERROR(walker.Tree("main", m.roots[1], Field<uint16_t>(meta, 94), true, false));
    return walker.AllPagesAccounted();
  }
}

absl::StatusOr<uint64_t> Environment::FileSize() const {
  struct stat st;
  if (::stat(path_.c_str(), &st) != 0) return LmdbStatus(errno, absl::StrCat("measuring store ", path_));
  return static_cast<uint64_t>(st.st_size);
}

absl::StatusOr<uint64_t> Environment::UsedBytes() const {
  NEARDUP_RETURN_IF_ERROR(CheckProcess());
  MDB_envinfo info;
  MDB_stat st;
  if (int rc = mdb_env_info(env_, &info); rc != 0) return LmdbStatus(rc, "reading the store's size");
  if (int rc = mdb_env_stat(env_, &st); rc != 0) return LmdbStatus(rc, "reading the store's size");
  MDB_txn* txn = nullptr;
  if (int rc = mdb_txn_begin(env_, nullptr, MDB_RDONLY, &txn); rc != 0) return LmdbStatus(rc, "reading the free list");
  Transaction guard(this, txn, kRead);
  // The free list is LMDB's database 0: per freeing transaction, an array of page numbers
  // whose first element is their count.
  uint64_t free_pages = 0;
  NEARDUP_RETURN_IF_ERROR(guard.ForEach(Database{0, 0}, "", [&](std::string_view, std::string_view ids) {
    if (ids.size() >= sizeof(size_t)) free_pages += Field<size_t>(reinterpret_cast<const unsigned char*>(ids.data()), 0);
    return true;
  }));
  const uint64_t pages = uint64_t{info.me_last_pgno} + 1;
  return (pages - std::min(pages, free_pages)) * st.ms_psize;
}

absl::Status Environment::CopyCompacted(const std::string& to) const {
  NEARDUP_RETURN_IF_ERROR(CheckProcess());
  if (int rc = mdb_env_copy2(env_, to.c_str(), MDB_CP_COMPACT); rc != 0) {
    return LmdbStatus(rc, absl::StrCat("writing a compacted copy to ", to));
  }
  const int fd = ::open(to.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0 || ::fsync(fd) != 0) {
    const int error = errno;
    if (fd >= 0) ::close(fd);
    return LmdbStatus(error, absl::StrCat("syncing ", to));
  }
  ::close(fd);
  return absl::OkStatus();
}

Transaction& Transaction::operator=(Transaction&& other) noexcept {
  if (this != &other) {
    Abort();
    env_ = other.env_, txn_ = other.txn_, kind_ = other.kind_;
    other.txn_ = nullptr;
  }
  return *this;
}

Transaction::~Transaction() { Abort(); }

void Transaction::Abort() {
  // In a forked child, the transaction is the parent's: aborting a write transaction would
  // release the parent's write lock.
  if (txn_ != nullptr && !InFork(env_->opened_by_)) mdb_txn_abort(txn_);
  txn_ = nullptr;
}

absl::StatusOr<Transaction> Transaction::BeginNested() {
  if (kind_ != kWrite || txn_ == nullptr) return absl::FailedPreconditionError("a nested transaction needs a writer");
  NEARDUP_RETURN_IF_ERROR(env_->CheckProcess());
  MDB_txn* child = nullptr;
  if (int rc = mdb_txn_begin(env_->env_, txn_, 0, &child); rc != 0) {
    return LmdbStatus(rc, "beginning a nested transaction");
  }
  return Transaction(env_, child, kWrite);
}

absl::Status Transaction::Commit() {
  if (txn_ == nullptr) return absl::FailedPreconditionError("transaction already ended");
  NEARDUP_RETURN_IF_ERROR(env_->CheckProcess());
  const int rc = mdb_txn_commit(txn_);  // frees the transaction, even on failure
  txn_ = nullptr;
  if (rc == 0) return absl::OkStatus();
  // A write that fails short, as on a full disk, is EIO to LMDB: say which it was.
  struct statvfs fs;
  if (rc == EIO && ::statvfs(env_->path().c_str(), &fs) == 0 && uint64_t{fs.f_bavail} * fs.f_frsize < (uint64_t{1} << 20)) {
    return absl::ResourceExhaustedError(
        absl::StrCat("committing to ", env_->path(), ": the disk is full (less than 1 MiB free); nothing was written"));
  }
  return LmdbStatus(rc, absl::StrCat("committing to ", env_->path()));
}

absl::StatusOr<Database> Transaction::OpenDatabase(const char* name, unsigned flags) {
  unsigned mdb_flags = 0;
  if (flags & kCreate) mdb_flags |= MDB_CREATE;
  if (flags & kDuplicates) mdb_flags |= MDB_DUPSORT;
  if (flags & kFixedSizeDuplicates) mdb_flags |= MDB_DUPSORT | MDB_DUPFIXED;
  MDB_dbi dbi = 0;
  if (int rc = mdb_dbi_open(txn_, name, mdb_flags, &dbi); rc != 0) {
    // A database that should exist and does not: the file is not a complete store.
    if (rc == MDB_NOTFOUND) return absl::DataLossError(absl::StrCat("the store has no table '", name, "'"));
    return LmdbStatus(rc, absl::StrCat("opening table '", name, "'"));
  }
  return Database{dbi, flags};
}

absl::StatusOr<std::optional<std::string_view>> Transaction::Get(Database db, std::string_view key) const {
  MDB_val k = Val(key), v;
  const int rc = mdb_get(txn_, db.handle, &k, &v);
  if (rc == MDB_NOTFOUND) return std::optional<std::string_view>();
  if (rc != 0) return LmdbStatus(rc, "reading");
  return std::optional<std::string_view>(View(v));
}

absl::Status Transaction::Put(Database db, std::string_view key, std::string_view value) {
  MDB_val k = Val(key), v = Val(value);
  const unsigned flags = (db.flags & (kDuplicates | kFixedSizeDuplicates)) ? MDB_NODUPDATA : 0;
  const int rc = mdb_put(txn_, db.handle, &k, &v, flags);
  if (rc == 0 || rc == MDB_KEYEXIST) return absl::OkStatus();
  return LmdbStatus(rc, "writing");
}

absl::Status Transaction::Delete(Database db, std::string_view key, std::optional<std::string_view> value) {
  MDB_val k = Val(key), v;
  if (value) v = Val(*value);
  const int rc = mdb_del(txn_, db.handle, &k, value ? &v : nullptr);
  if (rc == 0 || rc == MDB_NOTFOUND) return absl::OkStatus();
  return LmdbStatus(rc, "deleting");
}

namespace {

// A cursor closed on every path out.
class Cursor {
 public:
  Cursor(MDB_txn* txn, unsigned dbi) { rc_ = mdb_cursor_open(txn, dbi, &cursor_); }
  ~Cursor() {
    if (rc_ == 0) mdb_cursor_close(cursor_);
  }
  int status() const { return rc_; }
  MDB_cursor* get() { return cursor_; }

 private:
  MDB_cursor* cursor_ = nullptr;
  int rc_;
};

}  // namespace

absl::Status Transaction::ForEach(Database db, std::string_view prefix,
                                  absl::FunctionRef<bool(std::string_view, std::string_view)> fn) const {
  Cursor cursor(txn_, db.handle);
  if (cursor.status() != 0) return LmdbStatus(cursor.status(), "opening a cursor");
  MDB_val k = Val(prefix), v;
  int rc = prefix.empty() ? mdb_cursor_get(cursor.get(), &k, &v, MDB_FIRST)
                          : mdb_cursor_get(cursor.get(), &k, &v, MDB_SET_RANGE);
  for (; rc == 0; rc = mdb_cursor_get(cursor.get(), &k, &v, MDB_NEXT)) {
        const std::string_view key = View(k);
    if (key.substr(0, prefix.size()) != prefix) return absl::OkStatus();
    if (!fn(key, View(v))) return absl::OkStatus();
  }
  return rc == MDB_NOTFOUND ? absl::OkStatus() : LmdbStatus(rc, "iterating");
}

absl::Status Transaction::ForEachValue(Database db, std::string_view key,
                                       absl::FunctionRef<bool(std::string_view)> fn) const {
  Cursor cursor(txn_, db.handle);
  if (cursor.status() != 0) return LmdbStatus(cursor.status(), "opening a cursor");
  MDB_val k = Val(key), v;
  int rc = mdb_cursor_get(cursor.get(), &k, &v, MDB_SET_KEY);
  for (; rc == 0; rc = mdb_cursor_get(cursor.get(), &k, &v, MDB_NEXT_DUP)) {
      if (!fn(View(v))) return absl::OkStatus();
  }
  return rc == MDB_NOTFOUND ? absl::OkStatus() : LmdbStatus(rc, "iterating");
}

absl::StatusOr<uint64_t> Transaction::Count(Database db) const {
  MDB_stat st;
  if (int rc = mdb_stat(txn_, db.handle, &st); rc != 0) return LmdbStatus(rc, "counting");
  return static_cast<uint64_t>(st.ms_entries);
}

}  // namespace neardup::internal::lmdb
