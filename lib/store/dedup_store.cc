#include "store/dedup_store.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "internal/status_macros.h"

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
      return absl::UnavailableError(
          absl::StrCat("another process has the store ", path, " open for writing (open it read-only to query it)"));
    }
    return absl::InternalError(absl::StrCat("cannot lock ", lock_path, ": ", std::strerror(error)));
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
  NEARDUP_ASSIGN_OR_RETURN(lmdb::Transaction txn, file_.env->Begin(read_only_ ? lmdb::kRead : lmdb::kWrite));
  const unsigned flags = read_only_ ? lmdb::kExisting : lmdb::kCreate;
  NEARDUP_ASSIGN_OR_RETURN(documents_, txn.OpenDatabase(kDocuments, flags));
  NEARDUP_ASSIGN_OR_RETURN(ids_, txn.OpenDatabase(kIds, flags));
  NEARDUP_ASSIGN_OR_RETURN(links_, txn.OpenDatabase(kLinks, flags));
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
    absl::StatusOr<StoredLink> link = index.ok() ? DecodeStoredLink(value) : index.status();
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
    absl::StatusOr<uint32_t> block = DecodeSequenceKey(key);
    absl::StatusOr<std::vector<std::string_view>> rows = block.ok() ? SplitBlock(value) : block.status();
    if (!rows.ok()) {
      status = absl::DataLossError(absl::StrCat("the block of document ", expected, ": ", rows.status().message()));
    } else if (uint64_t{*block} * kRowsPerBlock != expected) {
      // Only the last block may be partly filled.
      status = absl::DataLossError(absl::StrCat("document ", expected, " is missing (next is ",
                                                uint64_t{*block} * kRowsPerBlock, ")"));
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
  NEARDUP_ASSIGN_OR_RETURN(StoredLink link, DecodeStoredLink(*row));
  link.alive = false;
  return txn.Put(links_, key, EncodeStoredLink(link));
}

absl::Status DedupStore::BeginBatch() {
  if (batch_) return absl::FailedPreconditionError("a batch is already open");
  NEARDUP_ASSIGN_OR_RETURN(lmdb::Transaction txn, file_.env->Begin(lmdb::kWrite));
  batch_.emplace(std::move(txn));
  return absl::OkStatus();
}

absl::Status DedupStore::EndBatch() {
  if (!batch_) return absl::FailedPreconditionError("no batch is open");
  absl::Status committed = batch_->Commit();
  batch_.reset();
  return committed;
}

absl::StatusOr<lmdb::Transaction*> DedupStore::Writer(std::optional<lmdb::Transaction>* own) {
  if (batch_) return &*batch_;
  NEARDUP_ASSIGN_OR_RETURN(lmdb::Transaction txn, file_.env->Begin(lmdb::kWrite));
  own->emplace(std::move(txn));
  return &**own;
}

absl::Status DedupStore::Finish(std::optional<lmdb::Transaction>* own) {
  return *own ? (*own)->Commit() : absl::OkStatus();
}

absl::Status DedupStore::CommitAdd(uint32_t seq, const StoredDocument& doc, uint32_t first_link,
                                   const std::vector<StoredLink>& new_links, const std::vector<uint32_t>& retracted) {
  std::optional<lmdb::Transaction> own;
  NEARDUP_ASSIGN_OR_RETURN(lmdb::Transaction* writer, Writer(&own));
  lmdb::Transaction& txn = *writer;
  const std::string block_key = SequenceKey(seq / kRowsPerBlock);
  NEARDUP_ASSIGN_OR_RETURN(std::optional<std::string_view> existing, txn.Get(documents_, block_key));
  std::string block;
  if (existing) {
    NEARDUP_ASSIGN_OR_RETURN(std::vector<std::string_view> rows, SplitBlock(*existing));
    if (rows.size() != seq % kRowsPerBlock) {
      return absl::DataLossError(absl::StrCat("document ", seq, " would follow ", rows.size(), " rows in its block"));
    }
    block = *existing;
  } else if (seq % kRowsPerBlock != 0) {
    return absl::DataLossError(absl::StrCat("the block of document ", seq, " is missing"));
  }
  AppendToBlock(block, EncodeStoredDocument(doc));
  NEARDUP_RETURN_IF_ERROR(txn.Put(documents_, block_key, block));
  NEARDUP_RETURN_IF_ERROR(txn.Put(ids_, doc.id, SequenceKey(seq)));
  for (size_t i = 0; i < new_links.size(); ++i) {
    NEARDUP_RETURN_IF_ERROR(
        txn.Put(links_, SequenceKey(first_link + static_cast<uint32_t>(i)), EncodeStoredLink(new_links[i])));
  }
  for (uint32_t index : retracted) NEARDUP_RETURN_IF_ERROR(MarkLinkDead(txn, index));
  return Finish(&own);
}

absl::Status DedupStore::CommitRemove(uint32_t seq, const std::string& id, const std::vector<uint32_t>& dead_links) {
  std::optional<lmdb::Transaction> own;
  NEARDUP_ASSIGN_OR_RETURN(lmdb::Transaction* writer, Writer(&own));
  lmdb::Transaction& txn = *writer;
  const std::string block_key = SequenceKey(seq / kRowsPerBlock);
  NEARDUP_ASSIGN_OR_RETURN(std::optional<std::string_view> existing, txn.Get(documents_, block_key));
  if (!existing) return absl::DataLossError(absl::StrCat("the block of document ", seq, " is missing"));
  NEARDUP_ASSIGN_OR_RETURN(std::vector<std::string_view> rows, SplitBlock(*existing));
  if (rows.size() <= seq % kRowsPerBlock) return absl::DataLossError(absl::StrCat("document ", seq, " is missing"));
  NEARDUP_ASSIGN_OR_RETURN(StoredDocument doc, DecodeStoredDocument(rows[seq % kRowsPerBlock], num_perm_));
  doc.alive = false;
  const std::string removed = EncodeStoredDocument(doc);
  std::string block;
  for (size_t i = 0; i < rows.size(); ++i) AppendToBlock(block, i == seq % kRowsPerBlock ? removed : rows[i]);
  NEARDUP_RETURN_IF_ERROR(txn.Put(documents_, block_key, block));
  NEARDUP_RETURN_IF_ERROR(txn.Delete(ids_, id));
  for (uint32_t index : dead_links) NEARDUP_RETURN_IF_ERROR(MarkLinkDead(txn, index));
  return Finish(&own);
}

absl::Status DedupStore::CheckIds() const {
  NEARDUP_ASSIGN_OR_RETURN(lmdb::Transaction txn, file_.env->Begin(lmdb::kRead));
  uint64_t live = 0;
  NEARDUP_RETURN_IF_ERROR(ForEachDocument(txn, [&](uint32_t seq, std::string_view row) -> absl::Status {
    NEARDUP_ASSIGN_OR_RETURN(StoredDocument doc, DecodeStoredDocument(row, num_perm_));
    if (!doc.alive) return absl::OkStatus();
    ++live;
    NEARDUP_ASSIGN_OR_RETURN(std::optional<std::string_view> key, txn.Get(ids_, doc.id));
    if (!key || *key != SequenceKey(seq)) {
      return absl::DataLossError(absl::StrCat("document id '", doc.id, "' is not indexed by its sequence number"));
    }
    return absl::OkStatus();
  }));
  NEARDUP_ASSIGN_OR_RETURN(uint64_t ids, txn.Count(ids_));
  if (ids != live) return absl::DataLossError(absl::StrCat("the ids table has ", ids, " entries for ", live, " live documents"));
  return absl::OkStatus();
}

absl::StatusOr<uint64_t> DedupStore::FileSize() const { return file_.env->FileSize(); }

}  // namespace neardup::internal
