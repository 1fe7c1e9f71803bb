#include "store/dedup_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "base/absl_compat.h"
#include "base/status_macros.h"

namespace neardup::internal {
namespace {

constexpr char kDocuments[] = "documents";
constexpr char kIds[] = "ids";
constexpr char kLinks[] = "links";

// The writer lock: an exclusive flock on `path`-writer, released when the descriptor closes
// (also when the process dies, so a killed writer never leaves the store locked).
absl::StatusOr<int> TakeWriterLock(const std::string& path) {
  const std::string lock_path = path + "-writer";
  const int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0664);
  if (fd < 0) return absl::PermissionDeniedError(absl::StrCat("cannot open ", lock_path, ": ", std::strerror(errno)));
  if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int error = errno;
    ::close(fd);
    if (error == EWOULDBLOCK) {
      return absl::UnavailableError(absl::StrCat(
          "another process has the store ", path,
          " open for writing, or reads it without a lock file of its own (open it read-only to query it)"));
    }
    return absl::InternalError(absl::StrCat("cannot lock ", lock_path, ": ", std::strerror(error)));
  }
  return fd;
}

// For a reader that cannot write LMDB's lock file: a shared lock on `path`-writer, which no
// writer can take beside it (the file comment in dedup_store.h).
absl::StatusOr<int> TakeReaderLock(const std::string& path, const absl::Status& why) {
  const std::string lock_path = path + "-writer";
  const int fd = ::open(lock_path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    return absl::PermissionDeniedError(absl::StrCat(
        why.message(), "; to read the store without writing next to it, ", lock_path,
        " must exist and be readable (any writer makes it), or copy the store to a directory you can write"));
  }
  if (::flock(fd, LOCK_SH | LOCK_NB) != 0) {
    ::close(fd);
    return absl::UnavailableError(absl::StrCat("the store ", path, " is being written, and this process cannot make ",
                                               "its lock file to read beside the writer: wait for the writer to close it"));
  }
  return fd;
}

}  // namespace

absl::StatusOr<std::unique_ptr<DedupStore>> DedupStore::Open(const std::string& path, const DedupOptions& options,
                                                             bool read_only) {
  int lock = -1;
  if (!read_only) {
    NEARDUP_ASSIGN_OR_RETURN(lock, TakeWriterLock(path));
  }
  absl::StatusOr<StoreFile> file = OpenStoreFile(path, options, read_only);
  if (read_only && file.status().code() == absl::StatusCode::kPermissionDenied && ::access(path.c_str(), R_OK) == 0) {
    // The file is readable, so it is LMDB's lock file that this process may not write.
    NEARDUP_ASSIGN_OR_RETURN(lock, TakeReaderLock(path, file.status()));
    file = OpenStoreFile(path, options, read_only, /*without_lock_file=*/true);
  }
  if (!file.ok()) {
    if (lock >= 0) ::close(lock);
    return file.status();
  }
  std::unique_ptr<DedupStore> store(
      new DedupStore(*std::move(file), lock, read_only, options.fingerprint.minhash.num_perm));
  NEARDUP_RETURN_IF_ERROR(store->OpenTables());
  return store;
}

DedupStore::~DedupStore() {
  batch_.reset();     // an unfinished batch is not committed
  file_.env.reset();  // close LMDB before giving up the writer lock
  if (writer_lock_ >= 0) ::close(writer_lock_);
}

absl::Status DedupStore::OpenTables() {
  NEARDUP_ASSIGN_OR_RETURN(lmdb::Transaction txn, file_.env->Begin(lmdb::kRead));
  NEARDUP_ASSIGN_OR_RETURN(documents_, txn.OpenDatabase(kDocuments, lmdb::kExisting));
  NEARDUP_ASSIGN_OR_RETURN(ids_, txn.OpenDatabase(kIds, lmdb::kExisting));
  NEARDUP_ASSIGN_OR_RETURN(links_, txn.OpenDatabase(kLinks, lmdb::kExisting));
  return txn.Commit();
}

absl::Status DedupStore::Load(absl::FunctionRef<absl::Status(uint32_t, StoredDocument&&)> on_document,
                              absl::FunctionRef<absl::Status(uint32_t, const StoredLink&)> on_link) const {
  NEARDUP_ASSIGN_OR_RETURN(lmdb::Transaction txn, file_.env->Begin(lmdb::kRead));
  absl::Status status;
  NEARDUP_RETURN_IF_ERROR(ForEachDocument(txn, [&](uint32_t seq, std::string_view row) {
    absl::StatusOr<StoredDocument> doc = DecodeStoredDocument(row, num_perm_);
    return doc.ok() ? on_document(seq, *std::move(doc))
                    : absl::DataLossError(absl::StrCat("document ", seq, ": ", doc.status().message()));
  }));
  uint32_t expected = 0;
  NEARDUP_RETURN_IF_ERROR(txn.ForEach(links_, "", [&](std::string_view key, std::string_view value) {
    absl::StatusOr<uint32_t> index = DecodeSequenceKey(key);
    if (index.ok() && *index != expected) {
      index = absl::DataLossError(absl::StrCat("link ", expected, " is missing (next is ", *index, ")"));
    }
    absl::StatusOr<std::string_view> payload = index.ok() ? Unsealed(value, "the row") : index.status();
    absl::StatusOr<StoredLink> link = payload.ok() ? DecodeStoredLink(*payload) : payload.status();
    status = link.ok() ? on_link(*index, *link)
                       : absl::DataLossError(absl::StrCat("link ", expected, ": ", link.status().message()));
    ++expected;
    return status.ok();
  }));
  return status;
}

absl::Status DedupStore::ForEachDocument(const lmdb::Transaction& txn,
                                         absl::FunctionRef<absl::Status(uint32_t seq, std::string_view row)> visit) const {
  uint32_t expected = 0;  // the next sequence number
  absl::Status status;
  NEARDUP_RETURN_IF_ERROR(txn.ForEach(documents_, "", [&](std::string_view key, std::string_view value) {
    absl::StatusOr<DocumentsKey> named = DecodeDocumentsKey(key);
    if (named.ok() && named->first != expected) {
      named = absl::DataLossError(absl::StrCat("document ", expected, " is missing (next is ", named->first, ")"));
    }
    if (!named.ok()) {
      status = absl::DataLossError(absl::StrCat("the documents table at document ", expected, ": ", named.status().message()));
      return false;
    }
    if (!named->block) {
      absl::StatusOr<std::string_view> row = Unsealed(value, absl::StrCat("the row of document ", expected));
      status = row.ok() ? visit(expected++, *row) : row.status();
      return status.ok();
    }
    const uint32_t block = named->first / kRowsPerBlock;
    const std::string what = absl::StrCat("the block of documents ", uint64_t{block} * kRowsPerBlock, " to ",
                                          uint64_t{block} * kRowsPerBlock + kRowsPerBlock - 1);
    absl::StatusOr<std::string_view> payload = Unsealed(value, what);
    absl::StatusOr<std::vector<std::string_view>> rows = payload.ok() ? SplitBlock(*payload) : payload.status();
    if (!rows.ok()) {
      status = absl::DataLossError(absl::StrCat(what, ": ", rows.status().message()));
    } else if (rows->size() != kRowsPerBlock) {
      status = absl::DataLossError(absl::StrCat(what, ": ", rows->size(), " rows where a block has ", kRowsPerBlock));
    }
    for (size_t i = 0; status.ok() && i < rows->size(); ++i) status = visit(expected++, (*rows)[i]);
    return status.ok();
  }));
  return status;
}

absl::Status DedupStore::MarkLinkDead(lmdb::Transaction& txn, uint32_t index) {
  const std::string key = SequenceKey(index);
  NEARDUP_ASSIGN_OR_RETURN(std::optional<std::string_view> row, txn.Get(links_, key));
  if (!row) return absl::DataLossError(absl::StrCat("link ", index, " is missing"));
  NEARDUP_ASSIGN_OR_RETURN(std::string_view payload, Unsealed(*row, absl::StrCat("link ", index)));
  NEARDUP_ASSIGN_OR_RETURN(StoredLink link, DecodeStoredLink(payload));
  link.alive = false;
  return txn.Put(links_, key, Sealed(EncodeStoredLink(link)));
}

absl::Status DedupStore::BeginBatch() {
  if (batch_) return absl::FailedPreconditionError("a batch is already open");
  NEARDUP_ASSIGN_OR_RETURN(lmdb::Transaction txn, file_.env->Begin(lmdb::kWrite));
  batch_.emplace(std::move(txn));
  batch_rows_.clear();
  return absl::OkStatus();
}

absl::Status DedupStore::EndBatch() {
  if (!batch_) return absl::FailedPreconditionError("no batch is open");
  absl::Status status = AppendRows(*batch_, batch_first_, batch_rows_);
  batch_rows_.clear();
  if (status.ok()) status = batch_->Commit();
  batch_.reset();  // aborts it if the rows could not be written
  return status;
}

absl::Status DedupStore::WriteAddExceptRow(lmdb::Transaction& txn, uint32_t seq, const StoredDocument& doc,
                                           uint32_t first_link, const std::vector<StoredLink>& new_links,
                                           const std::vector<uint32_t>& retracted) {
  NEARDUP_RETURN_IF_ERROR(txn.Put(ids_, IdKey(doc.id), Sealed(SequenceKey(seq))));
  for (size_t i = 0; i < new_links.size(); ++i) {
    NEARDUP_RETURN_IF_ERROR(txn.Put(links_, SequenceKey(first_link + static_cast<uint32_t>(i)),
                                    Sealed(EncodeStoredLink(new_links[i]))));
  }
  for (uint32_t index : retracted) NEARDUP_RETURN_IF_ERROR(MarkLinkDead(txn, index));
  return absl::OkStatus();
}

absl::Status DedupStore::AppendRows(lmdb::Transaction& txn, uint32_t first, std::span<const std::string> rows) {
  for (size_t i = 0; i < rows.size();) {
    const uint32_t seq = first + static_cast<uint32_t>(i);
    const uint32_t block = seq / kRowsPerBlock, place = seq % kRowsPerBlock;
    const size_t n = std::min<size_t>(rows.size() - i, kRowsPerBlock - place);  // rows in this block
    if (place + n < kRowsPerBlock) {
      // The block stays incomplete: its rows one per key, after the one before `seq`.
      if (place > 0) {
        NEARDUP_ASSIGN_OR_RETURN(std::optional<std::string_view> previous, txn.Get(documents_, RowKey(seq - 1)));
        if (!previous) return absl::DataLossError(absl::StrCat("document ", seq, " does not follow document ", seq - 1));
      }
      for (size_t k = 0; k < n; ++k) {
        NEARDUP_RETURN_IF_ERROR(txn.Put(documents_, RowKey(seq + static_cast<uint32_t>(k)), Sealed(rows[i + k])));
      }
    } else {
      // The block is complete: written whole, once, in place of its rows.
      std::string value;
      for (uint32_t p = 0; p < place; ++p) {
        const uint32_t earlier = block * kRowsPerBlock + p;
        NEARDUP_ASSIGN_OR_RETURN(std::optional<std::string_view> row, txn.Get(documents_, RowKey(earlier)));
        if (!row) return absl::DataLossError(absl::StrCat("document ", seq, " would follow ", p, " rows in its block"));
        NEARDUP_ASSIGN_OR_RETURN(std::string_view payload, Unsealed(*row, absl::StrCat("the row of document ", earlier)));
        AppendToBlock(value, payload);
      }
      for (size_t k = 0; k < n; ++k) AppendToBlock(value, rows[i + k]);
      for (uint32_t p = 0; p < place; ++p) NEARDUP_RETURN_IF_ERROR(txn.Delete(documents_, RowKey(block * kRowsPerBlock + p)));
      NEARDUP_RETURN_IF_ERROR(txn.Put(documents_, BlockKey(block), Sealed(value)));
    }
    i += n;
  }
  return absl::OkStatus();
}

absl::Status DedupStore::CommitAdd(uint32_t seq, const StoredDocument& doc, uint32_t first_link,
                                   const std::vector<StoredLink>& new_links, const std::vector<uint32_t>& retracted) {
  if (batch_) {
    if (!batch_rows_.empty() && seq != batch_first_ + batch_rows_.size()) {
      return absl::InternalError(absl::StrCat("document ", seq, " added out of order in a batch"));
    }
    // Nested: a failure here leaves the batch's transaction as it was.
    NEARDUP_ASSIGN_OR_RETURN(lmdb::Transaction nested, batch_->BeginNested());
    NEARDUP_RETURN_IF_ERROR(WriteAddExceptRow(nested, seq, doc, first_link, new_links, retracted));
    NEARDUP_RETURN_IF_ERROR(nested.Commit());
    if (batch_rows_.empty()) batch_first_ = seq;
    batch_rows_.push_back(EncodeStoredDocument(doc));
    return absl::OkStatus();
  }
  NEARDUP_ASSIGN_OR_RETURN(lmdb::Transaction txn, file_.env->Begin(lmdb::kWrite));
  NEARDUP_RETURN_IF_ERROR(WriteAddExceptRow(txn, seq, doc, first_link, new_links, retracted));
  const std::string row = EncodeStoredDocument(doc);
  NEARDUP_RETURN_IF_ERROR(AppendRows(txn, seq, std::span<const std::string>(&row, 1)));
  return txn.Commit();
}

absl::Status DedupStore::CommitRemove(uint32_t seq, const std::string& id, const std::vector<uint32_t>& dead_links) {
  if (batch_) return absl::FailedPreconditionError("a Remove inside a batch of Adds");
  NEARDUP_ASSIGN_OR_RETURN(lmdb::Transaction txn, file_.env->Begin(lmdb::kWrite));
  const auto removed = [&](std::string_view row) -> absl::StatusOr<std::string> {
    NEARDUP_ASSIGN_OR_RETURN(StoredDocument doc, DecodeStoredDocument(row, num_perm_));
    doc.alive = false;
    return EncodeStoredDocument(doc);
  };
  NEARDUP_ASSIGN_OR_RETURN(std::optional<std::string_view> block, txn.Get(documents_, BlockKey(seq / kRowsPerBlock)));
  if (block) {
    NEARDUP_ASSIGN_OR_RETURN(std::string_view payload, Unsealed(*block, absl::StrCat("the block of document ", seq)));
    NEARDUP_ASSIGN_OR_RETURN(std::vector<std::string_view> rows, SplitBlock(payload));
    if (rows.size() != kRowsPerBlock) return absl::DataLossError(absl::StrCat("the block of document ", seq, " is incomplete"));
    NEARDUP_ASSIGN_OR_RETURN(std::string row, removed(rows[seq % kRowsPerBlock]));
    std::string value;
    for (size_t i = 0; i < rows.size(); ++i) AppendToBlock(value, i == seq % kRowsPerBlock ? std::string_view(row) : rows[i]);
    NEARDUP_RETURN_IF_ERROR(txn.Put(documents_, BlockKey(seq / kRowsPerBlock), Sealed(value)));
  } else {
    NEARDUP_ASSIGN_OR_RETURN(std::optional<std::string_view> stored, txn.Get(documents_, RowKey(seq)));
    if (!stored) return absl::DataLossError(absl::StrCat("document ", seq, " is missing"));
    NEARDUP_ASSIGN_OR_RETURN(std::string_view payload, Unsealed(*stored, absl::StrCat("the row of document ", seq)));
    NEARDUP_ASSIGN_OR_RETURN(std::string row, removed(payload));
    NEARDUP_RETURN_IF_ERROR(txn.Put(documents_, RowKey(seq), Sealed(row)));
  }
  NEARDUP_RETURN_IF_ERROR(txn.Delete(ids_, IdKey(id)));
  for (uint32_t index : dead_links) NEARDUP_RETURN_IF_ERROR(MarkLinkDead(txn, index));
  return txn.Commit();
}

absl::Status DedupStore::CheckIds() const {
  NEARDUP_ASSIGN_OR_RETURN(lmdb::Transaction txn, file_.env->Begin(lmdb::kRead));
  uint64_t live = 0;
  NEARDUP_RETURN_IF_ERROR(ForEachDocument(txn, [&](uint32_t seq, std::string_view row) -> absl::Status {
    absl::StatusOr<StoredDocument> doc = DecodeStoredDocument(row, num_perm_);
    if (!doc.ok()) return absl::DataLossError(absl::StrCat("document ", seq, ": ", doc.status().message()));
    if (!doc->alive) return absl::OkStatus();
    ++live;
    NEARDUP_ASSIGN_OR_RETURN(std::optional<std::string_view> value, txn.Get(ids_, IdKey(doc->id)));
    absl::StatusOr<std::string_view> key = value ? Unsealed(*value, absl::StrCat("the id entry of document ", seq))
                                                 : absl::StatusOr<std::string_view>(std::string_view());
    NEARDUP_RETURN_IF_ERROR(key.status());
    if (*key != SequenceKey(seq)) {
      return absl::DataLossError(absl::StrCat("document id '", absl::CHexEscape(ToAbsl(doc->id).substr(0, 200)),
                                              "' is not indexed by its sequence number"));
    }
    return absl::OkStatus();
  }));
  uint64_t ids = 0;
  absl::Status entry;
  NEARDUP_RETURN_IF_ERROR(txn.ForEach(ids_, "", [&](std::string_view key, std::string_view value) {
    ++ids;
    if (key.size() != 16) entry = absl::DataLossError(absl::StrCat("the ids table has a key of ", key.size(), " bytes"));
    if (entry.ok()) entry = Unsealed(value, absl::StrCat("the ids table's entry ", ids)).status();
    return entry.ok();
  }));
  NEARDUP_RETURN_IF_ERROR(entry);
  if (ids != live) return absl::DataLossError(absl::StrCat("the ids table has ", ids, " entries for ", live, " live documents"));
  return absl::OkStatus();
}

absl::StatusOr<DedupOptions> DedupStore::ReadOptions(const std::string& path) {
  absl::StatusOr<DedupOptions> options = ReadStoredOptions(path);
  if (options.status().code() != absl::StatusCode::kPermissionDenied || ::access(path.c_str(), R_OK) != 0) {
    return options;
  }
  NEARDUP_ASSIGN_OR_RETURN(const int lock, TakeReaderLock(path, options.status()));
  options = ReadStoredOptions(path, /*without_lock_file=*/true);
  ::close(lock);
  return options;
}

absl::StatusOr<std::pair<uint64_t, uint64_t>> DedupStore::Compact(const std::string& path) {
  NEARDUP_ASSIGN_OR_RETURN(int writer, TakeWriterLock(path));
  struct Closer {
    std::vector<int> fds;
    ~Closer() {
      for (int fd : fds) ::close(fd);
    }
  } closer{{writer}};
  NEARDUP_ASSIGN_OR_RETURN(DedupOptions options, ReadStoredOptions(path));
  // Every process with the store open, reader or writer, holds a shared record lock on the
  // first byte of LMDB's lock file; an exclusive one succeeds only when none does. Held until
  // the new file has its lock file set up (below), so no process opens the store meanwhile.
  const std::string lmdb_lock = path + "-lock";
  const int lock_fd = ::open(lmdb_lock.c_str(), O_RDWR | O_CLOEXEC);
  if (lock_fd >= 0) {
    closer.fds.push_back(lock_fd);
    struct flock whole{};
    whole.l_type = F_WRLCK, whole.l_whence = SEEK_SET, whole.l_start = 0, whole.l_len = 1;
    if (::fcntl(lock_fd, F_SETLK, &whole) != 0) {
      return absl::UnavailableError(
          absl::StrCat("other processes have the store ", path, " open; close them, then compact it"));
    }
  }
  const std::string draft = path + ".compact";
  ::unlink(draft.c_str());
  uint64_t before = 0;
  {
    // Without LMDB's lock file: this process holds it exclusively, and LMDB would take its lock
    // through another descriptor and drop this one's when closing it.
    NEARDUP_ASSIGN_OR_RETURN(StoreFile file, OpenStoreFile(path, options, /*read_only=*/true, /*without_lock_file=*/true));
    NEARDUP_ASSIGN_OR_RETURN(before, file.env->FileSize());
    absl::Status copied = file.env->CopyCompacted(draft);
    if (!copied.ok()) {
      ::unlink(draft.c_str());
      return copied;
    }
  }
  if (::rename(draft.c_str(), path.c_str()) != 0) {
    const absl::Status failed = lmdb::LmdbStatus(errno, absl::StrCat("replacing ", path));
    ::unlink(draft.c_str());
    return failed;
  }
  // Opened once in this process, which may take LMDB's exclusive lock, LMDB sets up the lock
  // file's state (the last transaction) from the new file, as every later opener needs.
  NEARDUP_ASSIGN_OR_RETURN(StoreFile file, OpenStoreFile(path, options, /*read_only=*/true));
  NEARDUP_ASSIGN_OR_RETURN(uint64_t after, file.env->FileSize());
  return std::make_pair(before, after);
}

absl::StatusOr<uint64_t> DedupStore::FileSize() const { return file_.env->FileSize(); }

}  // namespace neardup::internal
