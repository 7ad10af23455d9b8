// The overloaded-lambdas helper for std::visit (no default branch: a new
// variant alternative that nobody handles fails to compile).
#pragma once

namespace ticketd {

template <class... Ts>
struct Overloaded : Ts... {
  using Ts::operator()...;
};
template <class... Ts>
Overloaded(Ts...) -> Overloaded<Ts...>;

}  // namespace ticketd
