#pragma once

/// Record generation for the native source-faker: users, purchases and products as
/// protocol::TypedRecord values, deterministic per (seed, stream, record index).
///
/// Example:
///   FakerGenerator generator(/*seed=*/42);
///   protocol::TypedRecord record;
///   generator.FillUser(/*index=*/0, record);  // user id 1
///
/// Every random value of a record comes from its own PRNG seeded from (seed, stream, index),
/// so values do not depend on batching or threads. "Now" (updated_at, and the day ranges of
/// the purchases' added_to_cart_at / purchased_at / returned_at) comes from the wall clock:
/// the generator captures it at construction and RefreshClock() re-reads it. Not thread-safe:
/// one generator per thread.

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "protocol/message.h"

namespace airbyte::connectors {

/// Field names of each stream's records, in emission order; shared by all records.
using FieldList = std::shared_ptr<const std::vector<std::string>>;

/// Number of products in the fixed product table (ids 1..kFakerProductCount).
inline constexpr std::int64_t kFakerProductCount = 100;

/// Fills typed faker records. See the file comment for determinism and thread safety.
class FakerGenerator {
 public:
  explicit FakerGenerator(std::uint64_t seed);

  static const FieldList& UserFields();
  static const FieldList& PurchaseFields();
  static const FieldList& ProductFields();

  /// Purchases made by user `user_index` (0-based): 0, 1 or 2, by its last decimal digit.
  static int PurchaseCountForUser(std::int64_t user_index);
  /// Id of the `slot`-th purchase (0-based) of user `user_index`.
  static std::int64_t PurchaseId(std::int64_t user_index, int slot);
  /// Number of purchases for `count` users: count, or count - 1 when count % 10 is 7 or 8.
  static std::int64_t PurchaseTotal(std::int64_t count);

  /// Re-reads the wall clock for updated_at and the purchase day ranges.
  void RefreshClock();
  /// Sets "now" explicitly (epoch seconds), e.g. for tests.
  void SetNow(std::int64_t epoch_seconds);
  /// The current updated_at text (`YYYY-MM-DDTHH:MM:SS+00:00`).
  const std::string& updated_at() const { return updated_at_; }

  /// The user with id index + 1.
  void FillUser(std::int64_t index, protocol::TypedRecord& out) const;
  /// The `slot`-th purchase of user `user_index` (see PurchaseCountForUser()).
  void FillPurchase(std::int64_t user_index, int slot, protocol::TypedRecord& out) const;
  /// The product with id index + 1 (index < kFakerProductCount); independent of the seed.
  void FillProduct(std::int64_t index, protocol::TypedRecord& out) const;

 private:
  std::uint64_t seed_;
  std::int64_t now_ = 0;
  int current_year_ = 2000;
  std::string updated_at_;
};

}  // namespace airbyte::connectors
