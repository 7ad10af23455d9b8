// PersonalText <-> plain strings. Sealed text is unreadable without its key
// (crypto-shredding); until keys exist every reader sees the marker.
#pragma once

#include <string>

#include "ticketd/v1/events.pb.h"

namespace ticketd::eventstore {

inline constexpr const char* kErasedText = "[erased]";

inline void SetText(v1::PersonalText* out, const std::string& text) { out->set_plain(text); }
inline std::string TextOf(const v1::PersonalText& in) { return in.has_sealed() ? kErasedText : in.plain(); }

}  // namespace ticketd::eventstore
