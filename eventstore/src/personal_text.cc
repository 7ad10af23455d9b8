#include "personal_text.h"

namespace ticketd::eventstore {

void TextSealer::Set(v1::PersonalText* out, const std::string& text) {
  if (keys_ == nullptr) {
    out->set_plain(text);
    return;
  }
  if (state_ == KeyState::kNotFetched) {
    bool erased = false;
    Status s = keys_->KeyFor(key_id_, &key_, &erased);
    if (!s.ok()) {
      if (status_.ok()) status_ = s;
      return;
    }
    state_ = erased ? KeyState::kErased : KeyState::kKey;
  }
  if (state_ == KeyState::kErased) {
    // Only the marker itself may be written for an erased subject (the
    // snapshot of a ticket deleted after its erasure).
    if (text == domain::kErasedText) {
      out->set_erased(true);
    } else if (status_.ok()) {
      status_ = Status::InvalidArgument("the personal data of " + key_id_ + " was erased; it takes no new text");
    }
    return;
  }
  v1::Sealed* sealed = out->mutable_sealed();
  sealed->set_key_id(key_id_);
  if (!SealGcm(key_, key_id_, text, sealed->mutable_nonce(), sealed->mutable_ciphertext()) && status_.ok())
    status_ = Status::IOError("sealing personal text failed (OpenSSL)");
}

std::string TextOpener::Get(const v1::PersonalText& in) {
  switch (in.value_case()) {
    case v1::PersonalText::kPlain:
      return in.plain();
    case v1::PersonalText::kErased:
      return std::string(domain::kErasedText);
    case v1::PersonalText::kSealed:
      break;
    case v1::PersonalText::VALUE_NOT_SET:
      return std::string();
  }
  const v1::Sealed& sealed = in.sealed();
  if (keys_ == nullptr) return std::string(kSealedText);
  if (sealed.key_id() != cached_id_) {
    cached_id_ = sealed.key_id();
    cached_found_ = keys_->FindKey(cached_id_, &cached_key_);
  }
  if (cached_found_ == TextKeys::Found::kErased) return std::string(domain::kErasedText);
  if (cached_found_ == TextKeys::Found::kUnknown) return std::string(kSealedText);
  std::string text;
  if (!OpenGcm(cached_key_, sealed.key_id(), sealed.nonce(), sealed.ciphertext(), &text)) {
    if (status_.ok()) status_ = Status::Corruption("personal text of " + sealed.key_id() + " does not authenticate");
    return std::string(kSealedText);
  }
  return text;
}

}  // namespace ticketd::eventstore
