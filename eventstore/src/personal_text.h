// PersonalText <-> plain strings (see events.proto). Writing seals each text
// under its subject's data key, fetched on first use so that events without
// personal data never touch the key vault; reading opens it again, or shows
// a marker when the key is destroyed (kErasedText) or not at hand
// (kSealedText). Single-threaded objects, one per event.
#pragma once

#include <string>
#include <string_view>

#include "aes_gcm.h"
#include "ticketd/base/status.h"
#include "ticketd/eventstore/subject_keys.h"
#include "ticketd/v1/events.pb.h"

namespace ticketd::eventstore {

// Hands out the data key of a subject for sealing (the writer's key vault).
class SealingKeys {
 public:
  virtual ~SealingKeys() = default;
  // The key of `key_id`, created if the subject has none; *erased instead
  // when the subject was erased (no key may be made for it again).
  virtual Status KeyFor(std::string_view key_id, DataKey* key, bool* erased) = 0;
};

class TextSealer {
 public:
  TextSealer() = default;  // writes plain text (tools and tests without a master key)
  TextSealer(std::string key_id, SealingKeys* keys) : key_id_(std::move(key_id)), keys_(keys) {}

  void Set(v1::PersonalText* out, const std::string& text);
  // InvalidArgument if new text was given for an erased subject; the
  // vault's error if it could not be read.
  const Status& status() const { return status_; }

 private:
  enum class KeyState { kNotFetched, kKey, kErased };
  std::string key_id_;
  SealingKeys* keys_ = nullptr;
  KeyState state_ = KeyState::kNotFetched;
  DataKey key_{};
  Status status_;
};

class TextOpener {
 public:
  explicit TextOpener(const TextKeys* keys) : keys_(keys) {}

  std::string Get(const v1::PersonalText& in);
  // Corruption if sealed text did not authenticate under its key.
  const Status& status() const { return status_; }

 private:
  const TextKeys* keys_;
  std::string cached_id_;  // the texts of one event share one key: look it up once
  TextKeys::Found cached_found_ = TextKeys::Found::kUnknown;
  DataKey cached_key_{};
  Status status_;
};

}  // namespace ticketd::eventstore
