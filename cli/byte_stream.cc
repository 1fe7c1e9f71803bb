#include "byte_stream.h"

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <cerrno>
#include <cstring>
#include <vector>

namespace neardup::cli {
namespace {

// The formats' magic numbers (RFC 1952; the .xz file format 1.1.0; RFC 8878).
constexpr unsigned char kGzipMagic[] = {0x1F, 0x8B};
constexpr unsigned char kXzMagic[] = {0xFD, '7', 'z', 'X', 'Z', 0x00};
constexpr unsigned char kZstdMagic[] = {0x28, 0xB5, 0x2F, 0xFD};
constexpr size_t kLongestMagic = sizeof kXzMagic;

template <size_t N>
bool StartsWith(const std::string& head, const unsigned char (&magic)[N]) {
  return head.size() >= N && std::memcmp(head.data(), magic, N) == 0;
}

// Compressed bytes are read this many at a time.
constexpr size_t kInputBuffer = size_t{1} << 16;

}  // namespace

const char* CompressionName(Compression c) {
  switch (c) {
    case Compression::kGzip: return "gzip";
    case Compression::kXz: return "xz";
    case Compression::kZstd: return "zstd";
    case Compression::kNone: break;
  }
  return "none";
}

struct ByteStream::Decoder {
  std::vector<char> input = std::vector<char>(kInputBuffer);
  size_t input_begin = 0, input_end = 0;
  bool input_done = false;
  bool finished = false;     // the compressed stream ended
  bool at_boundary = false;  // between two members (gzip) or frames (zstd), or past the end (xz)
  z_stream gzip{};
  lzma_stream xz = LZMA_STREAM_INIT;
  ZSTD_DStream* zstd = nullptr;
  ~Decoder() {
    inflateEnd(&gzip);
    lzma_end(&xz);
    ZSTD_freeDStream(zstd);
  }
};

ByteStream::ByteStream(FILE* file) : file_(file) {
  head_.resize(kLongestMagic);
  head_.resize(std::fread(head_.data(), 1, head_.size(), file_));
  if (StartsWith(head_, kGzipMagic)) compression_ = Compression::kGzip;
  if (StartsWith(head_, kXzMagic)) compression_ = Compression::kXz;
  if (StartsWith(head_, kZstdMagic)) compression_ = Compression::kZstd;
  if (compression_ == Compression::kNone) return;
  decoder_ = std::make_unique<Decoder>();
  bool ok = true;
  switch (compression_) {
    case Compression::kGzip:
      // 15 + 32: a window of 2^15 and a gzip (or zlib) header recognised automatically.
      ok = inflateInit2(&decoder_->gzip, 15 + 32) == Z_OK;
      break;
    case Compression::kXz:
      // No memory limit beyond the format's own; LZMA_CONCATENATED reads `cat a.xz b.xz` whole.
      ok = lzma_stream_decoder(&decoder_->xz, UINT64_MAX, LZMA_CONCATENATED) == LZMA_OK;
      break;
    case Compression::kZstd:
      decoder_->zstd = ZSTD_createDStream();
      ok = decoder_->zstd != nullptr && !ZSTD_isError(ZSTD_initDStream(decoder_->zstd));
      break;
    case Compression::kNone:
      break;
  }
  if (!ok) error_ = std::string("cannot start the ") + CompressionName(compression_) + " decoder";
}

ByteStream::~ByteStream() = default;

size_t ByteStream::ReadRaw(char* out, size_t n) {
  size_t given = 0;
  if (head_used_ < head_.size()) {
    given = std::min(n, head_.size() - head_used_);
    std::memcpy(out, head_.data() + head_used_, given);
    head_used_ += given;
  }
  if (given < n) {
    given += std::fread(out + given, 1, n - given, file_);
    if (std::ferror(file_) && error_.empty()) error_ = std::string("read error: ") + std::strerror(errno);
  }
  return given;
}

size_t ByteStream::Read(char* out, size_t n) {
  if (failed() || n == 0) return 0;
  if (compression_ == Compression::kNone) return ReadRaw(out, n);
  return Decode(out, n);
}

size_t ByteStream::Decode(char* out, size_t n) {
  Decoder& d = *decoder_;
  size_t produced = 0;
  while (produced == 0 && !d.finished) {
    if (d.input_begin == d.input_end && !d.input_done) {
      d.input_begin = 0;
      d.input_end = ReadRaw(d.input.data(), d.input.size());
      d.input_done = d.input_end == 0;
      if (failed()) return 0;
    }
    const size_t available = d.input_end - d.input_begin;
    const char* in = d.input.data() + d.input_begin;
    size_t consumed = 0;
    std::string problem;
    switch (compression_) {
      case Compression::kGzip: {
        d.gzip.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in));
        d.gzip.avail_in = static_cast<uInt>(available);
        d.gzip.next_out = reinterpret_cast<Bytef*>(out);
        d.gzip.avail_out = static_cast<uInt>(n);
        const int rc = inflate(&d.gzip, Z_NO_FLUSH);
        consumed = available - d.gzip.avail_in;
        produced = n - d.gzip.avail_out;
        if (consumed > 0) d.at_boundary = false;
        if (rc == Z_STREAM_END) {
          // Members of a concatenated .gz (`cat a.gz b.gz`) follow one another.
          inflateReset(&d.gzip);
          d.at_boundary = true;
        } else if (rc != Z_OK && rc != Z_BUF_ERROR) {  // Z_BUF_ERROR: no progress yet
          problem = d.gzip.msg != nullptr ? d.gzip.msg : "zlib error " + std::to_string(rc);
        }
        break;
      }
      case Compression::kXz: {
        d.xz.next_in = reinterpret_cast<const uint8_t*>(in);
        d.xz.avail_in = available;
        d.xz.next_out = reinterpret_cast<uint8_t*>(out);
        d.xz.avail_out = n;
        const lzma_ret rc = lzma_code(&d.xz, d.input_done ? LZMA_FINISH : LZMA_RUN);
        consumed = available - d.xz.avail_in;
        produced = n - d.xz.avail_out;
        if (rc == LZMA_STREAM_END) {
          d.at_boundary = true;  // with LZMA_CONCATENATED: every stream read, the input ended
          d.finished = true;  // lzma_code must not be called again; this call's output is returned
        } else if (rc == LZMA_DATA_ERROR || rc == LZMA_FORMAT_ERROR || rc == LZMA_OPTIONS_ERROR) {
          problem = "the data is corrupt (liblzma " + std::to_string(static_cast<int>(rc)) + ")";
        } else if (rc != LZMA_OK && rc != LZMA_BUF_ERROR) {
          problem = "liblzma error " + std::to_string(static_cast<int>(rc));
        }
        break;
      }
      case Compression::kZstd: {
        ZSTD_inBuffer input{in, available, 0};
        ZSTD_outBuffer output{out, n, 0};
        const size_t rc = ZSTD_decompressStream(d.zstd, &output, &input);
        consumed = input.pos;
        produced = output.pos;
        if (ZSTD_isError(rc)) {
          problem = ZSTD_getErrorName(rc);
        } else if (rc == 0) {
          d.at_boundary = true;  // a frame ended and was flushed; another may follow
        } else if (consumed > 0 || produced > 0) {
          d.at_boundary = false;
        }
        break;
      }
      case Compression::kNone:
        break;
    }
    d.input_begin += consumed;
    if (!problem.empty()) {
      error_ = std::string("damaged ") + CompressionName(compression_) + " data: " + problem;
      return 0;
    }
    // No output and no input left: the end, if it falls between members or frames.
    if (produced == 0 && d.input_done && d.input_begin == d.input_end && !d.finished) {
      if (!d.at_boundary) {
        error_ = std::string("damaged ") + CompressionName(compression_) + " data: it ends too early";
        return 0;
      }
      d.finished = true;
    }
  }
  return produced;
}

}  // namespace neardup::cli
