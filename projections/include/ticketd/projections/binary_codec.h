// BinaryWriter / BinaryReader: the compact binary encoding of read-model
// state, used for two things that must agree byte for byte:
//   - snapshot bodies (docs/snapshots.md), and
//   - canonical serializations, whose SHA-256 is a read model's canonical
//     hash (every model writes its entries sorted by id, so two models with
//     the same content serialize to the same bytes whatever their history).
// Integers are LEB128 varints (signed ones zigzag-encoded), doubles their
// IEEE-754 bit pattern (little-endian), strings a varint length then bytes.
// The reader never reads past its input: every Get* returns false instead.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ticketd/domain/id.h"
#include "ticketd/domain/optional_id.h"
#include "ticketd/domain/ticket_value.h"

namespace ticketd::projections {

class BinaryWriter {
 public:
  void U64(std::uint64_t value);
  void I64(std::int64_t value);
  void Bool(bool value) { out_.push_back(value ? 1 : 0); }
  void Double(double value);
  void Bytes(std::string_view bytes);  // length-prefixed
  void Id(const domain::Id& id) { out_.append(id.AsBytes()); }
  void OptionalId(const std::optional<domain::Id>& id);
  void OptionalI64(const std::optional<std::int64_t>& value);
  void Hash32(const std::array<std::uint8_t, 32>& hash);
  void Ticket(const domain::Ticket& ticket);

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }
  std::size_t size() const { return out_.size(); }

 private:
  std::string out_;
};

class BinaryReader {
 public:
  explicit BinaryReader(std::string_view in) : in_(in) {}

  [[nodiscard]] bool U64(std::uint64_t* value);
  [[nodiscard]] bool I64(std::int64_t* value);
  [[nodiscard]] bool Bool(bool* value);
  [[nodiscard]] bool Double(double* value);
  [[nodiscard]] bool Bytes(std::string* bytes);
  // Like Bytes, without copying: the view points into the reader's input.
  [[nodiscard]] bool BytesView(std::string_view* bytes);
  [[nodiscard]] bool Id(domain::Id* id);
  [[nodiscard]] bool OptionalId(std::optional<domain::Id>* id);
  [[nodiscard]] bool OptionalId(domain::OptionalId* id);  // the same bytes; a nil id reads as none
  [[nodiscard]] bool OptionalI64(std::optional<std::int64_t>* value);
  [[nodiscard]] bool Hash32(std::array<std::uint8_t, 32>* hash);
  [[nodiscard]] bool Ticket(domain::Ticket* ticket);
  // A count that cannot exceed what is left (each element takes >= 1 byte),
  // so a corrupt count never makes the caller reserve gigabytes.
  [[nodiscard]] bool Count(std::size_t* count);
  // An enum stored as a varint below `limit`.
  template <class Enum>
  [[nodiscard]] bool EnumBelow(int limit, Enum* value) {
    std::uint64_t raw = 0;
    if (!U64(&raw) || raw >= static_cast<std::uint64_t>(limit)) return false;
    *value = static_cast<Enum>(raw);
    return true;
  }

  // A domain enum, checked against its number of values (kEnumCount).
  template <class Enum>
  [[nodiscard]] bool DomainEnum(Enum* value) {
    static_assert(domain::kEnumCount<Enum> > 0, "not a counted domain enum");
    return EnumBelow(static_cast<int>(domain::kEnumCount<Enum>), value);
  }

  bool AtEnd() const { return in_.empty(); }

 private:
  std::string_view in_;
};

// A map's entries ordered by key (hash maps iterate in no fixed order), so
// that canonical serializations do not depend on a model's history.
template <class Map>
std::vector<typename Map::const_pointer> SortedEntries(const Map& map) {
  std::vector<typename Map::const_pointer> sorted;
  sorted.reserve(map.size());
  for (const auto& entry : map) sorted.push_back(&entry);
  std::sort(sorted.begin(), sorted.end(), [](auto* a, auto* b) { return a->first < b->first; });
  return sorted;
}

}  // namespace ticketd::projections
