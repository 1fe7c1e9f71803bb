// File: store/crc32c.h
//
// CRC-32C (Castagnoli polynomial 0x1EDC6F41, reflected, as iSCSI, ext4 and LevelDB use it):
// the checksum every value of the store ends with (store/records.h). A CRC rather than a hash
// because its detection is guaranteed, not probable: every error of one to three bits, and
// every burst of up to 32 bits, in values of the sizes the store writes (a block of 32 rows
// is at most a few megabytes). Check value: Crc32c("123456789") == 0xE3069283.

#ifndef NEARDUP_STORE_CRC32C_H_
#define NEARDUP_STORE_CRC32C_H_

#include <cstdint>
#include <string_view>

namespace neardup::internal {

uint32_t Crc32c(std::string_view bytes);

}  // namespace neardup::internal

#endif  // NEARDUP_STORE_CRC32C_H_
