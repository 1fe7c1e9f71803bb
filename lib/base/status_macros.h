// File: base/status_macros.h
//
// Early-return helpers for absl::Status. Debian 12's Abseil (20220623) does not ship
// absl/status/status_macros.h, so we carry the two macros we need.

#ifndef NEARDUP_BASE_STATUS_MACROS_H_
#define NEARDUP_BASE_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Evaluates `expr` (an absl::Status) and returns it from the enclosing function if not OK.
#define NEARDUP_RETURN_IF_ERROR(expr)                  \
  do {                                                 \
    ::absl::Status neardup_status_ = (expr);           \
    if (!neardup_status_.ok()) return neardup_status_; \
  } while (false)

#define NEARDUP_INTERNAL_CONCAT_IMPL(a, b) a##b
#define NEARDUP_INTERNAL_CONCAT(a, b) NEARDUP_INTERNAL_CONCAT_IMPL(a, b)

// Evaluates `expr` (an absl::StatusOr<T>); returns its status if not OK, otherwise moves the
// value into `lhs` (which may be a declaration: `NEARDUP_ASSIGN_OR_RETURN(auto x, F());`).
#define NEARDUP_ASSIGN_OR_RETURN(lhs, expr) \
  NEARDUP_INTERNAL_ASSIGN_OR_RETURN(NEARDUP_INTERNAL_CONCAT(neardup_statusor_, __LINE__), lhs, expr)

#define NEARDUP_INTERNAL_ASSIGN_OR_RETURN(tmp, lhs, expr) \
  auto tmp = (expr);                                      \
  if (!tmp.ok()) return std::move(tmp).status();          \
  lhs = *std::move(tmp)

#endif  // NEARDUP_BASE_STATUS_MACROS_H_
