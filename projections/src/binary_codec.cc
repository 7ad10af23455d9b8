#include "ticketd/projections/binary_codec.h"
#include "ticketd/projections/sla_codec.h"

#include <bit>
#include <cstring>
#include <limits>

#include "ticketd/eventstore/event_log.h"

namespace ticketd::projections {

void BinaryWriter::U64(std::uint64_t value) {
  while (value >= 0x80) {
    out_.push_back(static_cast<char>(value | 0x80));
    value >>= 7;
  }
  out_.push_back(static_cast<char>(value));
}

void BinaryWriter::I64(std::int64_t value) {
  U64((static_cast<std::uint64_t>(value) << 1) ^ static_cast<std::uint64_t>(value >> 63));
}

void BinaryWriter::Double(double value) {
  std::uint64_t bits = std::bit_cast<std::uint64_t>(value);
  for (int i = 0; i < 8; ++i) out_.push_back(static_cast<char>(bits >> (8 * i)));
}

void BinaryWriter::Bytes(std::string_view bytes) {
  U64(bytes.size());
  out_.append(bytes);
}

void BinaryWriter::OptionalI64(const std::optional<std::int64_t>& value) {
  Bool(value.has_value());
  if (value) I64(*value);
}

void BinaryWriter::OptionalId(const std::optional<domain::Id>& id) {
  Bool(id.has_value());
  if (id) Id(*id);
}

void BinaryWriter::Hash32(const std::array<std::uint8_t, 32>& hash) {
  out_.append(reinterpret_cast<const char*>(hash.data()), hash.size());
}

void BinaryWriter::Ticket(const domain::Ticket& t) {
  Id(t.id);
  Id(t.tenant_id);
  I64(t.number);
  Bytes(t.number_text);
  Bytes(t.subject);
  Bytes(t.description);
  U64(static_cast<std::uint64_t>(t.priority));
  U64(static_cast<std::uint64_t>(t.status));
  U64(static_cast<std::uint64_t>(t.type));
  Bytes(t.category);
  Id(t.reporter_id);
  OptionalId(t.assignee_id);
  OptionalId(t.asset_id);
  Bool(t.due_at.has_value());
  if (t.due_at) I64(*t.due_at);
  I64(t.created_at);
  I64(t.updated_at);
  I64(t.version);
  OptionalI64(t.erased_at);
  // workflow (issue 12)
  OptionalId(t.group_id);
  OptionalId(t.category_id);
  OptionalId(t.subcategory_id);
  OptionalI64(t.closed_at);
  EncodeTicketSla(*this, t);
  // attachments (issue 13)
  I64(t.attachment_count);
  I64(t.internal_attachment_count);
}

bool BinaryReader::U64(std::uint64_t* value) {
  std::uint64_t result = 0;
  for (int shift = 0; shift < 64 && !in_.empty(); shift += 7) {
    auto byte = static_cast<std::uint8_t>(in_.front());
    in_.remove_prefix(1);
    result |= static_cast<std::uint64_t>(byte & 0x7f) << shift;
    if ((byte & 0x80) == 0) {
      *value = result;
      return true;
    }
  }
  return false;
}

bool BinaryReader::I64(std::int64_t* value) {
  std::uint64_t raw = 0;
  if (!U64(&raw)) return false;
  *value = static_cast<std::int64_t>((raw >> 1) ^ (~(raw & 1) + 1));
  return true;
}

bool BinaryReader::Bool(bool* value) {
  if (in_.empty() || static_cast<std::uint8_t>(in_.front()) > 1) return false;
  *value = in_.front() == 1;
  in_.remove_prefix(1);
  return true;
}

bool BinaryReader::Double(double* value) {
  if (in_.size() < 8) return false;
  std::uint64_t bits = 0;
  for (int i = 0; i < 8; ++i) bits |= static_cast<std::uint64_t>(static_cast<std::uint8_t>(in_[i])) << (8 * i);
  in_.remove_prefix(8);
  *value = std::bit_cast<double>(bits);
  return true;
}

bool BinaryReader::Bytes(std::string* bytes) {
  std::uint64_t size = 0;
  if (!U64(&size) || size > in_.size()) return false;
  bytes->assign(in_.data(), size);
  in_.remove_prefix(size);
  return true;
}

bool BinaryReader::BytesView(std::string_view* bytes) {
  std::uint64_t size = 0;
  if (!U64(&size) || size > in_.size()) return false;
  *bytes = in_.substr(0, size);
  in_.remove_prefix(size);
  return true;
}

bool BinaryReader::Id(domain::Id* id) {
  if (in_.size() < id->bytes.size()) return false;
  std::memcpy(id->bytes.data(), in_.data(), id->bytes.size());
  in_.remove_prefix(id->bytes.size());
  return true;
}

bool BinaryReader::OptionalI64(std::optional<std::int64_t>* value) {
  bool present = false;
  if (!Bool(&present)) return false;
  value->reset();
  if (!present) return true;
  std::int64_t v = 0;
  if (!I64(&v)) return false;
  *value = v;
  return true;
}

bool BinaryReader::OptionalId(std::optional<domain::Id>* id) {
  bool present = false;
  if (!Bool(&present)) return false;
  if (!present) {
    id->reset();
    return true;
  }
  domain::Id value;
  if (!Id(&value)) return false;
  *id = value;
  return true;
}

bool BinaryReader::OptionalId(domain::OptionalId* id) {
  std::optional<domain::Id> value;
  if (!OptionalId(&value)) return false;
  *id = value;
  return true;
}

bool BinaryReader::Hash32(std::array<std::uint8_t, 32>* hash) {
  if (in_.size() < hash->size()) return false;
  std::memcpy(hash->data(), in_.data(), hash->size());
  in_.remove_prefix(hash->size());
  return true;
}

bool BinaryReader::Ticket(domain::Ticket* t) {
  bool has_due = false;
  if (!(Id(&t->id) && Id(&t->tenant_id) && I64(&t->number) && Bytes(&t->number_text) && Bytes(&t->subject) &&
        Bytes(&t->description) && DomainEnum(&t->priority) && DomainEnum(&t->status) &&
        DomainEnum(&t->type) && Bytes(&t->category) && Id(&t->reporter_id) && OptionalId(&t->assignee_id) &&
        OptionalId(&t->asset_id) && Bool(&has_due)))
    return false;
  if (has_due) {
    std::int64_t due = 0;
    if (!I64(&due)) return false;
    t->due_at = due;
  } else {
    t->due_at.reset();
  }
  // The ticket holds these as OptionalTimestamp (8 bytes); the bytes are the same.
  auto optional_time = [this](domain::OptionalTimestamp* out) {
    std::optional<std::int64_t> value;
    if (!OptionalI64(&value)) return false;
    *out = value;
    return true;
  };
  // The counts are 32-bit in the ticket, 64-bit on the wire (unchanged bytes).
  auto count = [this](std::int32_t* out) {
    std::int64_t value = 0;
    if (!I64(&value) || value < 0 || value > std::numeric_limits<std::int32_t>::max()) return false;
    *out = static_cast<std::int32_t>(value);
    return true;
  };
  return I64(&t->created_at) && I64(&t->updated_at) && I64(&t->version) && optional_time(&t->erased_at) &&
         OptionalId(&t->group_id) && OptionalId(&t->category_id) && OptionalId(&t->subcategory_id) &&
         optional_time(&t->closed_at) &&
         DecodeTicketSla(*this, t) && count(&t->attachment_count) && count(&t->internal_attachment_count);
}

bool BinaryReader::Count(std::size_t* count) {
  std::uint64_t raw = 0;
  if (!U64(&raw) || raw > in_.size()) return false;
  *count = static_cast<std::size_t>(raw);
  return true;
}

}  // namespace ticketd::projections
