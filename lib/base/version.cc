#include "neardup/version.h"

namespace neardup {

int VersionNumber() { return NEARDUP_VERSION_NUMBER; }

}  // namespace neardup
