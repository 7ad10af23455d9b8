#include "live_stream.h"

#include <utility>

#include "live_event.h"

namespace ticketd::api {

LiveStream::LiveStream(StreamCredential credential_in, std::uint64_t cursor_in, std::size_t max_bytes,
                       std::string first, std::function<void()> released)
    : credential(std::move(credential_in)),
      cursor(cursor_in),
      max_bytes_(max_bytes),
      released_(std::move(released)),
      pending_(std::move(first)) {}

LiveStream::~LiveStream() {
  if (released_) released_();
}

void LiveStream::Open(std::function<void(bool)> wake) {
  std::lock_guard lock(mu_);
  if (!closed_) wake_ = std::move(wake);
}

bool LiveStream::Pull(std::string* out) {
  std::lock_guard lock(mu_);
  wake_pending_ = false;
  out->append(pending_);
  pending_.clear();
  if (pending_.capacity() > 4096) pending_.shrink_to_fit();  // idle streams stay small
  return !ended_;
}

void LiveStream::Closed() {
  std::lock_guard lock(mu_);
  closed_ = true;
  ended_ = true;
  wake_ = nullptr;
  pending_.clear();
  pending_.shrink_to_fit();
}

bool LiveStream::Offer(std::string_view frame) {
  std::unique_lock lock(mu_);
  if (ended_) return false;
  if (pending_.size() + frame.size() > max_bytes_) {
    // The client does not keep up: drop it rather than grow; it resumes
    // from its last id once it reconnects.
    ended_ = true;
    pending_.clear();
    pending_.shrink_to_fit();
    Wake(lock, /*abort=*/true);
    return false;
  }
  pending_.append(frame);
  if (!wake_pending_ && pending_.size() >= max_bytes_ / 4) Wake(lock, false);
  return true;
}

void LiveStream::Flush() {
  std::unique_lock lock(mu_);
  if (!wake_pending_ && !pending_.empty()) Wake(lock, false);
}

void LiveStream::OfferPing() {
  std::unique_lock lock(mu_);
  if (ended_ || !pending_.empty()) return;
  pending_.append(kPingFrame);
  if (!wake_pending_) Wake(lock, false);
}

void LiveStream::End() {
  std::unique_lock lock(mu_);
  if (ended_) return;
  ended_ = true;
  Wake(lock, false);
}

std::size_t LiveStream::room() const {
  std::lock_guard lock(mu_);
  if (ended_) return 0;
  return pending_.size() >= max_bytes_ ? 0 : max_bytes_ - pending_.size();
}

bool LiveStream::closed() const {
  std::lock_guard lock(mu_);
  return closed_ || (ended_ && !wake_);
}

void LiveStream::Wake(std::unique_lock<std::mutex>& lock, bool abort) {
  if (!wake_) return;  // not open yet: the session pulls once it opens
  wake_pending_ = true;
  std::function<void(bool)> wake = wake_;
  lock.unlock();
  wake(abort);
}

}  // namespace ticketd::api
